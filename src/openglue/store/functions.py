"""User-defined functions: the store contract and its SQL implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.databases import database_id
from openglue.store.sql import SqlStore


@dataclass(frozen=True)
class FunctionRecord:
    database: str
    name: str
    spec: dict[str, Any]  # the UserDefinedFunctionInput members other than FunctionName
    create_time: float


class FunctionStore(ABC):
    """Functions keyed by (database name, function name), both already folded.

    Every method naming a database raises ``EntityNotFoundException`` ("Database x not
    found.") when that database does not exist."""

    @abstractmethod
    def create(self, record: FunctionRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the database already has the name."""

    @abstractmethod
    def get(self, database: str, name: str) -> FunctionRecord | None:
        """The function, or ``None`` if the database has no such function."""

    @abstractmethod
    def list(
        self, database: str | None, after: tuple[str, str] | None, limit: int
    ) -> list[FunctionRecord]:
        """Up to ``limit`` functions of ``database`` (of every database when ``None``),
        ordered by (database, name) in code-point order, starting after the
        ``(database, name)`` pair ``after``."""

    @abstractmethod
    def replace(self, database: str, name: str, record: FunctionRecord) -> None:
        """Replace function ``name`` of ``database`` by ``record`` (same database; the name
        may change). ``EntityNotFoundException`` if missing, ``AlreadyExistsException`` if
        the new name is taken."""

    @abstractmethod
    def delete(self, database: str, name: str) -> bool:
        """Delete; ``False`` if the database has no such function."""


def function_not_found(database: str, name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Function {name} not found in database {database}.")


def _taken(record: FunctionRecord) -> AlreadyExistsException:
    return AlreadyExistsException(
        f"Function {record.name} already exists in database {record.database}."
    )


_f = schema.functions
_d = schema.databases
_COLUMNS = (_d.c.name.label("database"), _f.c.name, _f.c.spec, _f.c.create_time)


def _record(row: Any) -> FunctionRecord:
    return FunctionRecord(row.database, row.name, row.spec, row.create_time)


class SqlFunctionStore(FunctionStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: FunctionRecord) -> None:
        try:
            with self.sql.write() as conn:
                db_id = database_id(conn, record.database)
                conn.execute(
                    insert(_f).values(
                        database_id=db_id,
                        name=record.name,
                        spec=record.spec,
                        create_time=record.create_time,
                    )
                )
        except IntegrityError:
            raise _taken(record) from None

    def get(self, database: str, name: str) -> FunctionRecord | None:
        with self.sql.read() as conn:
            db_id = database_id(conn, database)
            row = conn.execute(
                select(*_COLUMNS)
                .select_from(_f.join(_d, _d.c.id == _f.c.database_id))
                .where(_f.c.database_id == db_id, _f.c.name == name)
            ).first()
        return None if row is None else _record(row)

    def list(
        self, database: str | None, after: tuple[str, str] | None, limit: int
    ) -> list[FunctionRecord]:
        db_name = code_point_order(self.sql, _d.c.name)
        fn_name = code_point_order(self.sql, _f.c.name)
        query = (
            select(*_COLUMNS)
            .select_from(_f.join(_d, _d.c.id == _f.c.database_id))
            .order_by(db_name, fn_name)
            .limit(limit)
        )
        if after is not None:
            query = query.where(
                or_(db_name > after[0], and_(_d.c.name == after[0], fn_name > after[1]))
            )
        with self.sql.read() as conn:
            if database is not None:
                query = query.where(_f.c.database_id == database_id(conn, database))
            rows = conn.execute(query).all()
        return [_record(r) for r in rows]

    def replace(self, database: str, name: str, record: FunctionRecord) -> None:
        try:
            with self.sql.write() as conn:
                db_id = database_id(conn, database)
                changed = conn.execute(
                    update(_f)
                    .where(_f.c.database_id == db_id, _f.c.name == name)
                    .values(name=record.name, spec=record.spec, create_time=record.create_time)
                ).rowcount
                if not changed:
                    raise function_not_found(database, name)
        except IntegrityError:
            raise _taken(record) from None

    def delete(self, database: str, name: str) -> bool:
        with self.sql.write() as conn:
            db_id = database_id(conn, database)
            removed = conn.execute(
                delete(_f).where(_f.c.database_id == db_id, _f.c.name == name)
            ).rowcount
        return bool(removed)
