"""Connections: the store contract and its SQL implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.sql import SqlStore


@dataclass(frozen=True)
class ConnectionRecord:
    name: str
    spec: dict[str, Any]  # the ConnectionInput members other than Name
    creation_time: float
    last_updated_time: float


class ConnectionStore(ABC):
    """Connections keyed by their exact (case-preserving) name."""

    @abstractmethod
    def create(self, record: ConnectionRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> ConnectionRecord | None:
        """The connection, or ``None``."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> list[ConnectionRecord]:
        """Up to ``limit`` connections in code-point order of name, starting after ``after``."""

    @abstractmethod
    def replace(self, name: str, record: ConnectionRecord) -> None:
        """Replace ``name`` by ``record`` (which may rename it). ``EntityNotFoundException`` if
        missing, ``AlreadyExistsException`` if the new name is taken."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete; ``False`` if there was no such connection."""


def code_point_order(sql: SqlStore, column: Any) -> ColumnElement[Any]:
    """``column`` compared by code point on every backend, so that pages follow one order.

    SQLite's default BINARY collation already is; PostgreSQL's default follows the locale
    (which ignores punctuation and folds case), hence the explicit "C" collation there.
    """
    return column if sql.is_sqlite else column.collate("C")  # type: ignore[no-any-return]


def _record(row: Any) -> ConnectionRecord:
    return ConnectionRecord(row.name, row.spec, row.creation_time, row.last_updated_time)


class SqlConnectionStore(ConnectionStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: ConnectionRecord) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(
                    insert(schema.connections).values(
                        name=record.name,
                        spec=record.spec,
                        creation_time=record.creation_time,
                        last_updated_time=record.last_updated_time,
                    )
                )
        except IntegrityError:
            raise AlreadyExistsException(f"Connection {record.name} already exists.") from None

    def get(self, name: str) -> ConnectionRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(
                select(schema.connections).where(schema.connections.c.name == name)
            ).first()
        return None if row is None else _record(row)

    def list(self, after: str | None, limit: int) -> list[ConnectionRecord]:
        name = code_point_order(self.sql, schema.connections.c.name)
        query = select(schema.connections).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [_record(r) for r in rows]

    def replace(self, name: str, record: ConnectionRecord) -> None:
        try:
            with self.sql.write() as conn:
                changed = conn.execute(
                    update(schema.connections)
                    .where(schema.connections.c.name == name)
                    .values(
                        name=record.name,
                        spec=record.spec,
                        creation_time=record.creation_time,
                        last_updated_time=record.last_updated_time,
                    )
                ).rowcount
                if not changed:
                    raise EntityNotFoundException(f"Connection {name} not found.")
        except IntegrityError:
            raise AlreadyExistsException(f"Connection {record.name} already exists.") from None

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            removed = conn.execute(
                delete(schema.connections).where(schema.connections.c.name == name)
            ).rowcount
        return bool(removed)
