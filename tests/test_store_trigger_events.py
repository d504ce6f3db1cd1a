"""Contract suite for the EVENT trigger events store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from openglue.store.sql import SqlStore
from openglue.store.trigger_events import NewEvent, SqlTriggerEventStore
from openglue.store.triggers import FireRecord, SqlTriggerStore, TriggerRecord


def _trigger(name: str, state: str = "ACTIVATED") -> TriggerRecord:
    spec = {"Actions": [{"JobName": "j"}], "EventBatchingCondition": {"BatchSize": 2}}
    return TriggerRecord(name, "EVENT", state, spec, 1.0, 2.0)


def _events(*keys: str) -> list[NewEvent]:
    return [NewEvent(f"s3://b/{k}@v1", f"s3://b/{k}") for k in keys]


def test_events_are_recorded_once_and_wait_for_their_batch(sql_store: SqlStore) -> None:
    triggers = SqlTriggerStore(sql_store)
    triggers.create(_trigger("on"), [])
    triggers.create(_trigger("off", state="DEACTIVATED"), [])
    store = SqlTriggerEventStore(sql_store)
    assert [t.name for t in store.event_triggers()] == ["on"]
    assert store.add("on", _events("a", "b", "a"), 10.0) == 2
    assert store.add("on", _events("b", "c"), 20.0) == 1
    assert store.add("off", _events("a"), 20.0) == 1
    assert store.add("missing", _events("a"), 20.0) == 0
    [waiting] = store.waiting()  # the deactivated trigger's events do not count
    assert (waiting.trigger.name, waiting.count, waiting.first_received_on) == ("on", 3, 10.0)
    pending = store.pending("on", 2)
    assert [e.address for e in pending] == ["s3://b/a", "s3://b/b"]
    assert store.known_ids("on", "s3://b/") == {"s3://b/a@v1", "s3://b/b@v1", "s3://b/c@v1"}
    assert store.known_ids("on", "s3://b/c") == {"s3://b/c@v1"}


def test_a_batch_is_taken_all_or_none_and_fired_once(sql_store: SqlStore) -> None:
    triggers = SqlTriggerStore(sql_store)
    triggers.create(_trigger("on"), [])
    store = SqlTriggerEventStore(sql_store)
    store.add("on", _events("a", "b", "c"), 1.0)
    a, b, c = store.pending("on", 10)
    assert store.take_batch("on", [a.seq, b.seq], "events:1")
    assert not store.take_batch("on", [b.seq, c.seq], "events:2")  # b was taken: c stays
    assert [e.seq for e in store.pending("on", 10)] == [c.seq]
    assert [e.seq for e in store.batch("on", "events:1")] == [a.seq, b.seq]
    assert store.unfired_batches() == [("on", "events:1")]
    fire = FireRecord("on", "events:1", 2.0, "me", "2 new objects")
    assert triggers.claim_fire(fire)
    assert store.unfired_batches() == []


def test_concurrent_takers_share_nothing(sql_store: SqlStore) -> None:
    SqlTriggerStore(sql_store).create(_trigger("on"), [])
    store = SqlTriggerEventStore(sql_store)
    store.add("on", _events(*(str(n) for n in range(40))), 1.0)
    seqs = [e.seq for e in store.pending("on", 100)]
    won: list[str] = []

    def take(name: str) -> None:
        for start in range(0, 40, 4):
            if store.take_batch("on", seqs[start : start + 4], f"{name}:{start}"):
                won.append(f"{name}:{start}")

    workers = [threading.Thread(target=take, args=(n,)) for n in ("x", "y", "z")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(int(w.split(":")[1]) for w in won) == list(range(0, 40, 4))


def test_taking_stock_records_objects_as_seen_not_waiting(sql_store: SqlStore) -> None:
    triggers = SqlTriggerStore(sql_store)
    triggers.create(_trigger("on"), [])
    store = SqlTriggerEventStore(sql_store)
    assert not store.is_watched("on", "s3://b/")
    store.start_watch("on", "s3://b/", _events("old"), 5.0)
    store.start_watch("on", "s3://b/", _events("old", "older"), 6.0)  # again: harmless
    assert store.is_watched("on", "s3://b/")
    assert not store.is_watched("on", "s3://b/other/")
    assert store.waiting() == []
    assert store.unfired_batches() == []
    assert store.add("on", _events("old", "new"), 7.0) == 1
    triggers.delete("on")
    assert store.known_ids("on", "") == set()
