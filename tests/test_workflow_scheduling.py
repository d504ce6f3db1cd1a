"""Workflow runs inside the server's own services, with a clock the tests move (as in
test_scheduler.py): a SCHEDULED start trigger starts a workflow run, and a conditional
trigger of a workflow fires only for runs of the same workflow run, once.

No job supervisor runs here: runs are recorded STARTING and the tests end them through the
run ledger (the one place that changes a run's state), which tells the scheduler as the
supervisor would.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openglue.jobs.states import Event
from openglue.scheduler.clock import ManualClock
from openglue.scheduler.event_sources import SOURCE_TAG
from openglue.scheduler.wiring import job_outcome
from openglue.services import Services, build_services
from openglue.settings import ServerSettings
from openglue.store.trigger_events import NewEvent
from openglue.store.triggers import FireRecord

START = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def services(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    built = build_services(ServerSettings(data_dir=tmp_path / "data"), clock=clock)
    for job in ("a", "b", "c"):
        built.jobs.create(
            {
                "Name": job,
                "Role": "r",
                "Command": {"Name": "pythonshell", "ScriptLocation": "/nonexistent.py"},
                "ExecutionProperty": {"MaxConcurrentRuns": 10},
            }
        )
    built.workflows.create({"Name": "w"})
    built.triggers.create(
        {
            "Name": "every15",
            "WorkflowName": "w",
            "Type": "SCHEDULED",
            "Schedule": "cron(0/15 * * * ? *)",
            "StartOnCreation": True,
            "Actions": [{"JobName": "a"}],
        }
    )
    built.triggers.create(
        {
            "Name": "then",
            "WorkflowName": "w",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {"Conditions": [{"JobName": "a", "State": "SUCCEEDED"}]},
            "Actions": [{"JobName": "b"}],
        }
    )
    # Never activated: it does not fire, in a workflow either.
    built.triggers.create(
        {
            "Name": "dormant",
            "WorkflowName": "w",
            "Type": "CONDITIONAL",
            "Predicate": {"Conditions": [{"JobName": "a", "State": "SUCCEEDED"}]},
            "Actions": [{"JobName": "c"}],
        }
    )
    yield built
    built.close()


def _runs(services: Services, job: str) -> list[Any]:
    return services.job_runs.newest_first(job, None, 100)


def _succeed(services: Services, run: Any) -> None:
    running = services.job_runs.ledger.apply(run, Event.SPAWNED, running_on=time.time())
    assert running is not None
    assert services.job_runs.ledger.apply(running, Event.EXITED_OK) is not None


def test_a_scheduled_start_trigger_starts_a_workflow_run(
    services: Services, clock: ManualClock
) -> None:
    clock.advance(15 * 60)  # 09:45
    services.scheduler.tick()
    (workflow_run,) = services.workflow_runs.store.runs("w", None, 10)
    (run_a,) = _runs(services, "a")
    assert run_a.spec["Arguments"] == {"--WORKFLOW_NAME": "w", "--WORKFLOW_RUN_ID": workflow_run.id}
    assert run_a.spec["TriggerName"] == "every15"
    (fire,) = services.triggers.history("every15")
    assert fire.outcome == [{"WorkflowName": "w", "WorkflowRunId": workflow_run.id}]

    _succeed(services, run_a)
    services.scheduler.tick()
    (run_b,) = _runs(services, "b")
    assert run_b.spec["Arguments"]["--WORKFLOW_RUN_ID"] == workflow_run.id
    assert run_b.spec["PredecessorRuns"] == [{"JobName": "a", "RunId": run_a.id}]
    _succeed(services, run_b)
    services.scheduler.tick()
    ended = services.workflow_runs.store.get_run(workflow_run.id)
    assert ended is not None and ended.status == "COMPLETED"
    assert ended.completed_on == clock.now()
    assert _runs(services, "c") == []


def test_conditional_triggers_follow_only_their_own_workflow_run(services: Services) -> None:
    first = services.workflow_runs.start("w")
    second = services.workflow_runs.start("w")
    by_workflow_run = {r.spec["Arguments"]["--WORKFLOW_RUN_ID"]: r for r in _runs(services, "a")}
    assert set(by_workflow_run) == {first, second}

    # Job a run by hand, outside any workflow: the workflow's trigger does not fire for it
    # (and neither does the generic scheduler, though a trigger started it).
    manual = services.job_runs.start("a", {}, started_by={"TriggerName": "x"})
    _succeed(services, services.job_runs.store.get(manual))
    services.scheduler.tick()
    assert _runs(services, "b") == []

    _succeed(services, by_workflow_run[second])
    services.scheduler.tick()
    (run_b,) = _runs(services, "b")
    assert run_b.spec["Arguments"]["--WORKFLOW_RUN_ID"] == second
    # The same outcome seen again (as after a restart) starts nothing twice.
    finished = services.job_runs.store.get(by_workflow_run[second].id)
    services.scheduler.run_finished(job_outcome(finished))
    services.scheduler.tick()
    assert len(_runs(services, "b")) == 1
    first_run = services.workflow_runs.store.get_run(first)
    assert first_run is not None and first_run.status == "RUNNING"


def test_an_event_start_trigger_starts_a_run_with_its_event_ids(services: Services) -> None:
    services.workflows.create({"Name": "on-files"})
    services.triggers.create(
        {
            "Name": "on-orders",
            "WorkflowName": "on-files",
            "Type": "EVENT",
            "EventBatchingCondition": {"BatchSize": 2},
            "StartOnCreation": True,
            "Actions": [{"JobName": "a"}],
            "Tags": {SOURCE_TAG: "s3://my-app-bucket/orders/"},
        }
    )
    events = [
        NewEvent(f"s3://my-app-bucket/orders/{n}.csv#1", f"s3://my-app-bucket/orders/{n}.csv")
        for n in "xy"
    ]
    services.events.batches.receive("on-orders", events[:1])
    services.scheduler.tick()
    assert services.workflow_runs.store.runs("on-files", None, 10) == []
    services.events.batches.receive("on-orders", events[1:])
    services.scheduler.tick()
    (run,) = services.workflow_runs.store.runs("on-files", None, 10)
    assert json.loads(run.properties["aws:eventIds"]) == [e.event_id for e in events]
    shape = services.workflow_runs.run_shape(run)
    assert shape["StartingEventBatchCondition"] == {"BatchSize": 2}
    (job_run,) = _runs(services, "a")
    assert job_run.spec["Arguments"]["--WORKFLOW_RUN_ID"] == run.id


def test_a_retried_job_ends_its_node_with_the_last_attempt(services: Services) -> None:
    services.jobs.create(
        {
            "Name": "r",
            "Role": "r",
            "Command": {"Name": "pythonshell", "ScriptLocation": "/nonexistent.py"},
            "MaxRetries": 1,
        }
    )
    services.workflows.create({"Name": "retrying"})
    services.triggers.create(
        {
            "Name": "go",
            "WorkflowName": "retrying",
            "Type": "ON_DEMAND",
            "Actions": [{"JobName": "r"}],
        }
    )
    run_id = services.workflow_runs.start("retrying")
    (first,) = _runs(services, "r")
    running = services.job_runs.ledger.apply(first, Event.SPAWNED, running_on=time.time())
    assert running is not None
    assert services.job_runs.ledger.apply(running, Event.EXITED_WITH_ERROR) is not None
    services.scheduler.tick()
    retry = _runs(services, "r")[0]
    assert retry.previous_run_id == first.id
    shape = services.workflow_runs.run_shape(services.workflow_runs.get("retrying", run_id))
    assert shape["Status"] == "RUNNING" and shape["Statistics"]["RunningActions"] == 1
    _succeed(services, retry)
    services.scheduler.tick()
    run = services.workflow_runs.get("retrying", run_id)
    shape = services.workflow_runs.run_shape(run, include_graph=True)
    assert shape["Status"] == "COMPLETED"
    assert shape["Statistics"]["SucceededActions"] == 1
    (node,) = [n for n in shape["Graph"]["Nodes"] if n["Type"] == "JOB"]
    assert [r["Id"] for r in node["JobDetails"]["JobRuns"]] == [retry.id]


def test_a_run_carries_on_after_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    """Everything a run needs is in the store: a new server on the same store takes it on."""
    data_dir = tmp_path / "restart"
    first = build_services(ServerSettings(data_dir=data_dir), clock=clock)
    for job in ("a", "b"):
        first.jobs.create(
            {
                "Name": job,
                "Role": "r",
                "Command": {"Name": "pythonshell", "ScriptLocation": "/x.py"},
            }
        )
    first.workflows.create({"Name": "w"})
    first.triggers.create(
        {"Name": "go", "WorkflowName": "w", "Type": "ON_DEMAND", "Actions": [{"JobName": "a"}]}
    )
    first.triggers.create(
        {
            "Name": "then",
            "WorkflowName": "w",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {"Conditions": [{"JobName": "a", "State": "SUCCEEDED"}]},
            "Actions": [{"JobName": "b"}],
        }
    )
    run_id = first.workflow_runs.start("w")
    first.close()

    second = build_services(ServerSettings(data_dir=data_dir), clock=clock)
    try:
        (run_a,) = _runs(second, "a")
        _succeed(second, run_a)
        second.scheduler.tick()
        (run_b,) = _runs(second, "b")
        assert run_b.spec["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
        _succeed(second, run_b)
        second.scheduler.tick()
        assert second.workflow_runs.get("w", run_id).status == "COMPLETED"
    finally:
        second.close()


def test_a_start_trigger_fire_carried_out_twice_starts_one_run(services: Services) -> None:
    """What happens when a fire cut short by a crash is resumed (openglue.scheduler.firing)."""
    services.workflows.create({"Name": "once"})
    services.triggers.create(
        {"Name": "go", "WorkflowName": "once", "Type": "ON_DEMAND", "Actions": [{"JobName": "a"}]}
    )
    trigger = services.triggers.get("go")
    first = services.workflow_runs.fire_start_trigger(trigger, "start:1")
    again = services.workflow_runs.fire_start_trigger(trigger, "start:1")
    assert first == again and first["WorkflowRunId"].startswith("wr_")
    assert len(services.workflow_runs.store.runs("once", None, 10)) == 1
    assert len(_runs(services, "a")) == 1
    other = services.workflow_runs.fire_start_trigger(trigger, "start:2")
    assert other["WorkflowRunId"] != first["WorkflowRunId"]


def test_a_job_at_its_concurrency_limit_fails_its_node(services: Services) -> None:
    """Glue records the run FAILED, so triggers watching for FAILED fire."""
    services.jobs.create(
        {"Name": "solo", "Role": "r", "Command": {"Name": "pythonshell", "ScriptLocation": "/x.py"}}
    )
    services.job_runs.start("solo", {})  # holds the job's only slot
    services.workflows.create({"Name": "busy"})
    services.triggers.create(
        {
            "Name": "go",
            "WorkflowName": "busy",
            "Type": "ON_DEMAND",
            "Actions": [{"JobName": "solo"}],
        }
    )
    services.triggers.create(
        {
            "Name": "on-failure",
            "WorkflowName": "busy",
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {"Conditions": [{"JobName": "solo", "State": "FAILED"}]},
            "Actions": [{"JobName": "b"}],
        }
    )
    run_id = services.workflow_runs.start("busy")
    shape = services.workflow_runs.run_shape(services.workflow_runs.get("busy", run_id))
    assert shape["Statistics"]["FailedActions"] == 1
    (node,) = [n for n in services.workflow_runs.store.nodes(run_id) if n.name == "solo"]
    assert "MaxConcurrentRuns" in (node.error_message or "")
    (run_b,) = _runs(services, "b")
    assert run_b.spec["TriggerName"] == "on-failure"


def test_a_resumed_event_fire_keeps_its_batch_however_many_fires_came_after(
    services: Services, clock: ManualClock
) -> None:
    """The run a resumed fire starts gets the batch's event ids from that fire, not from the
    trigger's few newest fires (review fix: it used to look among the latest 5 only)."""
    services.triggers.create(
        {"Name": "go", "WorkflowName": "w", "Type": "ON_DEMAND", "Actions": [{"JobName": "a"}]}
    )
    store = services.triggers.store
    # Claimed by a server on this host that is gone (no such pid), its actions never run.
    gone = f"{socket.gethostname()}:999999999:0"
    batch = {"EventIds": ["e-1", "e-2"], "StartingEventBatchCondition": {"BatchSize": 2}}
    assert store.claim_fire(
        FireRecord("go", "events:1-2", clock.now(), gone, "r", None, None, batch)
    )
    for n in range(6):  # later fires, already finished
        later = FireRecord("go", f"later:{n}", clock.now(), gone, "r", None, [], None)
        assert store.claim_fire(later)
    assert services.triggers.firing.resume_unfinished() == 1
    runs = services.workflow_runs.store.runs("w", None, 10)
    assert len(runs) == 1
    assert json.loads(runs[0].properties["aws:eventIds"]) == ["e-1", "e-2"]
