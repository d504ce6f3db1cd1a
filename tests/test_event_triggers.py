"""EVENT triggers in process, with a clock the tests move: new objects under a prefix become
events, batches fire when full or when their window ends, exactly once, across restarts.

The services are the server's own (``build_services``) without the job supervisor, so a fired
run is recorded but no process starts. The prefix polls are called directly (their thread is
not started) on real files in the embedded buckets.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openglue.errors import InvalidInputException
from openglue.scheduler.clock import ManualClock
from openglue.scheduler.event_sources import SOURCE_TAG, ObjectVersion, created_objects
from openglue.services import Services, build_services
from openglue.settings import ServerSettings
from tests.support.postgres import PostgresServer

START = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC).timestamp()
PREFIX = "s3://my-app-bucket/orders/"


def _services(data_dir: Path, clock: ManualClock) -> Services:
    built = build_services(ServerSettings(data_dir=data_dir), clock=clock)
    built.events.polls.settle = 0.0  # files here are written whole before each poll
    return built


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path, clock: ManualClock) -> Iterator[Services]:
    built = _services(data_dir, clock)
    built.jobs.create(
        {
            "Name": "load",
            "Role": "r",
            "Command": {"Name": "pythonshell", "ScriptLocation": "/nonexistent.py"},
            "ExecutionProperty": {"MaxConcurrentRuns": 100},
        }
    )
    yield built
    built.close()


def _event_trigger(services: Services, size: int, window: int | None = None) -> None:
    condition: dict[str, Any] = {"BatchSize": size}
    if window is not None:
        condition["BatchWindow"] = window
    services.triggers.create(
        {
            "Name": "on-orders",
            "Type": "EVENT",
            "EventBatchingCondition": condition,
            "StartOnCreation": True,
            "Actions": [{"JobName": "load"}],
            "Tags": {SOURCE_TAG: PREFIX},
        }
    )


def _write(data_dir: Path, key: str, text: str = "id\n1\n") -> None:
    path = data_dir / "buckets" / "my-app-bucket" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _look(services: Services) -> None:
    services.events.polls.poll()
    services.scheduler.tick()


def _runs(services: Services) -> list[Any]:
    return services.job_runs.newest_first("load", None, 1000)


def _fires(services: Services) -> list[Any]:
    return [f for f in services.triggers.history("on-orders") if f.fire_key.startswith("events:")]


def test_a_full_batch_fires_once_with_its_objects(services: Services, data_dir: Path) -> None:
    _write(data_dir, "orders/before.csv")  # there before the trigger: not an event
    _event_trigger(services, size=3)
    _write(data_dir, "other/x.csv")  # outside the prefix
    _write(data_dir, "orders/.part")  # hidden: never data
    _write(data_dir, "orders/a.csv")
    _write(data_dir, "orders/2026/b.csv")
    _look(services)
    assert _runs(services) == []
    _write(data_dir, "orders/c.csv")
    _look(services)
    _look(services)  # a second look finds nothing new
    runs = _runs(services)
    assert len(runs) == 1
    assert runs[0].spec["TriggerName"] == "on-orders"
    [fire] = _fires(services)
    assert fire.context is not None
    assert sorted(fire.context["Objects"]) == [
        PREFIX + "2026/b.csv",
        PREFIX + "a.csv",
        PREFIX + "c.csv",
    ]
    assert fire.context["StartingEventBatchCondition"] == {"BatchSize": 3}
    assert fire.outcome == [{"JobName": "load", "JobRunId": runs[0].id}]
    # Rewriting an object is a new version, so a new event; an untouched one is not.
    _write(data_dir, "orders/a.csv", "id\n1\n2\n")
    _look(services)
    assert services.events.batches.store.pending("on-orders", 10)[0].address == PREFIX + "a.csv"


def test_a_batch_fires_when_its_window_ends(
    services: Services, data_dir: Path, clock: ManualClock
) -> None:
    _event_trigger(services, size=5, window=60)
    _write(data_dir, "orders/a.csv")
    _write(data_dir, "orders/b.csv")
    _look(services)
    assert services.scheduler._idle_time() <= 60
    clock.advance(59)
    _look(services)
    assert _runs(services) == []
    clock.advance(1)
    _look(services)
    assert len(_runs(services)) == 1
    [fire] = _fires(services)
    assert fire.context["StartingEventBatchCondition"] == {"BatchSize": 2, "BatchWindow": 60}
    # The next batch's window starts at its own first event.
    _write(data_dir, "orders/c.csv")
    clock.advance(30)
    _look(services)
    clock.advance(59)
    _look(services)
    assert len(_runs(services)) == 1
    clock.advance(1)
    _look(services)
    assert len(_runs(services)) == 2


def test_more_events_than_a_batch_fire_several_batches(services: Services) -> None:
    _event_trigger(services, size=2)
    objects = [ObjectVersion(f"{PREFIX}{n}.csv", "etag") for n in range(5)]
    assert services.events.router.route(objects) == 5
    assert services.events.router.route(objects[:2]) == 0  # the same versions again
    services.scheduler.tick()
    assert len(_runs(services)) == 2  # two full batches; the fifth event waits
    assert len(services.events.batches.store.pending("on-orders", 10)) == 1


def test_waiting_events_and_new_objects_survive_a_restart(
    services: Services, data_dir: Path, clock: ManualClock
) -> None:
    _event_trigger(services, size=3)
    _write(data_dir, "orders/a.csv")
    _look(services)
    services.close()
    _write(data_dir, "orders/b.csv")  # while no server runs
    again = _services(data_dir, clock)
    try:
        _look(again)
        assert _runs(again) == []
        _write(data_dir, "orders/c.csv")
        _look(again)
        assert len(_runs(again)) == 1
        [fire] = _fires(again)
        assert len(fire.context["Objects"]) == 3
    finally:
        again.close()


def test_a_batch_taken_before_a_crash_fires_once_after_it(
    services: Services, data_dir: Path, clock: ManualClock
) -> None:
    _event_trigger(services, size=1)
    services.events.router.route([ObjectVersion(PREFIX + "a.csv", "1")])
    store = services.events.batches.store
    [event] = store.pending("on-orders", 10)
    assert store.take_batch("on-orders", [event.seq], "events:1-1")  # then the server died
    services.close()
    again = _services(data_dir, clock)
    try:
        assert again.events.batches.resume() == 1
        assert again.events.batches.resume() == 0
        again.scheduler.tick()
        assert len(_runs(again)) == 1
    finally:
        again.close()


def test_two_schedulers_on_one_store_fire_each_batch_once(
    services: Services, data_dir: Path, clock: ManualClock
) -> None:
    _event_trigger(services, size=1)
    other = _services(data_dir, clock)
    try:
        objects = [ObjectVersion(f"{PREFIX}{n}.csv", "e") for n in range(20)]
        services.events.router.route(objects)
        workers = [threading.Thread(target=s.scheduler.tick) for s in (services, other)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        runs = _runs(services)
        assert len(runs) == 20
        assert len({r.id for r in runs}) == 20
    finally:
        other.close()


def test_a_deactivated_trigger_hears_nothing_and_restarting_takes_stock(
    services: Services, data_dir: Path
) -> None:
    _event_trigger(services, size=1)
    services.triggers.stop("on-orders")
    _write(data_dir, "orders/a.csv")
    _look(services)
    services.triggers.start("on-orders")
    _look(services)
    assert _runs(services) == []
    _write(data_dir, "orders/b.csv")
    _look(services)
    assert len(_runs(services)) == 1


def test_the_source_tag_must_be_an_s3_prefix(services: Services) -> None:
    with pytest.raises(InvalidInputException, match="not an s3:// address"):
        services.triggers.create(
            {
                "Name": "bad",
                "Type": "EVENT",
                "Actions": [{"JobName": "load"}],
                "Tags": {SOURCE_TAG: "/tmp/orders"},
            }
        )


def test_s3_event_notifications_are_read_as_s3_and_minio_send_them() -> None:
    payload = {
        "EventName": "s3:ObjectCreated:Put",
        "Records": [
            {
                "eventName": "s3:ObjectCreated:Put",
                "s3": {
                    "bucket": {"name": "b"},
                    "object": {"key": "orders/new+file%3D1.csv", "eTag": '"abc"'},
                },
            },
            {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "b"}}},
            {
                "eventName": "ObjectCreated:CompleteMultipartUpload",
                "s3": {"bucket": {"name": "b"}, "object": {"key": "k", "sequencer": "0A1"}},
            },
        ],
    }
    assert created_objects(payload) == [
        ObjectVersion("s3://b/orders/new file=1.csv", "abc"),
        ObjectVersion("s3://b/k", "0A1"),
    ]
    with pytest.raises(ValueError, match="Records"):
        created_objects({"records": []})
    with pytest.raises(ValueError, match=r"Records\[0\]"):
        created_objects({"Records": [{"eventName": "ObjectCreated:Put", "s3": {}}]})
    with pytest.raises(ValueError, match=r"Records\[1\]"):
        created_objects({"Records": ["x", {"eventName": "ObjectCreated:Put", "s3": "y"}]})


def test_file_notifications_wake_the_polls(tmp_path: Path) -> None:
    if not os.path.exists("/proc/sys/fs/inotify"):
        pytest.skip("no inotify on this system")
    from openglue.scheduler.local_notifications import LocalNotifications

    woken = threading.Event()
    watcher = LocalNotifications(tmp_path / "buckets", woken.set)
    assert watcher.start()
    try:
        folder = tmp_path / "buckets" / "b" / "deep" / "er"
        folder.mkdir(parents=True)
        assert woken.wait(5)  # a new folder: looked at at once
        woken.clear()
        (folder / "x.csv").write_text("1")
        assert woken.wait(5)  # a file closed in a folder created after the watch began
    finally:
        watcher.stop()


@pytest.mark.postgres
def test_two_servers_on_one_postgres_fire_each_event_once(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    url = postgres.create_database("t_" + uuid.uuid4().hex[:12])
    servers = [
        build_services(
            ServerSettings(data_dir=tmp_path / f"s{i}", store_url=url), ManualClock(START)
        )
        for i in range(2)
    ]
    try:
        servers[0].jobs.create(
            {
                "Name": "load",
                "Role": "r",
                "Command": {"Name": "pythonshell", "ScriptLocation": "/nonexistent.py"},
                "ExecutionProperty": {"MaxConcurrentRuns": 100},
            }
        )
        _event_trigger(servers[0], size=3)
        objects = [ObjectVersion(f"{PREFIX}{n}.csv", "e") for n in range(30)]

        def both_hear_and_fire(server: Services) -> None:
            for start in range(0, 30, 5):  # both hear of every object, as two polls would
                server.events.router.route(objects[start : start + 5])
                server.scheduler.tick()

        workers = [threading.Thread(target=both_hear_and_fire, args=(s,)) for s in servers]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        fired = [a for f in _fires(servers[1]) for a in f.context["Objects"]]
        assert sorted(fired) == sorted(o.address for o in objects)
        assert len(_runs(servers[0])) == 10
    finally:
        for server in servers:
            server.close()
