"""A workflow's graph as text: each start trigger, then what it starts, then the triggers
that watch those, and so on, with the state each job or crawler reached in a run.

    [trigger] nightly-start (ON_DEMAND)
      → [job] extract  SUCCEEDED
        → [trigger] nightly-then (CONDITIONAL: extract SUCCEEDED)
          → [job] load  FAILED

A conditional trigger that is not ACTIVATED says so: it never fires (see docs/workflows.md).
A node reached a second time (a trigger waiting on two jobs) is shown again by name only,
with ``(above)``, so the text stays a tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def node_state(node: Mapping[str, Any]) -> str:
    """The state of a run's job or crawler node ("" for a node the run never reached)."""
    runs = (node.get("JobDetails") or {}).get("JobRuns") or []
    if runs:
        return str(runs[0]["JobRunState"])
    crawls = (node.get("CrawlerDetails") or {}).get("Crawls") or []
    return str(crawls[0]["State"]) if crawls else ""


def _trigger_text(trigger: Mapping[str, Any]) -> str:
    predicate = trigger.get("Predicate")
    if not predicate:
        return f"({trigger['Type']}{', ' + trigger['Schedule'] if trigger.get('Schedule') else ''})"
    watched = [
        f"{c.get('JobName') or c.get('CrawlerName')} {c.get('State') or c.get('CrawlState')}"
        for c in predicate.get("Conditions", [])
    ]
    joiner = f" {predicate.get('Logical', 'AND')} "
    dormant = (
        "" if trigger.get("State") == "ACTIVATED" else f"; {trigger.get('State')}: never fires"
    )
    return f"(CONDITIONAL: {joiner.join(watched)}{dormant})"


def render_graph(graph: Mapping[str, Any], with_states: bool) -> list[str]:
    nodes = {n["UniqueId"]: n for n in graph.get("Nodes", [])}
    following: dict[str, list[str]] = {}
    targets = set()
    for edge in graph.get("Edges", []):
        following.setdefault(edge["SourceId"], []).append(edge["DestinationId"])
        targets.add(edge["DestinationId"])
    roots = [i for i, n in nodes.items() if n["Type"] == "TRIGGER" and i not in targets]
    lines: list[str] = []
    shown: set[str] = set()

    def visit(unique_id: str, depth: int) -> None:
        node = nodes[unique_id]
        arrow = "  " * depth + ("→ " if depth else "")
        label = f"{arrow}[{node['Type'].lower()}] {node['Name']}"
        if unique_id in shown:
            lines.append(f"{label} (above)")
            return
        shown.add(unique_id)
        if node["Type"] == "TRIGGER":
            label += " " + _trigger_text(node["TriggerDetails"]["Trigger"])
        elif with_states:
            label += "  " + (node_state(node) or "not run")
        lines.append(label)
        for child in following.get(unique_id, []):
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    for unique_id in nodes:  # nodes no start trigger reaches (an incomplete workflow)
        if unique_id not in shown:
            visit(unique_id, 0)
    return lines


def statistics_text(statistics: Mapping[str, int]) -> str:
    counted = [
        (statistics.get(key, 0), word)
        for key, word in (
            ("SucceededActions", "succeeded"),
            ("FailedActions", "failed"),
            ("TimeoutActions", "timed out"),
            ("StoppedActions", "stopped"),
            ("ErroredActions", "errored"),
            ("RunningActions", "running"),
            ("WaitingActions", "waiting"),
        )
    ]
    parts = [f"{count} {word}" for count, word in counted if count]
    return f"{statistics.get('TotalActions', 0)} actions" + (
        f": {', '.join(parts)}" if parts else ""
    )
