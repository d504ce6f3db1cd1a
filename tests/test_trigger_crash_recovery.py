"""A server that keeps running finishes what another server on its store was killed in the
middle of, without waiting for a restart: a fire claimed but never carried out, and a batch of
events taken but never fired. Each fires once; a batch a live server has just taken is left
to it."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from openglue.jobs.processes import identify
from openglue.scheduler.clock import ManualClock
from openglue.scheduler.crash_recovery import CrashRecovery
from openglue.scheduler.event_sources import ObjectVersion
from openglue.services import Services
from openglue.store.triggers import FireRecord
from tests.test_event_triggers import PREFIX, START, _event_trigger, _runs, _services


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path, clock: ManualClock) -> Iterator[Services]:
    """One server's services (no job supervisor: a fired run is recorded, nothing starts)."""
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


def _gone_owner() -> str:
    """The owner string of a server process on this host that is no longer running."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    me = identify(process.pid)
    process.kill()
    process.wait()
    return f"{socket.gethostname()}:{me.pid}:{me.start or 0}"


def test_a_running_scheduler_finishes_what_a_killed_server_left(
    services: Services, data_dir: Path, clock: ManualClock
) -> None:
    _event_trigger(services, size=1)
    survivor = _services(data_dir, clock)  # started before the other was killed
    try:
        services.events.router.route(
            [ObjectVersion(PREFIX + "taken.csv", "1"), ObjectVersion(PREFIX + "claimed.csv", "1")]
        )
        events = services.events.batches.store
        taken, claimed = events.pending("on-orders", 10)
        # What the killed server had done: taken both batches, claimed the second's fire.
        assert events.take_batch("on-orders", [taken.seq], "events:taken")
        assert events.take_batch("on-orders", [claimed.seq], "events:claimed")
        fire = FireRecord(
            "on-orders",
            "events:claimed",
            clock.now(),
            _gone_owner(),
            "1 new object(s)",
            context={"Objects": [claimed.address], "EventIds": [claimed.event_id]},
        )
        assert services.triggers.store.claim_fire(fire)

        survivor.scheduler.tick()  # its usual pass: neither is its own, nor waiting
        assert _runs(survivor) == []

        recovery = CrashRecovery(interval=0)
        firing, batches = survivor.scheduler.firing, survivor.events.batches
        recovery.look_if_due(firing, batches)
        # The fire whose owner is gone is carried out at once; the batch is only seen once,
        # and its taker might still be about to fire it.
        [run] = _runs(survivor)
        [carried_out] = survivor.triggers.history("on-orders")
        assert carried_out.outcome == [{"JobName": "load", "JobRunId": run.id}]
        recovery.look_if_due(firing, batches)  # still unfired: its taker is gone
        assert len(_runs(survivor)) == 2
        recovery.look_if_due(firing, batches)
        survivor.scheduler.tick()
        services.scheduler.tick()
        runs = _runs(survivor)
        assert len(runs) == len({r.id for r in runs}) == 2
        fires = survivor.triggers.history("on-orders")
        assert sorted(f.fire_key for f in fires) == ["events:claimed", "events:taken"]
        assert all(f.outcome for f in fires)
    finally:
        survivor.close()
