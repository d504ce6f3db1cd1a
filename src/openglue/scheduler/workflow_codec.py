"""Workflow records to AWS shapes: ``Workflow``, ``WorkflowRun`` with its ``Statistics``, and
the run graph with the job runs and crawls each node started."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openglue.scheduler.workflow_graph import graph
from openglue.store.workflows import NodeRecord, WorkflowRecord, WorkflowRunRecord

# Job run states and crawl statuses, by the statistic that counts them.
_COUNTED = {
    "SucceededActions": ("SUCCEEDED",),
    "FailedActions": ("FAILED",),
    "TimeoutActions": ("TIMEOUT",),
    "StoppedActions": ("STOPPED", "CANCELLED"),
    "ErroredActions": ("ERROR", "EXPIRED"),
    "WaitingActions": ("WAITING",),
    "RunningActions": ("STARTING", "RUNNING", "STOPPING", "CANCELLING"),
}
ACTIVE_NODE_STATES = frozenset(
    _COUNTED["RunningActions"] + _COUNTED["WaitingActions"] + ("STARTING",)
)

JobRunShape = Callable[[str], dict[str, Any] | None]  # a JobRunId to its JobRun shape


def statistics(nodes: Sequence[NodeRecord]) -> dict[str, int]:
    """``WorkflowRunStatistics``: the run's job and crawler nodes by state."""
    actions = [n for n in nodes if n.kind != "trigger"]
    counts = {name: sum(n.state in states for n in actions) for name, states in _COUNTED.items()}
    return {"TotalActions": len(actions), **counts}


def run_to_aws(
    run: WorkflowRunRecord,
    nodes: Sequence[NodeRecord],
    include_graph: bool = False,
    job_run: JobRunShape | None = None,
) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "Name": run.workflow_name,
        "WorkflowRunId": run.id,
        "PreviousRunId": run.previous_run_id,
        "WorkflowRunProperties": run.properties,
        "StartedOn": run.started_on,
        "CompletedOn": run.completed_on,
        "Status": run.status,
        "ErrorMessage": run.error_message,
        "Statistics": statistics(nodes),
        "StartingEventBatchCondition": run.starting_condition,
    }
    if include_graph:
        by_key = {(n.kind, n.name): n for n in nodes}

        def details(kind: str, name: str) -> dict[str, Any]:
            node = by_key.get((kind, name))
            if kind == "job":
                found = job_run(node.run_id) if node and node.run_id and job_run else None
                return {"JobDetails": {"JobRuns": [found] if found else []}}
            return {"CrawlerDetails": {"Crawls": [_crawl(node)] if node else []}}

        shape["Graph"] = graph(run.workflow_name, run.graph, details)
    return {k: v for k, v in shape.items() if v is not None}


def _crawl(node: NodeRecord) -> dict[str, Any]:
    crawl = {
        "State": node.state,
        "StartedOn": node.started_on,
        "CompletedOn": node.completed_on,
        "ErrorMessage": node.error_message,
    }
    return {k: v for k, v in crawl.items() if v is not None}


def workflow_to_aws(
    record: WorkflowRecord,
    last_run: dict[str, Any] | None,
    static_graph: dict[str, Any] | None,
) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "Name": record.name,
        **record.spec,
        "CreatedOn": record.created_on,
        "LastModifiedOn": record.last_modified_on,
    }
    if last_run is not None:
        shape["LastRun"] = last_run
    if static_graph is not None:
        shape["Graph"] = static_graph
    return shape
