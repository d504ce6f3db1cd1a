"""Partitions: the store contract and its SQL implementation.

A partition is identified within its table by its values, kept as JSON text (``values_key``)
under a unique constraint, so the database itself refuses duplicates even when two writers
race. Each value also gets a ``partition_values`` row with its typed projection, which is what
lets a GetPartitions expression run as SQL over an index.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from openglue.catalog.partition_expression import CompiledFilter
from openglue.catalog.partition_values import numeric_projection
from openglue.errors import EntityNotFoundException
from openglue.store import schema
from openglue.store.partitioned_tables import PartitionedTable, resolve_table
from openglue.store.sql import SqlStore
from openglue.store.statistics import StatisticsRefresher

# Keeps each IN (...) list well below every backend's bound-parameter limit.
_IN_CHUNK = 500


@dataclass(frozen=True)
class PartitionRecord:
    database: str
    table: str
    values: tuple[str, ...]
    spec: dict[str, Any]  # the PartitionInput members other than Values
    creation_time: float


@dataclass(frozen=True)
class Segment:
    number: int
    total: int


class PartitionStore(ABC):
    """Partitions of tables, each identified within its table by its list of values.

    Methods taking a ``PartitionedTable`` raise ``EntityNotFoundException`` if the table
    disappears meanwhile (where they write) or simply find nothing (where they read).
    """

    @abstractmethod
    def table(self, database: str, table: str) -> PartitionedTable:
        """The table named by (already folded) names; ``EntityNotFoundException`` naming the
        database or the table that does not exist."""

    @abstractmethod
    def create_many(
        self, table: PartitionedTable, records: Sequence[PartitionRecord]
    ) -> list[bool]:
        """Insert the records whose values are new, atomically and in the order given; flag
        ``i`` says whether ``records[i]`` was created. A record is not created if its values
        exist already, were taken by a concurrent writer, or occur earlier in ``records``."""

    @abstractmethod
    def get_many(
        self, table: PartitionedTable, values: Sequence[Sequence[str]]
    ) -> list[PartitionRecord]:
        """The partitions that exist among ``values``, in the order asked, each at most once."""

    @abstractmethod
    def page(
        self,
        table: PartitionedTable,
        *,
        after: int | None,
        limit: int,
        segment: Segment | None = None,
        where: CompiledFilter | None = None,
    ) -> tuple[list[PartitionRecord], int | None]:
        """Up to ``limit`` partitions in creation order, resuming after position ``after``,
        limited to ``segment`` and to those matching ``where``. Also returns the position to
        resume from, or ``None`` when nothing follows. Segments of one ``total`` cover every
        partition exactly once."""

    @abstractmethod
    def replace_many(
        self, table: PartitionedTable, specs: Sequence[tuple[Sequence[str], dict[str, Any]]]
    ) -> list[bool]:
        """Replace the spec of each partition named by the values in ``specs[i]``, keeping
        its values and creation time; flag ``i`` is ``False`` if there was no such partition."""

    @abstractmethod
    def delete_many(self, table: PartitionedTable, values: Sequence[Sequence[str]]) -> list[bool]:
        """Delete the partitions named by ``values``; flag ``i`` is ``False`` if ``values[i]``
        did not exist (or was deleted earlier in the list)."""


def values_key(values: Sequence[str]) -> str:
    """The canonical text of a values list: the partition's identity within its table."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def _new_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh, increasing partition ids from PostgreSQL's sequence for the column."""
    sequence = func.pg_get_serial_sequence(schema.partitions.name, "id")
    drawn = conn.execute(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    ).scalars()
    return sorted(int(i) for i in drawn)


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i : i + _IN_CHUNK] for i in range(0, len(items), _IN_CHUNK)]


class SqlPartitionStore(PartitionStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        self._statistics = StatisticsRefresher(sql, ("partitions", "partition_values"))

    def table(self, database: str, table: str) -> PartitionedTable:
        with self.sql.read() as conn:
            return resolve_table(conn, database, table)

    def create_many(
        self, table: PartitionedTable, records: Sequence[PartitionRecord]
    ) -> list[bool]:
        keys = [values_key(r.values) for r in records]
        first: dict[str, int] = {}
        for index, key in enumerate(keys):
            first.setdefault(key, index)
        if not first:
            return []
        rows = [
            {
                "table_id": table.id,
                "values_key": key,
                "spec": records[index].spec,
                "creation_time": records[index].creation_time,
            }
            for key, index in first.items()
        ]
        dialect_insert = sqlite.insert if self.sql.is_sqlite else postgresql.insert
        # One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING: rows that already exist (or
        # that a concurrent writer inserts first) are skipped instead of failing the batch.
        statement = (
            dialect_insert(schema.partitions)
            .on_conflict_do_nothing(index_elements=["table_id", "values_key"])
            .returning(schema.partitions.c.id, schema.partitions.c.values_key)
        )
        try:
            with self.sql.write() as conn:
                if not self.sql.is_sqlite:
                    # Concurrent batches must take their row locks in one order (by values) or
                    # they can deadlock; ids drawn up front keep ids in request order anyway.
                    for row, new_id in zip(rows, _new_ids(conn, len(rows)), strict=True):
                        row["id"] = new_id
                    rows.sort(key=lambda row: str(row["values_key"]))
                created = {row.values_key: row.id for row in conn.execute(statement, rows)}
                value_rows = [
                    {
                        "partition_id": partition_id,
                        "position": position,
                        "table_id": table.id,
                        "str_value": value,
                        "num_value": numeric_projection(key.type, value),
                    }
                    for partition_key, partition_id in created.items()
                    for position, (key, value) in enumerate(
                        zip(table.keys, records[first[partition_key]].values, strict=False)
                    )
                ]
                if value_rows:
                    conn.execute(insert(schema.partition_values), value_rows)
        except IntegrityError:
            # The only constraint left to fail is the table's foreign key: it was deleted.
            raise EntityNotFoundException(f"Table {table.name} not found.") from None
        self._statistics.grew_by(len(created))
        return [first[key] == index and key in created for index, key in enumerate(keys)]

    def get_many(
        self, table: PartitionedTable, values: Sequence[Sequence[str]]
    ) -> list[PartitionRecord]:
        wanted = list(dict.fromkeys(values_key(v) for v in values))
        found: dict[str, PartitionRecord] = {}
        p = schema.partitions
        with self.sql.read() as conn:
            for chunk in _chunks(wanted):
                query = select(p.c.values_key, p.c.spec, p.c.creation_time).where(
                    p.c.table_id == table.id, p.c.values_key.in_(chunk)
                )
                for row in conn.execute(query):
                    found[row.values_key] = self._record(table, row)
        return [found[key] for key in wanted if key in found]

    def page(
        self,
        table: PartitionedTable,
        *,
        after: int | None,
        limit: int,
        segment: Segment | None = None,
        where: CompiledFilter | None = None,
    ) -> tuple[list[PartitionRecord], int | None]:
        p = schema.partitions
        query: Select[Any] = (
            select(p.c.id, p.c.values_key, p.c.spec, p.c.creation_time)
            .where(p.c.table_id == table.id)
            .order_by(p.c.id)
            .limit(limit + 1)
        )
        if after is not None:
            query = query.where(p.c.id > after)
        if segment is not None:
            query = query.where(p.c.id % segment.total == segment.number)
        if where is not None:
            query = _filtered(query, table, where)
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        page = rows[:limit]
        resume = int(page[-1].id) if len(rows) > limit else None
        return [self._record(table, row) for row in page], resume

    def replace_many(
        self, table: PartitionedTable, specs: Sequence[tuple[Sequence[str], dict[str, Any]]]
    ) -> list[bool]:
        p = schema.partitions
        flags: list[bool] = []
        # At most 100 items (BatchUpdatePartition); a statement each keeps rowcount exact.
        with self.sql.write() as conn:
            for values, spec in specs:
                changed = conn.execute(
                    update(p)
                    .where(p.c.table_id == table.id, p.c.values_key == values_key(values))
                    .values(spec=spec)
                ).rowcount
                flags.append(bool(changed))
        return flags

    def delete_many(self, table: PartitionedTable, values: Sequence[Sequence[str]]) -> list[bool]:
        keys = [values_key(v) for v in values]
        p = schema.partitions
        removed: set[str] = set()
        # partition_values rows go with their partition through the foreign key's cascade.
        with self.sql.write() as conn:
            for chunk in _chunks(list(dict.fromkeys(keys))):
                result = conn.execute(
                    delete(p)
                    .where(p.c.table_id == table.id, p.c.values_key.in_(chunk))
                    .returning(p.c.values_key)
                )
                removed.update(result.scalars())
        flags = []
        for key in keys:
            flags.append(key in removed)
            removed.discard(key)  # a repeated key was deleted once, by its first occurrence
        return flags

    @staticmethod
    def _record(table: PartitionedTable, row: Any) -> PartitionRecord:
        return PartitionRecord(
            table.database,
            table.name,
            tuple(json.loads(row.values_key)),
            row.spec,
            row.creation_time,
        )


def _filtered(query: Select[Any], table: PartitionedTable, where: CompiledFilter) -> Select[Any]:
    """``query`` joined to one ``partition_values`` alias per key the filter reads."""
    p, pv = schema.partitions, schema.partition_values
    joined: Any = p
    aliases = {}
    for position in sorted(where.positions):
        alias = aliases[position] = pv.alias(f"pv{position}")
        # table_id and position first: the prefix of both (table_id, position, value) indexes.
        on = (
            (alias.c.table_id == table.id)
            & (alias.c.position == position)
            & (alias.c.partition_id == p.c.id)
        )
        # Outer joins only where a missing value could still match (IS NULL, OR, NOT …);
        # elsewhere an inner join lets the planner start from the value index.
        joined = joined.join(alias, on, isouter=position not in where.required_positions)

    def columns(position: int) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
        return aliases[position].c.str_value, aliases[position].c.num_value

    return query.select_from(joined).where(where.condition(columns))
