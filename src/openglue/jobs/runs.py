"""Job runs as the API sees them: StartJobRun, GetJobRun(s), BatchStopJobRun.

Starting a run only records it (STARTING, or WAITING when queued) and wakes the supervisor,
which starts the process; stopping one records STOPPING and wakes it again. Choices where Glue
is unclear:
- runs in STARTING, RUNNING and STOPPING hold a MaxConcurrentRuns slot (a process exists);
  queued (WAITING) runs count too when deciding whether a new run must queue, so that a new
  run never overtakes the queue;
- ``StartJobRun(JobRunId=X)`` starts a new run (a new id, Attempt 0) with ``PreviousRunId`` X
  and X's Arguments unless new ones are given; X must have finished;
- stopping a finished run is reported in ``Errors`` as InvalidInputException.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from openglue.catalog.names import now
from openglue.errors import (
    ConcurrentModificationException,
    ConcurrentRunsExceededException,
    EntityNotFoundException,
    GlueError,
    InvalidInputException,
)
from openglue.jobs.definitions import JobService
from openglue.jobs.job_spec import CAPACITY_MEMBERS, capacity, check_execution_class, check_timeout
from openglue.jobs.layout import log_group
from openglue.jobs.ledger import RunLedger
from openglue.jobs.states import Event, RunState, is_terminal, next_state
from openglue.store.job_runs import JobRunRecord, JobRunStore
from openglue.store.jobs import JobRecord

# Members of StartJobRun that override the job's own for this run.
_RUN_OVERRIDES = ("SecurityConfiguration", "NotificationProperty", "ExecutionClass")


def execution_time(run: JobRunRecord) -> int:
    """Seconds the run's process ran (Glue: time it consumed resources); 0 until it ends."""
    if run.running_on is None or run.completed_on is None:
        return 0
    return max(0, round(run.completed_on - run.running_on))


def to_aws(run: JobRunRecord) -> dict[str, Any]:
    """The ``JobRun`` shape."""
    return {
        **run.spec,
        "Id": run.id,
        "Attempt": run.attempt,
        "PreviousRunId": run.previous_run_id,
        "JobName": run.job_name,
        "StartedOn": run.started_on,
        "LastModifiedOn": run.last_modified_on,
        "CompletedOn": run.completed_on,
        "JobRunState": run.state,
        "ErrorMessage": run.error_message,
        "StateDetail": run.state_detail or None,
        "PredecessorRuns": run.spec.get("PredecessorRuns", []),
        "ExecutionTime": execution_time(run),
    }


def _run_spec(job: JobRecord, request: Mapping[str, Any], queuing: bool) -> dict[str, Any]:
    command = job.spec["Command"]["Name"]
    overrides = {k: request[k] for k in CAPACITY_MEMBERS if request.get(k) is not None}
    if overrides:
        sizing = capacity(command, overrides)
    else:
        sizing = {k: job.spec[k] for k in CAPACITY_MEMBERS if k in job.spec}
    check_timeout(request.get("Timeout"))
    spec: dict[str, Any] = {
        "Arguments": dict(request.get("Arguments") or {}),
        "JobMode": job.spec.get("JobMode"),
        "JobRunQueuingEnabled": queuing,
        "Timeout": request.get("Timeout") or job.spec["Timeout"],
        "GlueVersion": job.spec["GlueVersion"],
        "LogGroupName": log_group(command),
        "ExecutionRoleSessionPolicy": request.get("ExecutionRoleSessionPolicy"),
        **{k: request.get(k, job.spec.get(k)) for k in _RUN_OVERRIDES},
        **sizing,
    }
    check_execution_class(spec.get("ExecutionClass"), command, spec["GlueVersion"])
    return {k: v for k, v in spec.items() if v is not None}


def _launch(job: JobRecord) -> dict[str, Any]:
    keys = ("Command", "DefaultArguments", "NonOverridableArguments", "MaxRetries")
    return {k: job.spec[k] for k in keys if k in job.spec}


def new_run_id() -> str:
    return "jr_" + secrets.token_hex(32)


class JobRunService:
    def __init__(
        self,
        store: JobRunStore,
        jobs: JobService,
        ledger: RunLedger,
        owner: str,
        wake: Callable[[], None],
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.ledger = ledger
        self.owner = owner
        self.wake = wake

    def start(
        self,
        job_name: str,
        request: Mapping[str, Any],
        started_by: Mapping[str, Any] | None = None,
        run_id: str | None = None,
    ) -> str:
        """StartJobRun; ``request`` holds its members. Returns the new JobRunId.
        ``started_by`` (TriggerName, PredecessorRuns) is recorded on runs a trigger starts.
        A given ``run_id`` makes the start idempotent: if that run exists, nothing starts
        (a trigger resuming a fire cut short by a crash starts each action once)."""
        if run_id is not None and self.store.get(run_id) is not None:
            return run_id
        job = self.jobs.get(job_name)
        previous = self._previous(job_name, request.get("JobRunId"))
        request = dict(request)
        if request.get("Arguments") is None and previous is not None:
            request["Arguments"] = previous.spec.get("Arguments")
        queuing = request.get("JobRunQueuingEnabled")
        if queuing is None:
            queuing = bool(job.spec.get("JobRunQueuingEnabled"))
        stamp = now()
        record = JobRunRecord(
            id=run_id or new_run_id(),
            job_name=job_name,
            state=RunState.STARTING,
            attempt=0,
            previous_run_id=previous.id if previous else None,
            started_on=stamp,
            last_modified_on=stamp,
            spec={**_run_spec(job, request, queuing), **(started_by or {})},
            launch=_launch(job),
            owner=self.owner,
        )
        limit = int(job.spec["ExecutionProperty"]["MaxConcurrentRuns"])
        if not self.store.create(record, slot_limit=limit):
            if not queuing:
                raise ConcurrentRunsExceededException(
                    f"Job {job_name} already has {limit} run(s) active or queued, its "
                    "ExecutionProperty.MaxConcurrentRuns; wait for one to finish, raise the "
                    "limit, or set JobRunQueuingEnabled to queue the run"
                )
            detail = (
                f"Waiting for one of the job's {limit} concurrent run slot(s) "
                "(ExecutionProperty.MaxConcurrentRuns) to free up"
            )
            self.store.create(_waiting(record, detail))
        self.wake()
        return record.id

    def _previous(self, job_name: str, run_id: str | None) -> JobRunRecord | None:
        if not run_id:
            return None
        previous = self.get(job_name, run_id)
        if not is_terminal(previous.state):
            raise InvalidInputException(
                f"Job run {run_id} is {previous.state}: only a finished run can be retried"
            )
        return previous

    def get(self, job_name: str, run_id: str) -> JobRunRecord:
        run = self.store.get(run_id)
        if run is None or run.job_name != job_name:
            self.jobs.get(job_name)  # a missing job is reported as such
            raise EntityNotFoundException(f"Job run {run_id} of job {job_name} not found.")
        return run

    def newest_first(self, job_name: str, before: int | None, limit: int) -> list[JobRunRecord]:
        """Up to ``limit`` runs of the job, newest first, created before position ``before``."""
        self.jobs.get(job_name)
        return self.store.newest_first(job_name, before, limit)

    def stop_many(
        self, job_name: str, run_ids: Sequence[str]
    ) -> tuple[list[str], dict[str, dict[str, str]]]:
        """BatchStopJobRun: the ids stopped (or stopping), and an ErrorDetail per id not."""
        stopped: list[str] = []
        errors: dict[str, dict[str, str]] = {}
        for run_id in dict.fromkeys(run_ids):
            try:
                self._stop(job_name, run_id)
            except GlueError as exc:
                errors[run_id] = {"ErrorCode": exc.code, "ErrorMessage": exc.message}
            else:
                stopped.append(run_id)
        if stopped:
            self.wake()
        return stopped, errors

    def _stop(self, job_name: str, run_id: str) -> None:
        # A concurrent change (the run starting, or ending) makes the compare-and-set miss:
        # read the run again and decide on its new state.
        for _ in range(5):
            run = self.get(job_name, run_id)
            if next_state(run.state, Event.STOP_REQUESTED) is None:
                raise InvalidInputException(
                    f"Job run {run_id} is {run.state}: only WAITING, STARTING or RUNNING runs "
                    "can be stopped"
                )
            if run.state == RunState.STOPPING:
                return
            if self.ledger.apply(run, Event.STOP_REQUESTED) is not None:
                return
        raise ConcurrentModificationException(f"Job run {run_id} kept changing; try again")


def _waiting(record: JobRunRecord, detail: str) -> JobRunRecord:
    return replace(record, state=RunState.WAITING, state_detail=detail)
