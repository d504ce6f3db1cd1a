"""Databases: the store contract and its SQL implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.sql import SqlStore


@dataclass(frozen=True)
class DatabaseRecord:
    name: str
    spec: dict[str, Any]  # the DatabaseInput members other than Name
    create_time: float


class DatabaseStore(ABC):
    """Databases keyed by their (already folded) name."""

    @abstractmethod
    def create(self, record: DatabaseRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> DatabaseRecord | None:
        """The database, or ``None``."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> list[DatabaseRecord]:
        """Up to ``limit`` databases ordered by name, starting after ``after``."""

    @abstractmethod
    def replace(self, name: str, record: DatabaseRecord) -> None:
        """Replace ``name`` by ``record`` (which may rename it); children follow a rename.
        ``EntityNotFoundException`` if missing, ``AlreadyExistsException`` if the new name
        is taken."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete with every table, version, partition and function in it; ``False`` if
        there was no such database."""


def database_id(conn: Connection, name: str) -> int:
    """The row id of database ``name``, or ``EntityNotFoundException``."""
    found = conn.execute(
        select(schema.databases.c.id).where(schema.databases.c.name == name)
    ).scalar()
    if found is None:
        raise EntityNotFoundException(f"Database {name} not found.")
    return int(found)


class SqlDatabaseStore(DatabaseStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: DatabaseRecord) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(
                    insert(schema.databases).values(
                        name=record.name, spec=record.spec, create_time=record.create_time
                    )
                )
        except IntegrityError:
            raise AlreadyExistsException(f"Database {record.name} already exists.") from None

    def get(self, name: str) -> DatabaseRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(
                select(schema.databases).where(schema.databases.c.name == name)
            ).first()
        return None if row is None else DatabaseRecord(row.name, row.spec, row.create_time)

    def list(self, after: str | None, limit: int) -> list[DatabaseRecord]:
        query = select(schema.databases).order_by(schema.databases.c.name).limit(limit)
        if after is not None:
            query = query.where(schema.databases.c.name > after)
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [DatabaseRecord(r.name, r.spec, r.create_time) for r in rows]

    def replace(self, name: str, record: DatabaseRecord) -> None:
        try:
            with self.sql.write() as conn:
                changed = conn.execute(
                    update(schema.databases)
                    .where(schema.databases.c.name == name)
                    .values(name=record.name, spec=record.spec)
                ).rowcount
                if not changed:
                    raise EntityNotFoundException(f"Database {name} not found.")
        except IntegrityError:
            raise AlreadyExistsException(f"Database {record.name} already exists.") from None

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            removed = conn.execute(
                delete(schema.databases).where(schema.databases.c.name == name)
            ).rowcount
        return bool(removed)
