"""Job bookmarks: the store contract and its SQL implementation.

A job's bookmark is a history of versions; each commit (or reset) appends the next one. A
writer says which version it read (``expected_version``) and the append fails with
``ConcurrentModificationException`` when another writer got there first: the check runs in
the write transaction and the (job, version) primary key backs it up, so two racing commits
on PostgreSQL cannot both land either. Deleting the job deletes its history (foreign key).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from openglue.errors import ConcurrentModificationException
from openglue.store import schema
from openglue.store.jobs import job_id
from openglue.store.sql import SqlStore

_b = schema.job_bookmarks
_j = schema.jobs

BookmarkState = dict[str, dict[str, str]]


@dataclass(frozen=True)
class BookmarkEntry:
    """One version of a job's bookmark (the ``JobBookmarkEntry`` members)."""

    job_name: str
    version: int
    run: int
    attempt: int
    run_id: str | None
    previous_run_id: str | None
    committed_on: float
    state: BookmarkState = field(default_factory=dict)  # {transformation_ctx: element}


class JobBookmarkStore(ABC):
    """Versioned bookmark state per job (job names keep their case)."""

    @abstractmethod
    def latest(self, job_name: str) -> BookmarkEntry | None:
        """The newest version, or ``None`` when nothing was ever committed.
        ``EntityNotFoundException`` if the job does not exist."""

    @abstractmethod
    def of_run(self, job_name: str, run_id: str) -> BookmarkEntry | None:
        """The newest version written by run ``run_id``, or ``None``.
        ``EntityNotFoundException`` if the job does not exist."""

    @abstractmethod
    def append(self, entry: BookmarkEntry, expected_version: int) -> None:
        """Add ``entry`` (whose ``version`` must be ``expected_version + 1``) as the newest
        version, provided the newest stored version is still ``expected_version`` (0: none);
        ``ConcurrentModificationException`` otherwise, with nothing written.
        ``EntityNotFoundException`` if the job does not exist."""


def _entry(job_name: str, row: Any) -> BookmarkEntry:
    return BookmarkEntry(
        job_name=job_name,
        version=row.version,
        run=row.run,
        attempt=row.attempt,
        run_id=row.run_id,
        previous_run_id=row.previous_run_id,
        committed_on=row.committed_on,
        state=json.loads(row.bookmark),
    )


def _raced(entry: BookmarkEntry, expected: int, found: int) -> ConcurrentModificationException:
    return ConcurrentModificationException(
        f"The job bookmark of {entry.job_name} is at version {found}, not {expected} as this "
        "run read it: another run of the job (or a ResetJobBookmark) changed it meanwhile. "
        "Nothing was saved; run the job again to process its input from the current bookmark."
    )


class SqlJobBookmarkStore(JobBookmarkStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def latest(self, job_name: str) -> BookmarkEntry | None:
        with self.sql.read() as conn:
            owner = job_id(conn, job_name)
            row = conn.execute(
                select(_b).where(_b.c.job_id == owner).order_by(_b.c.version.desc()).limit(1)
            ).first()
        return None if row is None else _entry(job_name, row)

    def of_run(self, job_name: str, run_id: str) -> BookmarkEntry | None:
        with self.sql.read() as conn:
            owner = job_id(conn, job_name)
            row = conn.execute(
                select(_b)
                .where(_b.c.job_id == owner, _b.c.run_id == run_id)
                .order_by(_b.c.version.desc())
                .limit(1)
            ).first()
        return None if row is None else _entry(job_name, row)

    def append(self, entry: BookmarkEntry, expected_version: int) -> None:
        if entry.version != expected_version + 1:
            raise ValueError(f"version {entry.version} does not follow {expected_version}")
        try:
            with self.sql.write() as conn:
                owner = job_id(conn, entry.job_name, lock=True)
                newest = conn.execute(
                    select(func.max(_b.c.version)).where(_b.c.job_id == owner)
                ).scalar()
                if int(newest or 0) != expected_version:
                    raise _raced(entry, expected_version, int(newest or 0))
                conn.execute(
                    insert(_b).values(
                        job_id=owner,
                        version=entry.version,
                        run=entry.run,
                        attempt=entry.attempt,
                        run_id=entry.run_id,
                        previous_run_id=entry.previous_run_id,
                        bookmark=json.dumps(entry.state, sort_keys=True),
                        committed_on=entry.committed_on,
                    )
                )
        except IntegrityError:
            # Another transaction inserted the same version between our check and insert.
            raise _raced(entry, expected_version, entry.version) from None
