"""Contract suite for the job-run store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from openglue.errors import EntityNotFoundException
from openglue.store.job_runs import JobRunRecord, RunUpdate, SqlJobRunStore
from openglue.store.jobs import JobRecord, SqlJobStore
from openglue.store.sql import SqlStore


def _run(run_id: str, state: str = "STARTING", job: str = "j", owner: str = "me") -> JobRunRecord:
    return JobRunRecord(
        id=run_id,
        job_name=job,
        state=state,
        attempt=0,
        previous_run_id=None,
        started_on=1.0,
        last_modified_on=1.0,
        spec={"Arguments": {"--k": "v"}},
        launch={"MaxRetries": 0},
        owner=owner,
    )


@pytest.fixture
def runs(sql_store: SqlStore) -> SqlJobRunStore:
    jobs = SqlJobStore(sql_store)
    for name in ("j", "other"):
        jobs.create(JobRecord(name, {}, 1.0, 1.0))
    return SqlJobRunStore(sql_store)


def test_create_get_and_list_newest_first(runs: SqlJobRunStore) -> None:
    for i in range(5):
        assert runs.create(_run(f"r{i}")) is True
    runs.create(_run("x", job="other"))
    got = runs.get("r1")
    assert got is not None and got.job_name == "j" and got.spec == {"Arguments": {"--k": "v"}}
    assert got == replace(_run("r1"), seq=got.seq)
    assert runs.get("missing") is None
    first = runs.newest_first("j", None, 2)
    assert [r.id for r in first] == ["r4", "r3"]
    assert [r.id for r in runs.newest_first("j", first[-1].seq, 10)] == ["r2", "r1", "r0"]
    assert runs.newest_first("nope", None, 10) == []
    with pytest.raises(EntityNotFoundException, match="Job nope not found"):
        runs.create(_run("y", job="nope"))


def test_slot_limit_counts_live_runs(runs: SqlJobRunStore) -> None:
    assert runs.create(_run("a", "RUNNING"), slot_limit=2)
    assert runs.create(_run("b", "WAITING"), slot_limit=2)
    assert runs.create(_run("c"), slot_limit=2) is False  # RUNNING + WAITING fill both
    assert runs.get("c") is None
    assert runs.create(_run("d", job="other"), slot_limit=1)  # per job
    runs.transition("a", ["RUNNING"], RunUpdate(state="SUCCEEDED"))
    assert runs.create(_run("c"), slot_limit=2)


def test_transition_is_a_compare_and_set(runs: SqlJobRunStore) -> None:
    runs.create(_run("a"))
    assert runs.transition("a", ["RUNNING"], RunUpdate(state="SUCCEEDED")) is None
    assert runs.transition("a", ["STARTING"], RunUpdate(state="RUNNING"), "not-me") is None
    moved = runs.transition(
        "a", ["STARTING"], RunUpdate(state="RUNNING", running_on=5.0, pid=42, pid_start=7), "me"
    )
    assert moved is not None and (moved.state, moved.running_on, moved.pid) == ("RUNNING", 5.0, 42)
    assert moved.error_message is None and moved.pid_start == 7
    assert runs.transition("missing", ["STARTING"], RunUpdate(state="RUNNING")) is None


def test_follow_up_is_created_with_the_transition(runs: SqlJobRunStore) -> None:
    runs.create(_run("a", "RUNNING"))
    retry = replace(_run("a_attempt_1"), attempt=1, previous_run_id="a")
    failed = runs.transition(
        "a", ["RUNNING"], RunUpdate(state="FAILED", error_message="boom"), follow_up=retry
    )
    assert failed is not None and failed.error_message == "boom"
    got = runs.get("a_attempt_1")
    assert got is not None and (got.attempt, got.previous_run_id) == (1, "a")
    # No transition, no follow-up.
    assert runs.transition("a", ["RUNNING"], RunUpdate(state="FAILED"), follow_up=_run("z")) is None
    assert runs.get("z") is None


def test_live_and_promote_waiting(runs: SqlJobRunStore) -> None:
    runs.create(_run("done", "SUCCEEDED"))
    runs.create(_run("busy", "RUNNING"))
    for name in ("w1", "w2", "w3"):
        runs.create(_run(name, "WAITING"))
    runs.create(_run("theirs", "WAITING", owner="them"))
    assert [r.id for r in runs.live()] == ["busy", "w1", "w2", "w3", "theirs"]
    assert [r.id for r in runs.live("them")] == ["theirs"]
    start = RunUpdate(state="STARTING", state_detail="")
    assert runs.promote_waiting("j", 1, start, "me") == []  # "busy" holds the only slot
    promoted = runs.promote_waiting("j", 3, start, "me")
    assert [(r.id, r.state) for r in promoted] == [("w1", "STARTING"), ("w2", "STARTING")]
    assert runs.promote_waiting("j", 3, start, "me") == []
    with pytest.raises(EntityNotFoundException):
        runs.promote_waiting("nope", 3, start, "me")


def test_deleting_the_job_deletes_its_runs(sql_store: SqlStore, runs: SqlJobRunStore) -> None:
    runs.create(_run("a", "RUNNING"))
    runs.create(_run("b", job="other"))
    assert SqlJobStore(sql_store).delete("j")
    assert runs.get("a") is None
    assert [r.id for r in runs.live()] == ["b"]


def test_concurrent_starts_never_exceed_the_limit(runs: SqlJobRunStore) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def start(i: int) -> None:
        barrier.wait()
        results.append(runs.create(_run(f"c{i}"), slot_limit=3))

    threads = [threading.Thread(target=start, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True] * 3
    assert len(runs.live()) == 3
