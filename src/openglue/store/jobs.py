"""Job definitions: the store contract and its SQL implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.sql import SqlStore

_j = schema.jobs


@dataclass(frozen=True)
class JobRecord:
    name: str
    spec: dict[str, Any]  # the Job members other than Name, CreatedOn and LastModifiedOn
    created_on: float
    last_modified_on: float


class JobStore(ABC):
    """Job definitions keyed by their exact (case-preserving) name."""

    @abstractmethod
    def create(self, record: JobRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> JobRecord | None:
        """The job, or ``None``."""

    @abstractmethod
    def get_many(self, names: Sequence[str]) -> dict[str, JobRecord]:
        """The jobs of these names that exist, by name."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> list[JobRecord]:
        """Up to ``limit`` jobs in code-point order of name, starting after ``after``."""

    @abstractmethod
    def replace(self, record: JobRecord) -> None:
        """Overwrite the job named ``record.name``; ``EntityNotFoundException`` if missing."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete the job with every record of its runs; ``False`` if there was no such job."""


def job_id(conn: Connection, name: str, lock: bool = False) -> int:
    """The row id of job ``name``, or ``EntityNotFoundException``. ``lock`` takes the row's
    lock on PostgreSQL, serializing everything that counts the job's runs."""
    query = select(_j.c.id).where(_j.c.name == name)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    found = conn.execute(query).scalar()
    if found is None:
        raise EntityNotFoundException(f"Job {name} not found.")
    return int(found)


def _record(row: Any) -> JobRecord:
    return JobRecord(row.name, row.spec, row.created_on, row.last_modified_on)


class SqlJobStore(JobStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: JobRecord) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(
                    insert(_j).values(
                        name=record.name,
                        spec=record.spec,
                        created_on=record.created_on,
                        last_modified_on=record.last_modified_on,
                    )
                )
        except IntegrityError:
            raise AlreadyExistsException(f"Job {record.name} already exists.") from None

    def get(self, name: str) -> JobRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(select(_j).where(_j.c.name == name)).first()
        return None if row is None else _record(row)

    def get_many(self, names: Sequence[str]) -> dict[str, JobRecord]:
        if not names:
            return {}
        with self.sql.read() as conn:
            rows = conn.execute(select(_j).where(_j.c.name.in_(list(set(names))))).all()
        return {row.name: _record(row) for row in rows}

    def list(self, after: str | None, limit: int) -> list[JobRecord]:
        name = code_point_order(self.sql, _j.c.name)
        query = select(_j).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [_record(r) for r in rows]

    def replace(self, record: JobRecord) -> None:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_j)
                .where(_j.c.name == record.name)
                .values(
                    spec=record.spec,
                    created_on=record.created_on,
                    last_modified_on=record.last_modified_on,
                )
            ).rowcount
            if not changed:
                raise EntityNotFoundException(f"Job {record.name} not found.")

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            removed = conn.execute(delete(_j).where(_j.c.name == name)).rowcount
        return bool(removed)
