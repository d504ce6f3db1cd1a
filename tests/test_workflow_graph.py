"""The pure parts of workflows: the graph built from triggers, what a resume restarts, and
the graph as text."""

from __future__ import annotations

from typing import Any

import pytest

from openglue.cli.workflow_text import render_graph
from openglue.errors import InvalidInputException
from openglue.scheduler.workflow_graph import downstream, graph, node_id
from openglue.scheduler.workflow_resume import plan_resume
from openglue.store.workflows import NodeRecord, WorkflowRunRecord


def _conditional(name: str, watched: list[str], starts: list[str], **extra: Any) -> dict[str, Any]:
    conditions = [
        {"LogicalOperator": "EQUALS", "JobName": j, "State": "SUCCEEDED"} for j in watched
    ]
    return {
        "Name": name,
        "Type": "CONDITIONAL",
        "State": "ACTIVATED",
        "Predicate": {"Logical": "AND", "Conditions": conditions},
        "Actions": [{"JobName": j} for j in starts],
        **extra,
    }


# start → a, b; (a AND b) → join → c; c → last → d
TRIGGERS = [
    {
        "Name": "start",
        "Type": "ON_DEMAND",
        "State": "CREATED",
        "Actions": [{"JobName": "a"}, {"JobName": "b"}],
    },
    _conditional("join", ["a", "b"], ["c"]),
    _conditional("last", ["c"], ["d"]),
]


def _node(kind: str, name: str, state: str, by: str | None = None) -> NodeRecord:
    return NodeRecord(
        kind, name, state, 1.0, f"jr_{name}" if kind == "job" else None, started_by=by
    )


def _run() -> WorkflowRunRecord:
    return WorkflowRunRecord("wr_1", "w", "COMPLETED", {}, TRIGGERS, 1.0)


def test_graph_nodes_and_edges() -> None:
    built = graph("w", TRIGGERS)
    names = [(n["Type"], n["Name"]) for n in built["Nodes"]]
    assert names == [
        ("TRIGGER", "start"),
        ("TRIGGER", "join"),
        ("TRIGGER", "last"),
        ("JOB", "a"),
        ("JOB", "b"),
        ("JOB", "c"),
        ("JOB", "d"),
    ]
    assert len(built["Edges"]) == 7
    assert node_id("w", "job", "a") != node_id("other", "job", "a")
    assert downstream(TRIGGERS, [("job", "a")]) == {
        ("trigger", "join"),
        ("job", "c"),
        ("trigger", "last"),
        ("job", "d"),
    }


def test_resume_restarts_the_chosen_nodes_and_drops_the_redundant_ones() -> None:
    nodes = [
        _node("trigger", "start", "FIRED"),
        _node("job", "a", "FAILED", "start"),
        _node("job", "b", "SUCCEEDED", "start"),
    ]
    plan = plan_resume(_run(), nodes, [node_id("w", "job", "a"), node_id("w", "job", "a")])
    assert plan.node_ids == [node_id("w", "job", "a")]
    assert plan.restarts == [("start", {"JobName": "a"})]
    assert [(n.kind, n.name) for n in plan.kept] == [("trigger", "start"), ("job", "b")]

    # c follows a: choosing both restarts a only (c comes after it anyway).
    nodes += [_node("trigger", "join", "FIRED"), _node("job", "c", "FAILED", "join")]
    plan = plan_resume(_run(), nodes, [node_id("w", "job", "c"), node_id("w", "job", "a")])
    assert plan.node_ids == [node_id("w", "job", "a")]
    assert [(n.kind, n.name) for n in plan.kept] == [("trigger", "start"), ("job", "b")]
    plan = plan_resume(_run(), nodes, [node_id("w", "job", "c")])
    assert plan.restarts == [("join", {"JobName": "c"})]
    with pytest.raises(InvalidInputException, match="did not run"):
        plan_resume(_run(), nodes, [node_id("w", "job", "d")])


def test_graph_as_text() -> None:
    run_nodes = {
        "a": {"JobDetails": {"JobRuns": [{"JobRunState": "SUCCEEDED"}]}},
        "b": {"JobDetails": {"JobRuns": [{"JobRunState": "FAILED"}]}},
    }
    built = graph("w", TRIGGERS, lambda kind, name: run_nodes.get(name, {"JobDetails": {}}))
    assert render_graph(built, with_states=True) == [
        "[trigger] start (ON_DEMAND)",
        "  → [job] a  SUCCEEDED",
        "    → [trigger] join (CONDITIONAL: a SUCCEEDED AND b SUCCEEDED)",
        "      → [job] c  not run",
        "        → [trigger] last (CONDITIONAL: c SUCCEEDED)",
        "          → [job] d  not run",
        "  → [job] b  FAILED",
        "    → [trigger] join (above)",
    ]
    dormant = [TRIGGERS[0], _conditional("join", ["a"], ["c"], State="CREATED")]
    assert render_graph(graph("w", dormant), with_states=False)[2] == (
        "    → [trigger] join (CONDITIONAL: a SUCCEEDED; CREATED: never fires)"
    )
