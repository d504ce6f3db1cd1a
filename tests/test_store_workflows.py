"""Contract suite for the workflow store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.migrations import LATEST, current_version
from openglue.store.sql import SqlStore
from openglue.store.triggers import SqlTriggerStore, TriggerRecord
from openglue.store.workflows import (
    NodeRecord,
    SqlWorkflowStore,
    WorkflowRecord,
    WorkflowRunRecord,
    workflow_triggers,
)

GRAPH = [{"Name": "start", "Type": "ON_DEMAND", "Actions": [{"JobName": "a"}]}]


def _run(run_id: str, workflow: str = "w", status: str = "RUNNING") -> WorkflowRunRecord:
    return WorkflowRunRecord(run_id, workflow, status, {"day": "mon"}, GRAPH, 10.0)


def test_the_store_is_at_version_6_or_later(sql_store: SqlStore) -> None:
    with sql_store.read() as conn:
        assert current_version(conn) == LATEST >= 6


def test_workflow_definitions(sql_store: SqlStore) -> None:
    store = SqlWorkflowStore(sql_store)
    for name in ("b", "a", "B"):
        store.create(WorkflowRecord(name, {"Description": name}, 1.0, 2.0))
    assert store.get("a") == WorkflowRecord("a", {"Description": "a"}, 1.0, 2.0)
    assert store.get("A") is None
    assert store.list(None, 10) == ["B", "a", "b"]
    assert store.list("B", 1) == ["a"]
    with pytest.raises(AlreadyExistsException, match="Workflow a already exists"):
        store.create(WorkflowRecord("a", {}, 1.0, 1.0))
    store.replace(WorkflowRecord("a", {"MaxConcurrentRuns": 1}, 1.0, 3.0))
    assert store.get("a") == WorkflowRecord("a", {"MaxConcurrentRuns": 1}, 1.0, 3.0)
    with pytest.raises(EntityNotFoundException):
        store.replace(WorkflowRecord("zz", {}, 1.0, 1.0))
    assert store.delete("a") and not store.delete("a")
    assert store.get("a") is None


def test_runs_limits_and_properties(sql_store: SqlStore) -> None:
    store = SqlWorkflowStore(sql_store)
    store.create(WorkflowRecord("w", {}, 1.0, 1.0))
    assert store.start_run(
        _run("wr_1"), limit=1, nodes=[NodeRecord("trigger", "start", "FIRED", 10.0)]
    )
    assert not store.start_run(_run("wr_2"), limit=1)  # one RUNNING already
    assert store.start_run(_run("wr_2"), limit=None)
    assert store.get_run("wr_1") == _run("wr_1")
    assert store.get_run("wr_1").seq < store.get_run("wr_2").seq  # type: ignore[union-attr]
    assert [r.id for r in store.runs("w", None, 10)] == ["wr_2", "wr_1"]
    newest = store.runs("w", None, 1)[0]
    assert [r.id for r in store.runs("w", newest.seq, 10)] == ["wr_1"]
    with pytest.raises(EntityNotFoundException, match="Workflow gone not found"):
        store.start_run(_run("wr_3", "gone"), limit=None)

    assert not store.set_status("wr_1", ("STOPPING",), "STOPPED", 20.0)
    assert store.set_status("wr_1", ("RUNNING",), "COMPLETED", 20.0)
    assert store.get_run("wr_1") == replace(_run("wr_1", status="COMPLETED"), completed_on=20.0)
    assert store.start_run(_run("wr_4"), limit=2)  # wr_1 ended: one slot taken, one free

    assert store.merge_properties("wr_1", {"day": "tue", "new": "1"})
    assert store.get_run("wr_1").properties == {"day": "tue", "new": "1"}  # type: ignore[union-attr]
    assert not store.merge_properties("wr_none", {"a": "b"})
    store.delete("w")  # runs go with their workflow
    assert store.get_run("wr_1") is None


def test_nodes_are_claimed_once_and_finished_by_run_id(sql_store: SqlStore) -> None:
    store = SqlWorkflowStore(sql_store)
    store.create(WorkflowRecord("w", {}, 1.0, 1.0))
    store.start_run(_run("wr_1"), limit=None)
    job = NodeRecord("job", "a", "STARTING", 11.0, "jr_1", started_by="start")
    assert store.claim_node("wr_1", job)
    assert not store.claim_node("wr_1", replace(job, run_id="jr_other"))
    assert not store.claim_node("wr_none", job)
    crawler = NodeRecord("crawler", "c", "RUNNING", 12.0)
    assert store.claim_node("wr_1", crawler)
    store.attach_node("wr_1", "crawler", "c", "crawl-1")
    assert store.finish_node("job", "jr_1", "FAILED", 13.0, "boom") == "wr_1"
    assert store.finish_node("crawler", "crawl-1", "SUCCEEDED", 14.0, None) == "wr_1"
    assert store.finish_node("job", "jr_unknown", "FAILED", 13.0, None) is None
    assert store.nodes("wr_1") == [
        replace(job, state="FAILED", completed_on=13.0, error_message="boom"),
        replace(crawler, state="SUCCEEDED", run_id="crawl-1", completed_on=14.0),
    ]

    # A resumed run starts with a copy of a finished node; outcomes go to the newest run.
    copied = replace(job, state="FAILED", completed_on=13.0)
    store.start_run(_run("wr_2"), limit=None, nodes=[copied])
    assert store.finish_node("job", "jr_1", "SUCCEEDED", 15.0, None) == "wr_2"
    assert store.nodes("wr_1")[0].state == "FAILED"


def test_concurrent_claims_of_one_node_let_one_win(sql_store: SqlStore) -> None:
    store = SqlWorkflowStore(sql_store)
    store.create(WorkflowRecord("w", {}, 1.0, 1.0))
    store.start_run(_run("wr_1"), limit=None)
    wins: list[bool] = []

    def claim() -> None:
        wins.append(store.claim_node("wr_1", NodeRecord("trigger", "then", "FIRED", 1.0)))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_workflow_triggers_are_found_by_workflow_name(sql_store: SqlStore) -> None:
    triggers = SqlTriggerStore(sql_store)
    spec = {"Actions": [{"JobName": "j"}]}
    for name, workflow in (("t2", "w"), ("t1", "w"), ("t3", "other"), ("t4", None)):
        triggers.create(TriggerRecord(name, "ON_DEMAND", "CREATED", spec, 1.0, 1.0, workflow), [])
    assert list(workflow_triggers(sql_store, "w")) == ["t1", "t2"]
