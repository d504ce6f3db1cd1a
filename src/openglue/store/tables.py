"""Tables and their archived versions: the store contract and its SQL implementation.

The current definition of a table lives in its ``tables`` row; ``table_versions`` holds only
the definitions that UpdateTable archived. A table's row id never changes, so partitions and
partition indexes (keyed by ``table_id``) survive every update.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import (
    AlreadyExistsException,
    ConcurrentModificationException,
    EntityNotFoundException,
)
from openglue.store import schema
from openglue.store.databases import database_id
from openglue.store.partition_indexes import PartitionIndexRecord
from openglue.store.sql import SqlStore

# Names are scanned in batches this size when a name pattern has to be applied in Python.
_NAME_BATCH = 1000


@dataclass(frozen=True)
class TableRecord:
    """One version of a table: the current one, or an archived one."""

    database: str
    name: str
    spec: dict[str, Any]  # the TableInput members other than Name
    create_time: float
    update_time: float
    version_id: int


class TableStore(ABC):
    """Tables keyed by (database name, table name), both already folded.

    Every method that names a database raises ``EntityNotFoundException`` when the database
    does not exist.
    """

    @abstractmethod
    def create(self, record: TableRecord, indexes: list[PartitionIndexRecord]) -> None:
        """Insert the table (``record.version_id`` is its first version) with its partition
        indexes; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, database: str, name: str) -> TableRecord | None:
        """The current version of the table, or ``None``."""

    @abstractmethod
    def list_tables(
        self, database: str, after: str | None, limit: int, pattern: re.Pattern[str] | None
    ) -> list[TableRecord]:
        """Up to ``limit`` tables of ``database`` ordered by name, starting after ``after``;
        only those whose whole name matches ``pattern`` when one is given."""

    @abstractmethod
    def scan(self, after: tuple[str, str] | None, limit: int) -> list[TableRecord]:
        """Up to ``limit`` tables of every database, ordered by (database, name), starting
        after the (database, name) pair ``after``."""

    @abstractmethod
    def update(
        self,
        database: str,
        name: str,
        spec: dict[str, Any],
        update_time: float,
        *,
        expected_version: str | None,
        archive: bool,
    ) -> TableRecord:
        """Replace the table's definition atomically and return the new current version,
        numbered one above the previous one. When ``archive``, the previous definition is kept
        as an archived version. ``EntityNotFoundException`` if the table is missing;
        ``ConcurrentModificationException`` if ``expected_version`` is given and is not the
        current version id. Concurrent updates are serialized: none is lost."""

    @abstractmethod
    def delete(self, database: str, names: list[str]) -> set[str]:
        """Delete these tables with their versions, partitions and indexes, in one
        transaction; returns the names that were deleted."""

    @abstractmethod
    def get_version(self, database: str, name: str, version_id: int) -> TableRecord | None:
        """Version ``version_id`` (current or archived), or ``None`` if there is no such
        version. ``EntityNotFoundException`` if the table is missing."""

    @abstractmethod
    def list_versions(
        self, database: str, name: str, before: int | None, limit: int
    ) -> list[TableRecord]:
        """Up to ``limit`` versions, the current one included, newest first, each below
        ``before`` when given. ``EntityNotFoundException`` if the table is missing."""

    @abstractmethod
    def delete_versions(self, database: str, name: str, version_ids: list[int]) -> set[int]:
        """Delete these archived versions; returns the ids that were deleted (the current
        version is never archived, so never among them). ``EntityNotFoundException`` if the
        table is missing."""


def table_not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Table {name} not found.")


def _find_row(conn: Connection, database: str, name: str, lock: bool = False) -> Row[Any] | None:
    t = schema.tables
    query = select(t).where(t.c.database_id == database_id(conn, database), t.c.name == name)
    if lock:
        query = query.with_for_update()
    return conn.execute(query).first()


def _current_row(conn: Connection, database: str, name: str, lock: bool = False) -> Row[Any]:
    row = _find_row(conn, database, name, lock)
    if row is None:
        raise table_not_found(name)
    return row


def _record(database: str, row: Row[Any]) -> TableRecord:
    return TableRecord(
        database, row.name, row.spec, row.create_time, row.update_time, row.version_id
    )


class SqlTableStore(TableStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: TableRecord, indexes: list[PartitionIndexRecord]) -> None:
        d = schema.databases
        try:
            with self.sql.write() as conn:
                # FOR KEY SHARE (PostgreSQL): a concurrent DeleteDatabase waits instead of
                # turning this insert into a foreign-key error that would read as "already
                # exists"; renames of the database still proceed.
                db_id = conn.execute(
                    select(d.c.id)
                    .where(d.c.name == record.database)
                    .with_for_update(read=True, key_share=True)
                ).scalar()
                if db_id is None:
                    raise EntityNotFoundException(f"Database {record.database} not found.")
                new_id = conn.execute(
                    insert(schema.tables)
                    .values(
                        database_id=db_id,
                        name=record.name,
                        spec=record.spec,
                        create_time=record.create_time,
                        update_time=record.update_time,
                        version_id=record.version_id,
                    )
                    .returning(schema.tables.c.id)
                ).scalar_one()
                for index in indexes:
                    conn.execute(
                        insert(schema.partition_indexes).values(
                            table_id=new_id,
                            name=index.name,
                            keys=list(index.keys),
                            create_time=index.create_time,
                        )
                    )
        except IntegrityError:
            raise AlreadyExistsException(f"Table {record.name} already exists.") from None

    def get(self, database: str, name: str) -> TableRecord | None:
        with self.sql.read() as conn:
            row = _find_row(conn, database, name)
        return None if row is None else _record(database, row)

    def list_tables(
        self, database: str, after: str | None, limit: int, pattern: re.Pattern[str] | None
    ) -> list[TableRecord]:
        t = schema.tables
        with self.sql.read() as conn:
            db_id = database_id(conn, database)
            in_db = t.c.database_id == db_id
            if pattern is None:
                query = select(t).where(in_db).order_by(t.c.name).limit(limit)
                if after is not None:
                    query = query.where(t.c.name > after)
                return [_record(database, row) for row in conn.execute(query)]
            # The pattern is a Python regex, which neither backend can evaluate: match names
            # in batches, then load the definitions of the matching ones only.
            names: list[str] = []
            cursor = after
            while len(names) < limit:
                query = select(t.c.name).where(in_db).order_by(t.c.name).limit(_NAME_BATCH)
                if cursor is not None:
                    query = query.where(t.c.name > cursor)
                batch = list(conn.execute(query).scalars())
                names.extend(n for n in batch if pattern.fullmatch(n))
                if len(batch) < _NAME_BATCH:
                    break
                cursor = batch[-1]
            del names[limit:]
            if not names:
                return []
            rows = conn.execute(
                select(t).where(in_db, t.c.name.in_(names)).order_by(t.c.name)
            ).all()
        return [_record(database, row) for row in rows]

    def scan(self, after: tuple[str, str] | None, limit: int) -> list[TableRecord]:
        t, d = schema.tables, schema.databases
        query = (
            select(t, d.c.name.label("database_name"))
            .join(d, t.c.database_id == d.c.id)
            .order_by(d.c.name, t.c.name)
            .limit(limit)
        )
        if after is not None:
            query = query.where(
                or_(d.c.name > after[0], and_(d.c.name == after[0], t.c.name > after[1]))
            )
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [_record(row.database_name, row) for row in rows]

    def update(
        self,
        database: str,
        name: str,
        spec: dict[str, Any],
        update_time: float,
        *,
        expected_version: str | None,
        archive: bool,
    ) -> TableRecord:
        with self.sql.write() as conn:
            # Read-modify-write under the row lock (PostgreSQL) or the write lock (SQLite):
            # each concurrent update sees the version the previous one wrote.
            row = _current_row(conn, database, name, lock=True)
            if expected_version is not None and expected_version != str(row.version_id):
                raise ConcurrentModificationException(
                    f"Update table failed due to concurrent modifications: VersionId "
                    f"{expected_version} is not the current version {row.version_id} of table "
                    f"{name}; read the table again and retry."
                )
            if archive:
                conn.execute(
                    insert(schema.table_versions).values(
                        table_id=row.id,
                        version_id=row.version_id,
                        spec=row.spec,
                        update_time=row.update_time,
                    )
                )
            # UPDATE in place, never delete+insert: the row id keys the table's partitions.
            conn.execute(
                update(schema.tables)
                .where(schema.tables.c.id == row.id)
                .values(spec=spec, update_time=update_time, version_id=row.version_id + 1)
            )
        current = _record(database, row)
        return replace(current, spec=spec, update_time=update_time, version_id=row.version_id + 1)

    def delete(self, database: str, names: list[str]) -> set[str]:
        t = schema.tables
        with self.sql.write() as conn:
            db_id = database_id(conn, database)
            # RETURNING tells which names existed, so a batch needs a single statement.
            deleted = conn.execute(
                delete(t).where(t.c.database_id == db_id, t.c.name.in_(names)).returning(t.c.name)
            ).scalars()
            return set(deleted)

    def get_version(self, database: str, name: str, version_id: int) -> TableRecord | None:
        v = schema.table_versions
        with self.sql.read() as conn:
            row = _current_row(conn, database, name)
            current = _record(database, row)
            if version_id == row.version_id:
                return current
            archived = conn.execute(
                select(v).where(v.c.table_id == row.id, v.c.version_id == version_id)
            ).first()
        if archived is None:
            return None
        return _archived(current, archived)

    def list_versions(
        self, database: str, name: str, before: int | None, limit: int
    ) -> list[TableRecord]:
        v = schema.table_versions
        with self.sql.read() as conn:
            row = _current_row(conn, database, name)
            current = _record(database, row)
            query = (
                select(v).where(v.c.table_id == row.id).order_by(v.c.version_id.desc()).limit(limit)
            )
            if before is not None:
                query = query.where(v.c.version_id < before)
            archived = conn.execute(query).all()
        found = [_archived(current, a) for a in archived]
        if before is None or current.version_id < before:
            found.insert(0, current)
        return found[:limit]

    def delete_versions(self, database: str, name: str, version_ids: list[int]) -> set[int]:
        v = schema.table_versions
        with self.sql.write() as conn:
            row = _current_row(conn, database, name)
            deleted = conn.execute(
                delete(v)
                .where(v.c.table_id == row.id, v.c.version_id.in_(version_ids))
                .returning(v.c.version_id)
            ).scalars()
            return set(deleted)


def _archived(current: TableRecord, archived: Row[Any]) -> TableRecord:
    return replace(
        current,
        spec=archived.spec,
        update_time=archived.update_time,
        version_id=archived.version_id,
    )
