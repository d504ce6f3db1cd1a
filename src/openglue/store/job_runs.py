"""Job runs: the store contract and its SQL implementation.

Every change of a run's state is a compare-and-set on the state it is expected to be in, so
the request threads (StartJobRun, BatchStopJobRun) and the supervisor that watches processes
never overwrite each other's decisions. Counting a job's runs and adding one happen in one
transaction under the job's lock, which is what makes ``MaxConcurrentRuns`` hold under load.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from openglue.store import schema
from openglue.store.jobs import job_id
from openglue.store.sql import SqlStore

_r = schema.job_runs
_j = schema.jobs

# Runs in these states hold one of their job's MaxConcurrentRuns slots: their process exists,
# or is about to, or is being stopped.
SLOT_STATES = ("STARTING", "RUNNING", "STOPPING")
# Runs that have not finished: the slot holders and the runs queued for a slot.
LIVE_STATES = ("WAITING", *SLOT_STATES)


@dataclass(frozen=True)
class JobRunRecord:
    id: str
    job_name: str
    state: str
    attempt: int
    previous_run_id: str | None
    started_on: float
    last_modified_on: float
    spec: dict[str, Any]  # JobRun members fixed when the run started (Arguments, Timeout, …)
    launch: dict[str, Any]  # what starting its process needs (a snapshot of the job)
    owner: str  # the server process that watches the run
    running_on: float | None = None
    completed_on: float | None = None
    error_message: str | None = None
    state_detail: str | None = None
    pid: int | None = None
    pid_start: int | None = None
    seq: int = 0  # assigned by the store: the order runs were created in


@dataclass(frozen=True)
class RunUpdate:
    """Columns to change; ``None`` leaves a column as it is."""

    state: str | None = None
    last_modified_on: float | None = None
    running_on: float | None = None
    completed_on: float | None = None
    error_message: str | None = None
    state_detail: str | None = None
    owner: str | None = None
    pid: int | None = None
    pid_start: int | None = None


class JobRunStore(ABC):
    """Runs keyed by their JobRunId (unique across jobs)."""

    @abstractmethod
    def create(self, record: JobRunRecord, slot_limit: int | None = None) -> bool:
        """Insert the run. With ``slot_limit``: only if the job has fewer than ``slot_limit``
        runs in ``LIVE_STATES`` (counted and inserted atomically, so two starts cannot both
        take the last slot); ``False``, and nothing inserted, otherwise.
        ``EntityNotFoundException`` if the job does not exist."""

    @abstractmethod
    def get(self, run_id: str) -> JobRunRecord | None:
        """The run, or ``None``."""

    @abstractmethod
    def newest_first(self, job_name: str, before: int | None, limit: int) -> list[JobRunRecord]:
        """Up to ``limit`` runs of the job, newest first, with ``seq`` below ``before``."""

    @abstractmethod
    def live(self, owner: str | None = None) -> list[JobRunRecord]:
        """Every run in ``LIVE_STATES`` (only ``owner``'s, when given), oldest first."""

    @abstractmethod
    def transition(
        self,
        run_id: str,
        expected: Collection[str],
        change: RunUpdate,
        expected_owner: str | None = None,
        follow_up: JobRunRecord | None = None,
    ) -> JobRunRecord | None:
        """Apply ``change`` if the run is in one of the ``expected`` states (and, when given,
        watched by ``expected_owner``); the updated run, or ``None`` when it is not (or no
        longer exists). ``follow_up``, a new run, is inserted in the same transaction when
        the change applies: a retry attempt then exists exactly when its failure does."""

    @abstractmethod
    def promote_waiting(
        self, job_name: str, slot_limit: int, change: RunUpdate, owner: str
    ) -> list[JobRunRecord]:
        """Apply ``change`` to ``owner``'s oldest WAITING runs of the job while fewer than
        ``slot_limit`` of its runs are in ``SLOT_STATES``; the runs changed, oldest first."""


def _values(change: RunUpdate) -> dict[str, Any]:
    return {k: v for k, v in asdict(change).items() if v is not None}


def _columns() -> list[Any]:
    return [*_r.c, _j.c.name.label("job_name")]


def _record(row: Any) -> JobRunRecord:
    return JobRunRecord(
        id=row.id,
        job_name=row.job_name,
        state=row.state,
        attempt=row.attempt,
        previous_run_id=row.previous_run_id,
        started_on=row.started_on,
        last_modified_on=row.last_modified_on,
        spec=row.spec,
        launch=row.launch,
        owner=row.owner,
        running_on=row.running_on,
        completed_on=row.completed_on,
        error_message=row.error_message,
        state_detail=row.state_detail,
        pid=row.pid,
        pid_start=row.pid_start,
        seq=row.seq,
    )


class SqlJobRunStore(JobRunStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: JobRunRecord, slot_limit: int | None = None) -> bool:
        with self.sql.write() as conn:
            return self._insert(conn, record, slot_limit)

    def get(self, run_id: str) -> JobRunRecord | None:
        with self.sql.read() as conn:
            return self._get(conn, run_id)

    def newest_first(self, job_name: str, before: int | None, limit: int) -> list[JobRunRecord]:
        query = (
            select(*_columns())
            .join(_j, _j.c.id == _r.c.job_id)
            .where(_j.c.name == job_name)
            .order_by(_r.c.seq.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(_r.c.seq < before)
        with self.sql.read() as conn:
            return [_record(row) for row in conn.execute(query)]

    def live(self, owner: str | None = None) -> list[JobRunRecord]:
        query = (
            select(*_columns())
            .join(_j, _j.c.id == _r.c.job_id)
            .where(_r.c.state.in_(LIVE_STATES))
            .order_by(_r.c.seq)
        )
        if owner is not None:
            query = query.where(_r.c.owner == owner)
        with self.sql.read() as conn:
            return [_record(row) for row in conn.execute(query)]

    def transition(
        self,
        run_id: str,
        expected: Collection[str],
        change: RunUpdate,
        expected_owner: str | None = None,
        follow_up: JobRunRecord | None = None,
    ) -> JobRunRecord | None:
        condition = and_(_r.c.id == run_id, _r.c.state.in_(list(expected)))
        if expected_owner is not None:
            condition = and_(condition, _r.c.owner == expected_owner)
        with self.sql.write() as conn:
            changed = conn.execute(update(_r).where(condition).values(_values(change))).rowcount
            if not changed:
                return None
            if follow_up is not None:
                self._insert(conn, follow_up, None)
            return self._get(conn, run_id)

    def promote_waiting(
        self, job_name: str, slot_limit: int, change: RunUpdate, owner: str
    ) -> list[JobRunRecord]:
        with self.sql.write() as conn:
            job = job_id(conn, job_name, lock=True)
            room = slot_limit - self._count(conn, job, SLOT_STATES)
            if room <= 0:
                return []
            waiting = conn.execute(
                select(_r.c.id)
                .where(_r.c.job_id == job, _r.c.state == "WAITING", _r.c.owner == owner)
                .order_by(_r.c.seq)
                .limit(room)
            ).scalars()
            ids: Sequence[str] = list(waiting)
            if not ids:
                return []
            conn.execute(update(_r).where(_r.c.id.in_(ids)).values(_values(change)))
            found = (self._get(conn, run_id) for run_id in ids)
            return [run for run in found if run is not None]

    def _insert(self, conn: Connection, record: JobRunRecord, slot_limit: int | None) -> bool:
        job = job_id(conn, record.job_name, lock=slot_limit is not None)
        if slot_limit is not None and self._count(conn, job, LIVE_STATES) >= slot_limit:
            return False
        values = asdict(record)
        for derived in ("job_name", "seq"):
            del values[derived]
        conn.execute(insert(_r).values(job_id=job, **values))
        return True

    def _count(self, conn: Connection, job: int, states: Sequence[str]) -> int:
        query = select(func.count()).where(_r.c.job_id == job, _r.c.state.in_(states))
        return int(conn.execute(query).scalar() or 0)

    def _get(self, conn: Connection, run_id: str) -> JobRunRecord | None:
        row = conn.execute(
            select(*_columns()).join(_j, _j.c.id == _r.c.job_id).where(_r.c.id == run_id)
        ).first()
        return None if row is None else _record(row)
