"""Applying state-machine events to stored runs: one place that changes a run's state.

An event is applied only if the run is still in the state it was read in (compare-and-set);
otherwise nothing changes and the caller reads the run again. A run that ends FAILED with
retries left gets its next attempt in the same transaction (``jr_<first id>_attempt_<n>``,
``Attempt`` + 1, ``PreviousRunId`` = the failed attempt; reference §7.2). STOPPED and TIMEOUT
runs are not retried: the reference leaves it unverified, and retrying a run someone stopped
would defeat the stop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from openglue.catalog.names import now
from openglue.jobs.layout import RunFiles
from openglue.jobs.states import TERMINAL, Event, RunState, next_state
from openglue.store.job_runs import JobRunRecord, JobRunStore, RunUpdate

log = logging.getLogger("openglue.jobs")

_ATTEMPT = "_attempt_"


def files_of(data_dir: Path, run: JobRunRecord) -> RunFiles:
    return RunFiles(data_dir, run.id, run.spec["LogGroupName"])


def next_attempt(run: JobRunRecord, stamp: float) -> JobRunRecord | None:
    """The retry of a failed run, when its job's MaxRetries allows one more attempt."""
    if run.attempt >= int(run.launch.get("MaxRetries") or 0):
        return None
    attempt = run.attempt + 1
    return JobRunRecord(
        id=f"{run.id.split(_ATTEMPT)[0]}{_ATTEMPT}{attempt}",
        job_name=run.job_name,
        state=RunState.STARTING,
        attempt=attempt,
        previous_run_id=run.id,
        started_on=stamp,
        last_modified_on=stamp,
        spec=run.spec,
        launch=run.launch,
        owner=run.owner,
    )


class RunLedger:
    def __init__(self, store: JobRunStore, data_dir: Path) -> None:
        self.store = store
        self.data_dir = data_dir
        # Called with each run that has ended for good (not when a retry follows): how
        # conditional triggers learn that a watched run finished. Listeners must be quick.
        self.on_finished: list[Callable[[JobRunRecord], None]] = []

    def apply(
        self,
        run: JobRunRecord,
        event: Event,
        *,
        error_message: str | None = None,
        running_on: float | None = None,
        pid: int | None = None,
        pid_start: int | None = None,
        stamp: float | None = None,
    ) -> JobRunRecord | None:
        """Move ``run`` on by ``event``; the updated run, or ``None`` when the event does not
        apply to the run's state or the run changed since it was read."""
        target = next_state(run.state, event)
        if target is None:
            return None
        stamp = now() if stamp is None else stamp
        terminal = target in TERMINAL
        change = RunUpdate(
            state=target,
            last_modified_on=stamp,
            completed_on=stamp if terminal else None,
            error_message=error_message,
            running_on=running_on,
            pid=pid,
            pid_start=pid_start,
            state_detail="" if target != RunState.WAITING else None,
        )
        retry = next_attempt(run, stamp) if target == RunState.FAILED else None
        updated = self.store.transition(run.id, [run.state], change, follow_up=retry)
        if updated is None:
            return None
        log.info("job %s run %s: %s → %s", run.job_name, run.id, run.state, target)
        if terminal:
            self._write_outcome(updated)
        if retry is not None:
            log.info("job %s run %s: retrying as %s", run.job_name, run.id, retry.id)
        elif terminal:
            self._announce(updated)
        return updated

    def _announce(self, run: JobRunRecord) -> None:
        for listener in self.on_finished:
            try:
                listener(run)
            except Exception:  # a listener's fault must not undo the run's state change
                log.exception("run %s: a run-finished listener failed", run.id)

    def _write_outcome(self, run: JobRunRecord) -> None:
        # Only `openglue logs --follow` reads it (to know when to stop); a failure to write
        # it must not undo the state change.
        path = files_of(self.data_dir, run).outcome
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(run.state + "\n")
        except OSError as exc:
            log.warning("cannot write %s: %s", path, exc)
