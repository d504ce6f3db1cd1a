"""After a restart: what becomes of the runs a server that is gone was watching.

A run belongs to the server process that created it (``host:pid:start time``). A starting
server takes over the live runs (WAITING, STARTING, RUNNING, STOPPING) of servers on this
host that are no longer running:
- a run whose process still runs is adopted: watched, its Timeout counted from when it really
  started, a pending stop delivered;
- a run whose process ended while no server watched gets the outcome its exit-status file
  records: SUCCEEDED, or FAILED with the script's exception (and a retry if any are left); a
  STOPPING run becomes STOPPED; with no exit status to go by, FAILED with
  ``SERVER_LOST_MESSAGE``;
- a STARTING run that never got a process is started now; WAITING runs keep their place.
Runs of servers on other hosts are left to those hosts.
"""

from __future__ import annotations

import logging
import os
import signal
import socket

from openglue.catalog.names import now
from openglue.jobs.ledger import RunLedger, files_of
from openglue.jobs.processes import (
    ProcessId,
    failure_message,
    identify,
    is_running,
    read_exit_status,
)
from openglue.jobs.states import Event, RunState, exit_event
from openglue.jobs.watch import Watched, session_members, signal_session
from openglue.store.job_runs import JobRunRecord, JobRunStore, RunUpdate

log = logging.getLogger("openglue.jobs")

SERVER_LOST_MESSAGE = (
    "The OpenGlue server stopped while this run was active; the run's process is gone and "
    "left no exit status, so how it ended is unknown"
)
STARTING_LOST_MESSAGE = (
    "The OpenGlue server stopped while starting this run; its process may have started, so "
    "it is not started a second time"
)


def server_identity() -> str:
    """Who owns the runs this server process starts: ``host:pid:start time``."""
    me = identify(os.getpid())
    return f"{socket.gethostname()}:{me.pid}:{me.start or 0}"


def _is_gone(owner: str, host: str) -> bool:
    try:
        owner_host, pid, start = owner.rsplit(":", 2)
        process = ProcessId(int(pid), int(start) or None)
    except ValueError:
        return False
    return owner_host == host and not is_running(process)


def end_event(state: str, status: int | None, *, timed_out: bool) -> Event:
    """The event that a run's process ending (with ``status``, if known) means."""
    if state == RunState.STOPPING:
        return Event.PROCESS_ENDED
    if timed_out:
        return Event.TIMED_OUT
    return Event.SERVER_LOST if status is None else exit_event(status)


def recover(runs: JobRunStore, ledger: RunLedger, owner: str, timeout_unit: float) -> list[Watched]:
    """Take over the runs of this host's servers that are gone; the processes to watch."""
    host = owner.rsplit(":", 2)[0]
    adopted = []
    for run in runs.live():
        if run.owner == owner or not _is_gone(run.owner, host):
            continue
        change = RunUpdate(owner=owner)
        claimed = runs.transition(run.id, [run.state], change, expected_owner=run.owner)
        if claimed is None:  # another server got there first
            continue
        log.info(
            "job %s run %s (%s): taken over from %s", run.job_name, run.id, run.state, run.owner
        )
        watched = _take_over(claimed, ledger, timeout_unit)
        if watched is not None:
            adopted.append(watched)
    return adopted


def _take_over(run: JobRunRecord, ledger: RunLedger, timeout_unit: float) -> Watched | None:
    files = files_of(ledger.data_dir, run)
    if run.state == RunState.WAITING:
        return None
    if run.state == RunState.STARTING and run.pid is None:
        if files.workdir.exists():
            ledger.apply(run, Event.SERVER_LOST, error_message=STARTING_LOST_MESSAGE)
        return None
    if run.pid is None:
        ledger.apply(run, Event.SERVER_LOST, error_message=SERVER_LOST_MESSAGE)
        return None
    process = ProcessId(run.pid, run.pid_start)
    if is_running(process):
        timeout = int(run.spec["Timeout"])
        started = run.running_on or run.started_on
        return Watched(run.id, process, None, started + timeout * timeout_unit, timeout)
    if session_members(run.pid):  # what the script left behind
        signal_session(run.pid, signal.SIGKILL)
    status = read_exit_status(files.exit_status)
    event = end_event(run.state, status, timed_out=False)
    message = None
    if event == Event.EXITED_WITH_ERROR and status is not None:
        message = failure_message(files.log("error"), status)
    elif event == Event.SERVER_LOST:
        message = SERVER_LOST_MESSAGE
    try:
        stamp = files.exit_status.stat().st_mtime  # when it really ended
    except OSError:
        stamp = now()
    ledger.apply(run, event, error_message=message, stamp=stamp)
    return None
