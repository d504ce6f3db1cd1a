"""Contract suite for the trigger store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.crawler_schedules import SqlCrawlerScheduleStore
from openglue.store.job_runs import JobRunRecord, SqlJobRunStore
from openglue.store.jobs import JobRecord, SqlJobStore
from openglue.store.migrations import LATEST, current_version
from openglue.store.sql import SqlStore
from openglue.store.triggers import FireRecord, Link, Outcome, SqlTriggerStore, TriggerRecord


def _trigger(name: str, state: str = "CREATED", next_fire_on: float | None = None) -> TriggerRecord:
    spec = {"Actions": [{"JobName": "j"}], "Schedule": "cron(0 12 * * ? *)"}
    return TriggerRecord(name, "SCHEDULED", state, spec, 1.0, 2.0, None, next_fire_on)


def test_the_store_is_at_version_5_or_later(sql_store: SqlStore) -> None:
    with sql_store.read() as conn:
        assert current_version(conn) == LATEST >= 5


def test_create_get_list_replace_delete(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    for name in ("b", "a", "B"):
        store.create(_trigger(name), [Link("starts", "job", "j" + name)])
    assert store.get("a") == _trigger("a")
    assert store.get("A") is None
    assert [t.name for t in store.list(None, 10)] == ["B", "a", "b"]
    assert [t.name for t in store.list("B", 1)] == ["a"]
    assert [t.name for t in store.list(None, 10, starts_job="ja")] == ["a"]
    assert sorted(store.get_many(["a", "zz", "b"])) == ["a", "b"]
    with pytest.raises(AlreadyExistsException, match="Trigger a already exists"):
        store.create(_trigger("a"), [])

    changed = TriggerRecord("a", "CONDITIONAL", "ACTIVATED", {"Actions": []}, 1.0, 5.0, "wf")
    store.replace(changed, [Link("watches", "job", "up"), Link("starts", "job", "down")])
    assert store.get("a") == changed
    assert [t.name for t in store.list(None, 10, starts_job="ja")] == []
    assert [t.name for t in store.list(None, 10, starts_job="down")] == ["a"]
    assert [t.name for t in store.watching("job", "up")] == ["a"]
    assert store.watching("crawler", "up") == []
    with pytest.raises(EntityNotFoundException):
        store.replace(_trigger("missing"), [])
    assert store.delete("a") is True
    assert store.delete("a") is False
    assert store.list(None, 10, starts_job="down") == []


def test_state_changes_are_compare_and_set(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.create(_trigger("t"), [])
    activated = store.set_state("t", ["CREATED"], "ACTIVATED", 100.0)
    assert activated is not None and activated.next_fire_on == 100.0
    assert store.set_state("t", ["CREATED"], "ACTIVATED", 200.0) is None
    assert store.set_state("missing", ["CREATED"], "ACTIVATED", 1.0) is None
    store.create(_trigger("later", "ACTIVATED", 300.0), [])
    store.create(_trigger("off", "DEACTIVATED", 50.0), [])
    assert [t.name for t in store.due(150.0, 10)] == ["t"]
    assert [t.name for t in store.due(300.0, 10)] == ["t", "later"]
    assert store.next_due() == 100.0


def test_a_fire_is_claimed_once(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.create(_trigger("t", "ACTIVATED", 100.0), [])
    fire = FireRecord("t", "schedule:100", 101.0, "me", "due", 100.0)
    assert store.claim_fire(fire, expected_next=100.0, new_next=200.0) is True
    # The same key again, or a stale next-fire time: refused, and nothing changes.
    assert store.claim_fire(fire, expected_next=200.0, new_next=300.0) is False
    other = FireRecord("t", "schedule:other", 101.0, "you", "due", 100.0)
    assert store.claim_fire(other, expected_next=100.0, new_next=300.0) is False
    current = store.get("t")
    assert current is not None and current.next_fire_on == 200.0
    # Keys without a schedule move (conditional fires).
    assert store.claim_fire(FireRecord("t", "runs:a", 102.0, "me", "met")) is True
    assert store.claim_fire(FireRecord("t", "runs:a", 103.0, "you", "met")) is False
    assert store.claim_fire(FireRecord("gone", "runs:a", 103.0, "you", "met")) is False
    store.record_outcome("t", "runs:a", [{"JobName": "j", "JobRunId": "jr_1"}])
    history = store.fires("t", 10)
    assert [(f.fire_key, f.owner) for f in history] == [("runs:a", "me"), ("schedule:100", "me")]
    assert history[0].outcome == [{"JobName": "j", "JobRunId": "jr_1"}]


def test_racing_claims_have_one_winner(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.create(_trigger("t", "ACTIVATED", 100.0), [])
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim(i: int) -> None:
        barrier.wait()
        fire = FireRecord("t", "schedule:100", 101.0, f"s{i}", "due", 100.0)
        results.append(store.claim_fire(fire, expected_next=100.0, new_next=200.0))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert len(store.fires("t", 10)) == 1


def test_latest_outcomes(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.record_finished(Outcome("job", "a", "jr_1", "FAILED", 1.0, None))
    store.record_finished(Outcome("job", "a", "jr_2", "SUCCEEDED", 2.0, "t"))
    store.record_finished(Outcome("crawler", "a", "c1", "SUCCEEDED", 3.0, None))
    found = store.latest_outcomes({("job", "a"), ("job", "b")})
    assert found == {("job", "a"): Outcome("job", "a", "jr_2", "SUCCEEDED", 2.0, "t")}
    assert store.latest_outcomes(set()) == {}


def test_crawler_schedule_state(sql_store: SqlStore) -> None:
    store = SqlCrawlerScheduleStore(sql_store)
    assert store.armed() == {} and store.next_due() is None
    store.arm("a", "cron(0 12 * * ? *)", 100.0)
    store.arm("b", "cron(0 13 * * ? *)", 50.0)
    store.arm("a", "cron(0 14 * * ? *)", 200.0)  # re-armed with a changed schedule
    assert store.armed() == {"a": ("cron(0 14 * * ? *)", 200.0), "b": ("cron(0 13 * * ? *)", 50.0)}
    assert store.next_due() == 50.0
    assert store.advance("b", 50.0, 150.0) is True
    assert store.advance("b", 50.0, 300.0) is False  # another scheduler moved it first
    store.disarm(["b", "missing"])
    assert store.armed() == {"a": ("cron(0 14 * * ? *)", 200.0)}


def test_unfinished_fires_are_taken_over_once(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.create(_trigger("t"), [])
    context = {"PredecessorRuns": [{"JobName": "a", "RunId": "jr_a"}]}
    store.claim_fire(FireRecord("t", "done", 1.0, "old", "r", None, None, None))
    store.record_outcome("t", "done", [])
    store.claim_fire(FireRecord("t", "cut", 2.0, "old", "r", None, None, context))
    (unfinished,) = store.unfinished_fires()
    assert (unfinished.fire_key, unfinished.context) == ("cut", context)
    assert store.take_over_fire(unfinished, "new") is True
    assert store.take_over_fire(unfinished, "other") is False  # its owner is no longer "old"
    store.record_outcome("t", "cut", [{"JobName": "j", "JobRunId": "jr_1"}])
    assert store.unfinished_fires() == []


def test_an_older_outcome_does_not_replace_a_newer_one(sql_store: SqlStore) -> None:
    store = SqlTriggerStore(sql_store)
    store.record_finished(Outcome("job", "a", "jr_2", "SUCCEEDED", 2.0, None))
    store.record_finished(Outcome("job", "a", "jr_1", "FAILED", 1.0, None))
    found = store.latest_outcomes({("job", "a")})
    assert found[("job", "a")].run_id == "jr_2"


def test_finished_job_runs(sql_store: SqlStore) -> None:
    SqlJobStore(sql_store).create(JobRecord("j", {"Role": "r"}, 1.0, 1.0))
    runs = SqlJobRunStore(sql_store)
    for run_id, state, ended in [
        ("jr_old", "SUCCEEDED", 10.0),
        ("jr_b", "FAILED", 30.0),
        ("jr_a", "SUCCEEDED", 20.0),
        ("jr_err", "ERROR", 25.0),  # not a state triggers watch
        ("jr_live", "RUNNING", None),
    ]:
        spec = {"TriggerName": "t"} if run_id == "jr_a" else {}
        runs.create(
            JobRunRecord(run_id, "j", state, 0, None, 1.0, 1.0, spec, {}, "me", completed_on=ended)
        )
    found = SqlTriggerStore(sql_store).finished_job_runs(15.0)
    assert found == [
        Outcome("job", "j", "jr_a", "SUCCEEDED", 20.0, "t"),
        Outcome("job", "j", "jr_b", "FAILED", 30.0, None),
    ]
