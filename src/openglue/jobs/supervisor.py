"""The supervisor: one thread per server that turns recorded runs into processes and back.

It starts STARTING runs, promotes WAITING runs when a slot frees, delivers stops, enforces
timeouts (SIGTERM to the run's process group, SIGKILL after a grace period) and records how
each run ended. Requests wake it through a pipe; processes that end wake it through their
pidfds; otherwise it looks at the store every few seconds.

A run belongs to the server process that created it (``owner``). When a server starts, it
adopts the live runs of servers on this host that are gone (see ``recovery``). On a clean
shutdown the supervisor stops watching but leaves the runs' processes alone: they run on, in
sessions of their own, and the next server on the same data directory adopts them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Iterable

from openglue.catalog.names import now
from openglue.jobs.launch import RunContext, prepare
from openglue.jobs.ledger import RunLedger, files_of
from openglue.jobs.locations import ScriptError
from openglue.jobs.processes import (
    failure_message,
    identify,
    read_exit_status,
    spawn,
)
from openglue.jobs.recovery import SERVER_LOST_MESSAGE, end_event, recover
from openglue.jobs.states import Event, RunState, next_state
from openglue.jobs.watch import Watched, session_members, signal_session, wait_until_gone
from openglue.store.job_runs import JobRunRecord, JobRunStore, RunUpdate
from openglue.store.jobs import JobStore

log = logging.getLogger("openglue.jobs")

SYNC_INTERVAL = 2.0  # seconds between looks at the store when nothing wakes the supervisor
POLL_INTERVAL = 0.2  # seconds between polls of processes that have no pidfd
KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL


class Supervisor:
    def __init__(
        self,
        runs: JobRunStore,
        jobs: JobStore,
        ledger: RunLedger,
        owner: str,
        timeout_unit_seconds: float = 60.0,
    ) -> None:
        self.runs = runs
        self.jobs = jobs
        self.ledger = ledger
        self.owner = owner
        self.timeout_unit = timeout_unit_seconds
        self.watched: dict[str, Watched] = {}
        self.context: RunContext | None = None
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._closed = False
        self._dirty = True
        self._next_sync = 0.0

    def start(self, context: RunContext) -> None:
        """Adopt what earlier servers left, then watch runs in a background thread."""
        self.context = context
        for watched in recover(self.runs, self.ledger, self.owner, self.timeout_unit):
            self._watch(watched)
        self._thread = threading.Thread(target=self._loop, name="job-supervisor", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        if self._closed:  # its pipe's descriptors may belong to another file by now
            return
        with contextlib.suppress(BlockingIOError):  # a full pipe: it is awake already
            os.write(self._wake_w, b"!")

    def stop(self) -> None:
        """Stop watching (the runs' processes go on; see the module's documentation)."""
        if self._closed:
            return
        self._stopping = True
        if self._thread is not None:
            self.wake()
            self._thread.join(timeout=10)
            self._thread = None
        self._closed = True
        if self.watched:
            log.warning(
                "%d job run(s) still running: %s; the next server on this data directory "
                "adopts them (BatchStopJobRun stops them)",
                len(self.watched),
                ", ".join(sorted(self.watched)),
            )
        for watched in self.watched.values():
            watched.close_pidfd()
            # They run on by design; keep Popen from warning that they still do.
            if watched.child is not None:
                watched.child.returncode = 0
        self.watched.clear()
        self._selector.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    # The loop.

    def _loop(self) -> None:
        while not self._stopping:
            for key, _ in self._selector.select(self._wait_time()):
                if key.fd == self._wake_r:
                    while _drain(self._wake_r):
                        pass
                    self._dirty = True
            if self._stopping:
                return
            try:
                self._tick()
            except Exception:
                # One bad run must not stop the supervision of the others.
                log.exception("job supervisor: unexpected error; carrying on")
                time.sleep(POLL_INTERVAL)

    def _wait_time(self) -> float:
        mono, wall = time.monotonic(), time.time()
        wait = max(0.0, self._next_sync - mono)
        for w in self.watched.values():
            if w.pidfd is None:
                wait = min(wait, POLL_INTERVAL)
            if w.terminated_at is None:
                wait = min(wait, max(0.0, w.deadline - wall))
            elif not w.killed:
                wait = min(wait, max(0.0, w.terminated_at + KILL_GRACE - mono))
        return min(wait, SYNC_INTERVAL)

    def _tick(self) -> None:
        for watched in [w for w in self.watched.values() if w.has_ended()]:
            self._ended(watched)
        if self._dirty or time.monotonic() >= self._next_sync:
            self._dirty = False
            self._next_sync = time.monotonic() + SYNC_INTERVAL
            self._sync()
        self._enforce_timeouts()

    def _sync(self) -> None:
        live = {run.id: run for run in self.runs.live(self.owner)}
        for run_id, watched in list(self.watched.items()):
            run = live.get(run_id)
            if run is None:  # its job was deleted
                signal_session(watched.pgid, signal.SIGKILL)
                if watched.child is not None:  # reap it
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        watched.child.wait(timeout=2)
                self._unwatch(watched)
            elif run.state == RunState.STOPPING and watched.terminated_at is None:
                self._terminate(watched)
        for run in list(live.values()):
            if run.state == RunState.STOPPING and run.id not in self.watched and run.pid is None:
                self.ledger.apply(run, Event.PROCESS_ENDED)  # stopped before it had a process
        for run in self._expire_waiting(live.values()):
            del live[run.id]
        queued = (r.job_name for r in live.values() if r.state == RunState.WAITING)
        for job_name in dict.fromkeys(queued):
            job = self.jobs.get(job_name)
            if job is None:
                continue
            limit = int(job.spec["ExecutionProperty"]["MaxConcurrentRuns"])
            target = next_state(RunState.WAITING, Event.SLOT_FREED)
            change = RunUpdate(state=target, last_modified_on=now(), state_detail="")
            for promoted in self.runs.promote_waiting(job_name, limit, change, self.owner):
                log.info("job %s run %s: WAITING → STARTING", job_name, promoted.id)
                live[promoted.id] = promoted
        for run in live.values():
            if run.state == RunState.STARTING and run.id not in self.watched:
                self._launch(run)

    def _expire_waiting(self, live: Iterable[JobRunRecord]) -> list[JobRunRecord]:
        """End the queued runs that have waited longer than their Timeout: EXPIRED.

        Glue documents no queue limit of its own for JobRunQueuingEnabled; the run's Timeout
        (the longest it may take) is also the longest it may wait (docs/jobs.md)."""
        expired = []
        wall = time.time()
        for run in live:
            if run.state != RunState.WAITING:
                continue
            minutes = int(run.spec["Timeout"])
            if wall < run.started_on + minutes * self.timeout_unit:
                continue
            message = (
                f"The run waited in the queue longer than its Timeout of {minutes} minute(s) "
                "without getting one of the job's ExecutionProperty.MaxConcurrentRuns slots; "
                "raise MaxConcurrentRuns or the run's Timeout, or start it again later"
            )
            if self.ledger.apply(run, Event.QUEUE_EXPIRED, error_message=message) is not None:
                expired.append(run)
        return expired

    # Runs starting and ending.

    def _launch(self, run: JobRunRecord) -> None:
        assert self.context is not None
        files = files_of(self.context.data_dir, run)
        try:
            launch = prepare(run, files, self.context)
        except (ScriptError, OSError) as exc:
            message = str(exc)
            files.log("error").parent.mkdir(parents=True, exist_ok=True)
            with open(files.log("error"), "a", encoding="utf-8") as stream:
                stream.write(message + "\n")
            self.ledger.apply(run, Event.SPAWN_FAILED, error_message=message)
            return
        child = spawn(
            launch.command,
            cwd=files.workdir,
            env=launch.env,
            stdout=files.log("output"),
            stderr=files.log("error"),
            exit_status=files.exit_status,
        )
        started = now()
        process = identify(child.pid)
        timeout = int(run.spec["Timeout"])
        watched = Watched(run.id, process, child, started + timeout * self.timeout_unit, timeout)
        self._watch(watched)
        spawned = self.ledger.apply(
            run, Event.SPAWNED, running_on=started, pid=process.pid, pid_start=process.start
        )
        if spawned is None:
            # Stopped (or its job deleted) while it was starting.
            change = RunUpdate(
                last_modified_on=started,
                running_on=started,
                pid=process.pid,
                pid_start=process.start,
            )
            if self.runs.transition(run.id, [RunState.STOPPING], change) is not None:
                self._terminate(watched)
            else:
                signal_session(watched.pgid, signal.SIGKILL)

    def _ended(self, watched: Watched) -> None:
        self._unwatch(watched)
        if session_members(watched.pgid):  # what the script left behind (daemons, a JVM)
            signal_session(watched.pgid, signal.SIGKILL)
        wait_until_gone(watched.pgid)
        for _ in range(5):  # the run may change under us (a stop arriving): re-read
            run = self.runs.get(watched.run_id)
            if run is None or run.state not in (RunState.RUNNING, RunState.STOPPING):
                return
            status = watched.exit_status()
            if status is None:  # adopted, so not our child to wait for: its wrapper wrote it
                assert self.context is not None
                status = read_exit_status(files_of(self.context.data_dir, run).exit_status)
            event = end_event(run.state, status, timed_out=watched.timing_out)
            if self.ledger.apply(run, event, error_message=self._message(run, event, status)):
                self._dirty = True  # a slot is free: a queued run may start
                return

    def _message(self, run: JobRunRecord, event: Event, status: int | None) -> str | None:
        assert self.context is not None
        if event == Event.EXITED_WITH_ERROR and status is not None:
            return failure_message(files_of(self.context.data_dir, run).log("error"), status)
        if event == Event.TIMED_OUT:
            minutes = int(run.spec["Timeout"])
            return f"The run exceeded its Timeout of {minutes} minute(s) and was stopped"
        if event == Event.SERVER_LOST:
            return SERVER_LOST_MESSAGE
        return None

    # Signals.

    def _enforce_timeouts(self) -> None:
        wall, mono = time.time(), time.monotonic()
        for watched in self.watched.values():
            if watched.terminated_at is None and wall >= watched.deadline:
                log.info(
                    "run %s: Timeout of %d min reached", watched.run_id, watched.timeout_minutes
                )
                watched.timing_out = True
                self._terminate(watched)
            elif (
                watched.terminated_at is not None
                and not watched.killed
                and mono >= watched.terminated_at + KILL_GRACE
            ):
                signal_session(watched.pgid, signal.SIGKILL)
                watched.killed = True

    def _terminate(self, watched: Watched) -> None:
        signal_session(watched.pgid, signal.SIGTERM)
        watched.terminated_at = time.monotonic()

    def _watch(self, watched: Watched) -> None:
        watched.open_pidfd()
        if watched.pidfd is not None:
            self._selector.register(watched.pidfd, selectors.EVENT_READ)
        self.watched[watched.run_id] = watched

    def _unwatch(self, watched: Watched) -> None:
        if watched.pidfd is not None:
            self._selector.unregister(watched.pidfd)
        watched.close_pidfd()
        self.watched.pop(watched.run_id, None)


def _drain(fd: int) -> bool:
    try:
        return bool(os.read(fd, 4096))
    except BlockingIOError:
        return False
