"""What partition and partition-index operations need to know about a table: its row id and
its partition keys, read straight from the ``tables`` row so these stores stand on their own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from openglue.errors import EntityNotFoundException
from openglue.store import schema


@dataclass(frozen=True)
class PartitionKey:
    name: str
    type: str


@dataclass(frozen=True)
class PartitionedTable:
    id: int
    database: str
    name: str
    keys: tuple[PartitionKey, ...]


def resolve_table(conn: Connection, database: str, table: str) -> PartitionedTable:
    """The table ``database.table`` (folded names) with its partition keys, in one round trip;
    ``EntityNotFoundException`` naming the database or the table that does not exist."""
    db, tbl = schema.databases, schema.tables
    joined = db.outerjoin(tbl, (tbl.c.database_id == db.c.id) & (tbl.c.name == table))
    row = conn.execute(
        select(tbl.c.id, tbl.c.spec).select_from(joined).where(db.c.name == database)
    ).first()
    if row is None:
        raise EntityNotFoundException(f"Database {database} not found.")
    if row.id is None:
        raise EntityNotFoundException(f"Table {table} not found.")
    keys = tuple(
        # Column.Type is optional in the model; Hive treats an untyped column as a string.
        PartitionKey(str(key["Name"]), str(key.get("Type") or "string"))
        for key in (row.spec or {}).get("PartitionKeys") or ()
    )
    return PartitionedTable(int(row.id), database, table, keys)
