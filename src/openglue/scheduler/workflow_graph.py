"""A workflow's graph, built from its triggers: pure functions over Trigger shapes.

Nodes are the triggers and every job and crawler they start or watch; edges go from a trigger
to what its actions start, and from a watched job or crawler to the conditional trigger that
watches it. A node's UniqueId (``wnode_`` + 64 hex digits, as Glue's look) is derived from the
workflow and the node, so it is the same in every run: ResumeWorkflowRun takes the ids a client
read from an earlier GetWorkflowRun.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Triggers = Sequence[Mapping[str, Any]]  # Trigger shapes
NodeKey = tuple[str, str]  # (kind, name): kind is job, crawler or trigger
Details = Callable[[str, str], dict[str, Any]]

_NODE_TYPES = {"job": "JOB", "crawler": "CRAWLER", "trigger": "TRIGGER"}


def node_id(workflow: str, kind: str, name: str) -> str:
    digest = hashlib.sha256(f"{workflow}\0{kind}\0{name}".encode()).hexdigest()
    return "wnode_" + digest


def _target(item: Mapping[str, Any]) -> NodeKey:
    if item.get("JobName") is not None:
        return ("job", str(item["JobName"]))
    return ("crawler", str(item["CrawlerName"]))


def starts(trigger: Mapping[str, Any]) -> list[NodeKey]:
    """The jobs and crawlers a trigger's actions start."""
    return [_target(a) for a in trigger.get("Actions", [])]


def watches(trigger: Mapping[str, Any]) -> list[NodeKey]:
    """The jobs and crawlers a conditional trigger's predicate watches."""
    return [_target(c) for c in (trigger.get("Predicate") or {}).get("Conditions", [])]


def start_triggers(triggers: Triggers) -> list[Mapping[str, Any]]:
    """The triggers that start a run: every one but the conditional ones."""
    return [t for t in triggers if t["Type"] != "CONDITIONAL"]


def watchers(triggers: Triggers, key: NodeKey) -> list[Mapping[str, Any]]:
    """The conditional triggers that watch this job or crawler."""
    return [t for t in triggers if t["Type"] == "CONDITIONAL" and key in watches(t)]


def action_nodes(triggers: Triggers) -> list[NodeKey]:
    """Every job and crawler of the graph, in the order the triggers name them."""
    found: dict[NodeKey, None] = {}
    for trigger in triggers:
        for key in (*watches(trigger), *starts(trigger)):
            found[key] = None
    return list(found)


def downstream(triggers: Triggers, roots: Sequence[NodeKey]) -> set[NodeKey]:
    """Every node reachable from ``roots`` (not counting the roots themselves unless a cycle
    leads back to them): the triggers that watch them, what those start, and so on."""
    reached: set[NodeKey] = set()
    pending = list(roots)
    while pending:
        key = pending.pop()
        for trigger in watchers(triggers, key):
            trigger_key = ("trigger", str(trigger["Name"]))
            if trigger_key not in reached:
                reached.add(trigger_key)
                for started in starts(trigger):
                    if started not in reached:
                        reached.add(started)
                        pending.append(started)
    return reached


def graph(workflow: str, triggers: Triggers, details: Details | None = None) -> dict[str, Any]:
    """The ``WorkflowGraph`` shape; ``details`` adds what a run knows of a job or crawler
    (its JobDetails or CrawlerDetails)."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, str]] = []
    for trigger in triggers:
        name = str(trigger["Name"])
        nodes.append(
            {
                "Type": "TRIGGER",
                "Name": name,
                "UniqueId": node_id(workflow, "trigger", name),
                "TriggerDetails": {"Trigger": dict(trigger)},
            }
        )
        here = node_id(workflow, "trigger", name)
        edges += [
            {"SourceId": here, "DestinationId": node_id(workflow, *k)} for k in starts(trigger)
        ]
        edges += [
            {"SourceId": node_id(workflow, *k), "DestinationId": here} for k in watches(trigger)
        ]
    for kind, name in action_nodes(triggers):
        node: dict[str, Any] = {
            "Type": _NODE_TYPES[kind],
            "Name": name,
            "UniqueId": node_id(workflow, kind, name),
        }
        if details is not None:
            node.update(details(kind, name))
        nodes.append(node)
    return {"Nodes": nodes, "Edges": edges}
