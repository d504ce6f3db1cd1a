"""Partition indexes: the store contract and its SQL implementation.

An index here is the record Glue keeps (a name and some partition keys). Every partition key is
already indexed by ``partition_values``, so an index needs no data of its own and is ACTIVE as
soon as it exists.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from openglue.errors import (
    AlreadyExistsException,
    EntityNotFoundException,
    ResourceNumberLimitExceededException,
)
from openglue.store import schema
from openglue.store.partitioned_tables import PartitionedTable
from openglue.store.sql import SqlStore


@dataclass(frozen=True)
class PartitionIndexRecord:
    name: str
    keys: tuple[str, ...]  # partition key names, in index order
    create_time: float


class PartitionIndexStore(ABC):
    """The partition indexes of each table, keyed by index name."""

    @abstractmethod
    def create(self, table: PartitionedTable, record: PartitionIndexRecord, limit: int) -> None:
        """Add an index; ``AlreadyExistsException`` if the name is taken on this table,
        ``ResourceNumberLimitExceededException`` if the table has ``limit`` indexes already,
        ``EntityNotFoundException`` if the table is gone."""

    @abstractmethod
    def list(self, table: PartitionedTable) -> Sequence[PartitionIndexRecord]:
        """Every index of the table, oldest first."""

    @abstractmethod
    def delete(self, table: PartitionedTable, name: str) -> bool:
        """Remove the index; ``False`` if the table has no index of that name."""


class SqlPartitionIndexStore(PartitionIndexStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, table: PartitionedTable, record: PartitionIndexRecord, limit: int) -> None:
        ix = schema.partition_indexes
        try:
            with self.sql.write() as conn:
                # Count-then-insert must not interleave with another creator on the same table:
                # SQLite's write lock already serializes writers; on PostgreSQL the table row's
                # lock does (NO KEY UPDATE still lets partition inserts take their FK lock).
                if not self.sql.is_sqlite:
                    locked = conn.execute(
                        select(schema.tables.c.id)
                        .where(schema.tables.c.id == table.id)
                        .with_for_update(key_share=True)
                    ).first()
                    if locked is None:
                        raise EntityNotFoundException(f"Table {table.name} not found.")
                taken = conn.execute(
                    select(func.count()).select_from(ix).where(ix.c.table_id == table.id)
                ).scalar_one()
                exists = conn.execute(
                    select(ix.c.name).where(ix.c.table_id == table.id, ix.c.name == record.name)
                ).first()
                if exists is not None:
                    raise AlreadyExistsException(
                        f"Partition index {record.name} already exists on table {table.name}."
                    )
                if taken >= limit:
                    raise ResourceNumberLimitExceededException(
                        f"Table {table.name} already has {taken} partition indexes, the most "
                        f"a table can have ({limit}); delete one first"
                    )
                conn.execute(
                    insert(ix).values(
                        table_id=table.id,
                        name=record.name,
                        keys=list(record.keys),
                        create_time=record.create_time,
                    )
                )
        except IntegrityError:
            # Only the table's foreign key can fail here: the primary key was checked under lock.
            raise EntityNotFoundException(f"Table {table.name} not found.") from None

    def list(self, table: PartitionedTable) -> Sequence[PartitionIndexRecord]:
        ix = schema.partition_indexes
        with self.sql.read() as conn:
            rows = conn.execute(
                select(ix).where(ix.c.table_id == table.id).order_by(ix.c.create_time, ix.c.name)
            ).all()
        return [PartitionIndexRecord(r.name, tuple(r.keys), r.create_time) for r in rows]

    def delete(self, table: PartitionedTable, name: str) -> bool:
        ix = schema.partition_indexes
        with self.sql.write() as conn:
            removed = conn.execute(
                delete(ix).where(ix.c.table_id == table.id, ix.c.name == name)
            ).rowcount
        return bool(removed)
