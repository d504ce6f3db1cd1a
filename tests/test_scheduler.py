"""The scheduler, in process, with a clock the tests move: schedules fire at their times and
once, across restarts (misfire policy) and across two schedulers sharing one PostgreSQL store.

The services are the server's own (``build_services``) without the job supervisor, so a fired
run is recorded (STARTING) but no process starts: these tests are about when and how often
triggers fire, and take milliseconds.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openglue.scheduler.actions import fire_run_id
from openglue.scheduler.clock import ManualClock
from openglue.services import Services, build_services
from openglue.settings import ServerSettings
from openglue.store.job_runs import RunUpdate
from openglue.store.triggers import FireRecord, Outcome
from tests.support.postgres import PostgresServer

START = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC).timestamp()  # a Friday


def at(hhmm: str, day: int = 27) -> float:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return dt.datetime(2026, 11, day, hours, minutes, tzinfo=dt.UTC).timestamp()


def _services(data_dir: Path, clock: ManualClock, store_url: str = "") -> Services:
    return build_services(ServerSettings(data_dir=data_dir, store_url=store_url), clock=clock)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def services(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    built = _services(tmp_path / "data", clock)
    _job(built, "nightly")
    yield built
    built.close()


def _job(services: Services, name: str) -> None:
    services.jobs.create(
        {
            "Name": name,
            "Role": "r",
            "Command": {"Name": "pythonshell", "ScriptLocation": "/nonexistent.py"},
            "ExecutionProperty": {"MaxConcurrentRuns": 100},
        }
    )


def _scheduled(services: Services, name: str, cron: str, job: str = "nightly") -> None:
    services.triggers.create(
        {
            "Name": name,
            "Type": "SCHEDULED",
            "Schedule": cron,
            "StartOnCreation": True,
            "Actions": [{"JobName": job, "Arguments": {"--n": "1"}}],
        }
    )


def _runs(services: Services, job: str = "nightly") -> list[Any]:
    return services.job_runs.newest_first(job, None, 1000)


def test_a_schedule_fires_at_its_times_and_only_then(
    services: Services, clock: ManualClock
) -> None:
    _scheduled(services, "every15", "cron(0/15 * * * ? *)")
    services.scheduler.tick()
    assert _runs(services) == []
    clock.set_to(at("09:44") + 59)
    services.scheduler.tick()
    assert _runs(services) == []
    clock.set_to(at("09:45"))
    services.scheduler.tick()
    services.scheduler.tick()  # a second look at the same time fires nothing more
    runs = _runs(services)
    assert len(runs) == 1
    assert runs[0].spec["TriggerName"] == "every15"
    assert runs[0].spec["Arguments"] == {"--n": "1"}
    clock.set_to(at("10:00") + 1)
    services.scheduler.tick()
    assert len(_runs(services)) == 2
    fires = services.triggers.history("every15")
    assert [f.fire_key for f in fires] == [
        "schedule:2026-11-27T10:00:00+00:00",
        "schedule:2026-11-27T09:45:00+00:00",
    ]
    assert fires[0].outcome == [{"JobName": "nightly", "JobRunId": _runs(services)[0].id}]


def test_the_scheduler_thread_wakes_when_the_clock_moves(
    services: Services, clock: ManualClock
) -> None:
    _scheduled(services, "daily", "cron(0 12 ? * MON-FRI *)")
    services.scheduler.start()
    for day, expected in ((27, 1), (28, 1), (29, 1), (30, 2)):  # Fri, Sat, Sun, Mon
        clock.set_to(at("12:00", day))
        _wait_until(lambda n=expected: len(_runs(services)) == n)
    time.sleep(0.2)
    assert len(_runs(services)) == 2


def test_stopped_and_updated_triggers(services: Services, clock: ManualClock) -> None:
    _scheduled(services, "t", "cron(0/15 * * * ? *)")
    services.triggers.stop("t")
    clock.set_to(at("09:45"))
    services.scheduler.tick()
    assert _runs(services) == []
    services.triggers.start("t")  # next fire computed from now: 10:00
    services.triggers.update("t", {"Schedule": "cron(0/5 * * * ? *)"})  # now 09:50
    clock.set_to(at("09:50"))
    services.scheduler.tick()
    assert len(_runs(services)) == 1


def test_restart_does_not_fire_twice(tmp_path: Path, clock: ManualClock) -> None:
    first = _services(tmp_path / "data", clock)
    _job(first, "nightly")
    _scheduled(first, "t", "cron(0/15 * * * ? *)")
    clock.set_to(at("09:45"))
    first.scheduler.tick()
    first.close()
    clock.set_to(at("09:45") + 30)
    second = _services(tmp_path / "data", clock)
    try:
        second.scheduler.tick()
        assert len(_runs(second)) == 1
    finally:
        second.close()


def test_misfire_within_grace_fires_once(tmp_path: Path, clock: ManualClock) -> None:
    first = _services(tmp_path / "data", clock)
    _job(first, "nightly")
    _scheduled(first, "t", "cron(0/5 * * * ? *)")
    first.close()
    # Down from 09:30 to 09:52: due at 09:35 … 09:50; 09:50 is within the 5-minute grace.
    clock.set_to(at("09:52"))
    second = _services(tmp_path / "data", clock)
    try:
        second.scheduler.tick()
        runs = _runs(second)
        assert len(runs) == 1
        fire = second.triggers.history("t")[0]
        assert fire.fire_key == "schedule:2026-11-27T09:50:00+00:00"
        assert "coalesced" in fire.reason
        trigger = second.triggers.get("t")
        assert trigger.next_fire_on == at("09:55")
    finally:
        second.close()


def test_misfire_past_grace_is_skipped_then_resumes(tmp_path: Path, clock: ManualClock) -> None:
    first = _services(tmp_path / "data", clock)
    _job(first, "nightly")
    _scheduled(first, "t", "cron(0 12 * * ? *)")
    first.close()
    clock.set_to(at("13:00"))  # the 12:00 fire is an hour late
    second = _services(tmp_path / "data", clock)
    try:
        second.scheduler.tick()
        assert _runs(second) == []
        (skipped,) = second.triggers.history("t")
        assert skipped.fire_key == "missed:2026-11-27T12:00:00+00:00"
        assert "misfire policy" in skipped.reason and skipped.outcome == []
        clock.set_to(at("12:00", 28))
        second.scheduler.tick()
        assert len(_runs(second)) == 1
    finally:
        second.close()


def test_and_and_any_predicates(services: Services) -> None:
    for name in ("a", "b", "c"):
        _job(services, name)
    services.triggers.create(
        {
            "Name": "both",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {
                "Logical": "AND",
                "Conditions": [
                    {"JobName": "a", "State": "SUCCEEDED"},
                    {"JobName": "b", "State": "SUCCEEDED"},
                ],
            },
            "Actions": [{"JobName": "c"}],
        }
    )
    services.triggers.create(
        {
            "Name": "either",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {
                "Logical": "ANY",
                "Conditions": [
                    {"JobName": "a", "State": "FAILED"},
                    {"JobName": "b", "State": "FAILED"},
                ],
            },
            "Actions": [{"JobName": "nightly"}],
        }
    )
    finish = services.scheduler.run_finished
    finish(Outcome("job", "a", "jr_a1", "SUCCEEDED", 1.0, "start"))
    services.scheduler.tick()
    assert _runs(services, "c") == []  # b has not succeeded yet
    finish(Outcome("job", "b", "jr_b1", "SUCCEEDED", 2.0, "start"))
    finish(Outcome("job", "b", "jr_b1", "SUCCEEDED", 2.0, "start"))  # told twice: fires once
    services.scheduler.tick()
    (run,) = _runs(services, "c")
    assert run.spec["TriggerName"] == "both"
    assert sorted(p["RunId"] for p in run.spec["PredecessorRuns"]) == ["jr_a1", "jr_b1"]
    assert _runs(services) == []
    finish(Outcome("job", "b", "jr_b2", "FAILED", 3.0, "start"))
    finish(Outcome("job", "a", "jr_a2", "FAILED", 3.0, None))  # not started by a trigger
    services.scheduler.tick()
    (run,) = _runs(services)
    assert run.spec["PredecessorRuns"] == [{"JobName": "b", "RunId": "jr_b2"}]
    assert len(_runs(services, "c")) == 1  # b's failure broke the AND


@pytest.mark.postgres
def test_two_schedulers_on_one_postgres_fire_each_time_once(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    url = postgres.create_database("t_" + uuid.uuid4().hex[:12])
    clocks = [ManualClock(START), ManualClock(START)]
    servers = [_services(tmp_path / f"s{i}", clocks[i], url) for i in range(2)]
    try:
        _job(servers[0], "nightly")
        _scheduled(servers[0], "t", "cron(0/5 * * * ? *)")
        for step in range(1, 13):  # an hour of five-minute fires
            due = START + step * 300
            barrier = threading.Barrier(2)

            def tick(i: int, due: float = due, barrier: threading.Barrier = barrier) -> None:
                clocks[i].set_to(due)
                barrier.wait()
                servers[i].scheduler.tick()

            threads = [threading.Thread(target=tick, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        runs = _runs(servers[1])
        assert len(runs) == 12
        fires = servers[1].triggers.history("t", 100)
        assert len({f.fire_key for f in fires}) == len(fires) == 12
    finally:
        for server in servers:
            server.close()


def _wait_until(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_crawler_schedules_fire(services: Services, clock: ManualClock, tmp_path: Path) -> None:
    data = tmp_path / "events"
    data.mkdir()
    (data / "part-0.csv").write_text("id,kind\n1,a\n2,b\n")
    services.databases.create({"Name": "lake"})
    services.crawlers.create(
        {
            "Name": "events",
            "Role": "r",
            "DatabaseName": "lake",
            "Targets": {"S3Targets": [{"Path": str(data)}]},
            "Schedule": "cron(0/10 * * * ? *)",
        }
    )

    def crawls() -> int:
        return len(services.crawlers.store.crawls("events", None, 100))

    services.scheduler.tick()  # 09:30, a due time, but the schedule is armed from now on
    assert crawls() == 0
    clock.set_to(at("09:40"))
    services.scheduler.tick()
    _wait_until(lambda: services.crawlers.get("events").state == "READY" and crawls() == 1)
    assert services.crawlers.get("events").last_crawl["Status"] == "SUCCEEDED"
    services.crawlers.stop_schedule("events")
    clock.set_to(at("09:50"))
    services.scheduler.tick()
    time.sleep(0.2)
    assert crawls() == 1


def test_a_fire_cut_short_by_a_crash_is_finished_once(services: Services) -> None:
    _job(services, "second")
    services.triggers.create(
        {
            "Name": "pair",
            "Type": "ON_DEMAND",
            "Actions": [{"JobName": "nightly"}, {"JobName": "second"}],
        }
    )
    trigger = services.triggers.get("pair")
    # A server that is gone (no process has pid 2**22 + 1) claimed a fire, and had started
    # the first action only when it died.
    gone = f"{socket.gethostname()}:{2**22 + 1}:1"
    claim = FireRecord("pair", "start:x", START, gone, "StartTrigger", None, None, {})
    assert services.triggers.store.claim_fire(claim)
    first = fire_run_id(trigger, "start:x", 0)
    services.job_runs.start("nightly", {}, {"TriggerName": "pair"}, run_id=first)

    assert services.triggers.firing.resume_unfinished() == 1
    assert services.triggers.firing.resume_unfinished() == 0  # finished now
    assert [r.id for r in _runs(services)] == [first]  # not started twice
    (second,) = _runs(services, "second")
    assert second.id == fire_run_id(trigger, "start:x", 1)
    assert second.spec["TriggerName"] == "pair"
    (fire,) = services.triggers.history("pair")
    assert fire.outcome == [
        {"JobName": "nightly", "JobRunId": first},
        {"JobName": "second", "JobRunId": second.id},
    ]


def test_runs_that_ended_unevaluated_are_evaluated_at_start(
    services: Services, clock: ManualClock
) -> None:
    """A run that ended just before its server stopped, before the scheduler looked at it,
    is evaluated by the next scheduler (within the grace window), and fires once."""
    clock.set_to(time.time())
    _job(services, "after")
    services.triggers.create(
        {
            "Name": "then",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {"Conditions": [{"JobName": "nightly", "State": "SUCCEEDED"}]},
            "Actions": [{"JobName": "after"}],
        }
    )
    run_id = services.job_runs.start("nightly", {}, {"TriggerName": "start"})
    ended = RunUpdate(state="SUCCEEDED", completed_on=time.time(), last_modified_on=time.time())
    # Straight to the store: no one is told, as when the server stops at that moment.
    assert services.job_runs.store.transition(run_id, ["STARTING"], ended) is not None
    services.scheduler.start()
    _wait_until(lambda: len(_runs(services, "after")) == 1)
    (run,) = _runs(services, "after")
    assert run.spec["PredecessorRuns"] == [{"JobName": "nightly", "RunId": run_id}]
    services.scheduler.stop()
    services.scheduler.start()  # and again: the same run fires nothing more
    time.sleep(0.3)
    assert len(_runs(services, "after")) == 1
