"""Job bookmarks of JDBC sources: read only the rows past the last committed high-water mark.

The bookmark keys are ``jobBookmarkKeys`` (ordered by ``jobBookmarkKeysSortOrder``, ``asc``
by default) or, as in Glue, the table's primary key. At read time the new mark is asked of the
database first — the greatest key (least for ``desc``) past the old mark — and the read is
bounded by both marks, so rows inserted while the job runs are left for the next run instead
of being read now and read again then. The mark is staged with ``BookmarkState.update`` and
saved only by ``job.commit()``.

The state element of a source (every value a string, as Glue keeps them)::

    {"jsonClass": "JDBCBookmarkState", "keys": '["id"]', "sortOrder": "asc",
     "values": '["1042"]'}

Key values are kept in the database's own text form (``CAST(key AS TEXT)``), which converts
back exactly. A state written for other keys or another order does not apply: the source is
read in full and a warning says why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from awsglue import jdbc_sql
from awsglue.bookmarks import BookmarkState, StateElement
from awsglue.jdbc_engine import load
from awsglue.jdbc_options import JdbcSpec

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

__all__ = ["BookmarkPlan", "plan_read", "primary_key"]

log = logging.getLogger("awsglue.jdbc")

JSON_CLASS = "JDBCBookmarkState"


@dataclass(frozen=True)
class BookmarkPlan:
    """The conditions that restrict this run's read, and the element to stage for it."""

    where: tuple[str, ...]
    element: StateElement | None


def primary_key(session: SparkSession, spec: JdbcSpec) -> list[str]:
    """The primary key columns of the spec's table, in key order (from information_schema)."""
    if not spec.dbtable:
        return []
    query = (
        f"SELECT CAST(kcu.column_name AS {spec.vendor.text_type}) AS key_column"
        " FROM information_schema.table_constraints tc"
        " JOIN information_schema.key_column_usage kcu"
        " ON kcu.constraint_name = tc.constraint_name"
        " AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name"
        " WHERE tc.constraint_type = 'PRIMARY KEY'"
        f" AND {jdbc_sql.is_table(spec.vendor, spec.dbtable, 'tc')}"
        " ORDER BY kcu.ordinal_position"
    )
    return [str(row[0]) for row in load(session, spec, query).collect()]


def _columns(schema: StructType, keys: Sequence[str], source: str) -> tuple[list[str], list[bool]]:
    """The keys as the table spells them, and whether each is numeric."""
    from pyspark.sql.types import NumericType

    by_name = {f.name.lower(): f for f in schema.fields}
    names, numeric = [], []
    for key in keys:
        found = by_name.get(key.lower())
        if found is None:
            raise ValueError(
                f"bookmark key {key!r} is not a column of {source}: its columns are"
                f" {', '.join(f.name for f in schema.fields)}"
            )
        names.append(found.name)
        numeric.append(isinstance(found.dataType, NumericType))
    return names, numeric


def _previous(element: StateElement | None, keys: list[str], order: str, ctx: str) -> list[str]:
    if element is None:
        return []
    saved_keys = json.loads(element.get("keys", "[]"))
    if [k.lower() for k in saved_keys] != [k.lower() for k in keys] or (
        element.get("sortOrder", "asc") != order
    ):
        log.warning(
            "bookmark of %r was kept for keys %s (%s); the source now uses %s (%s), so it is"
            " read in full",
            ctx,
            saved_keys,
            element.get("sortOrder"),
            keys,
            order,
        )
        return []
    return [str(v) for v in json.loads(element.get("values", "[]"))]


def plan_read(
    session: SparkSession, spec: JdbcSpec, ctx: str, state: BookmarkState
) -> BookmarkPlan:
    """What this run reads of the spec's source under ``state`` (tracking bookmarks)."""
    keys = list(spec.bookmark_keys) or primary_key(session, spec)
    if not keys:
        log.warning(
            "source %r (%s) has no jobBookmarkKeys and no primary key: it is not bookmarked and"
            " is read in full on every run",
            ctx,
            spec.source,
        )
        return BookmarkPlan((), None)
    names, numeric = _columns(load(session, spec).schema, keys, spec.source)
    vendor, order = spec.vendor, spec.bookmark_order
    where = [f"{jdbc_sql.quote(vendor, k)} IS NOT NULL" for k in names]
    previous = _previous(state.get(ctx), names, order, ctx)
    if previous:
        where.append(jdbc_sql.after(vendor, names, previous, numeric, order))
    bound = state.upper_bound(ctx)
    if bound is not None:
        # Pause with --job-bookmark-to: read up to what that run had read, stage nothing.
        limit = _previous(bound, names, order, ctx) if bound else []
        if not limit:
            return BookmarkPlan(("1 = 0",), None)
        where.append(jdbc_sql.up_to(vendor, names, limit, numeric, order))
        return BookmarkPlan(tuple(where), None)
    texts = ", ".join(
        f"CAST({jdbc_sql.quote(vendor, k)} AS {vendor.text_type}) AS k{i}"
        for i, k in enumerate(names)
    )
    direction = "DESC" if order == "asc" else "ASC"
    ordering = ", ".join(f"{jdbc_sql.quote(vendor, k)} {direction}" for k in names)
    mark_query = jdbc_sql.select(spec.source, texts, where, f" ORDER BY {ordering} LIMIT 1")
    rows = load(session, spec, mark_query).collect()
    if not rows:
        log.info("bookmark of %r: no rows past %s", ctx, previous or "the start")
        return BookmarkPlan(("1 = 0",), None)
    mark = [str(value) for value in rows[0]]
    where.append(jdbc_sql.up_to(vendor, names, mark, numeric, order))
    element = {
        "jsonClass": JSON_CLASS,
        "keys": json.dumps(names),
        "sortOrder": order,
        "values": json.dumps(mark),
    }
    log.info("bookmark of %r: reading rows past %s up to %s", ctx, previous or "the start", mark)
    return BookmarkPlan(tuple(where), element)
