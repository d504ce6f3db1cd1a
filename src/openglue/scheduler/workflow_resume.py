"""What ResumeWorkflowRun restarts (reference §6.3, Glue's "Repairing and resuming a workflow
run"): the chosen job and crawler nodes, which must have run in the original run, and all that
follows them. A chosen node that follows another chosen node is dropped (the other one's
restart reaches it anyway) and left out of the answer's NodeIds. The new run starts with the
original run's other nodes as they ended, so predicates that need them (Logical AND) can still
be met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openglue.errors import InvalidInputException
from openglue.scheduler.workflow_graph import NodeKey, action_nodes, downstream, node_id, starts
from openglue.store.workflows import NodeRecord, WorkflowRunRecord


@dataclass(frozen=True)
class ResumePlan:
    kept: list[NodeRecord]  # the original run's nodes the new run starts with
    restarts: list[tuple[str, Mapping[str, Any]]]  # (trigger name, action) to start again
    node_ids: list[str]  # the chosen nodes actually restarted


def plan_resume(
    run: WorkflowRunRecord, nodes: Sequence[NodeRecord], node_ids: Sequence[str]
) -> ResumePlan:
    if not node_ids:
        raise InvalidInputException(
            "NodeIds must name at least one job or crawler node of the run to run again"
        )
    by_id = {node_id(run.workflow_name, *key): key for key in action_nodes(run.graph)}
    ran = {(n.kind, n.name): n for n in nodes if n.kind != "trigger"}
    chosen: list[NodeKey] = []
    for given in dict.fromkeys(node_ids):
        key = by_id.get(given)
        if key is None:
            raise InvalidInputException(
                f"Node {given} is not a job or crawler node of workflow run {run.id}; take "
                "the UniqueId of a JOB or CRAWLER node from GetWorkflowRun(IncludeGraph=true)"
            )
        if key not in ran:
            raise InvalidInputException(
                f"Node {given} ({key[0]} {key[1]}) did not run in workflow run {run.id}; "
                "only nodes that ran can be resumed"
            )
        chosen.append(key)
    selected = [
        k for k in chosen if not any(k in downstream(run.graph, [o]) for o in chosen if o != k)
    ]
    rerun = set(selected) | downstream(run.graph, selected)
    restarts = []
    for key in selected:
        trigger_name = ran[key].started_by
        trigger = next((t for t in run.graph if t["Name"] == trigger_name), None)
        if trigger is None:
            raise InvalidInputException(f"The trigger that started {key[0]} {key[1]} is unknown")
        action = trigger["Actions"][starts(trigger).index(key)]
        restarts.append((str(trigger_name), action))
    return ResumePlan(
        kept=[n for n in nodes if (n.kind, n.name) not in rerun],
        restarts=restarts,
        node_ids=[node_id(run.workflow_name, *k) for k in selected],
    )
