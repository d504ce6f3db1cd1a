"""The SQL text OpenGlue sends to a JDBC database: quoting, compound-key ranges for bookmarks,
and the predicates of Glue's parallel (hash-partitioned) reads.

Everything here is pure text building, written for PostgreSQL and MySQL (MariaDB): both
understand ``LIMIT``, ``MOD`` and the quoting of ``jdbc_options.Vendor``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from awsglue.jdbc_options import JdbcSpec, Vendor

__all__ = [
    "after",
    "hash_predicates",
    "is_table",
    "literal",
    "quote",
    "select",
    "up_to",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def quote(vendor: Vendor, name: str) -> str:
    q = vendor.quote
    return q + name.replace(q, q + q) + q


def literal(vendor: Vendor, text: str, numeric: bool) -> str:
    """``text`` as an SQL literal: a number as it is, anything else as a string literal that
    the database converts to the column's type (dates, timestamps, decimals, text)."""
    if numeric:
        if not _NUMBER.match(text):
            raise ValueError(f"bookmark value {text!r} of a numeric key is not a number")
        return text
    escaped = text.replace("'", "''")
    if vendor.name == "mysql":  # MySQL also treats backslash as an escape in string literals
        escaped = escaped.replace("\\", "\\\\")
    return f"'{escaped}'"


def _compare(
    vendor: Vendor, keys: Sequence[str], values: Sequence[str], numeric: Sequence[bool], op: str
) -> list[str]:
    """One disjunct per key: equal on the keys before it, ``op`` on it (row-value comparison
    written out, so that it works on every database)."""
    terms = []
    for index, key in enumerate(keys):
        parts = [
            f"{quote(vendor, k)} = {literal(vendor, v, n)}"
            for k, v, n in zip(keys[:index], values[:index], numeric[:index], strict=True)
        ]
        parts.append(f"{quote(vendor, key)} {op} {literal(vendor, values[index], numeric[index])}")
        terms.append("(" + " AND ".join(parts) + ")")
    return terms


def after(
    vendor: Vendor, keys: Sequence[str], values: Sequence[str], numeric: Sequence[bool], order: str
) -> str:
    """Rows past ``values`` in bookmark order: ``(k1, k2…) > (v1, v2…)`` for ``asc``, ``<``
    for ``desc``."""
    op = ">" if order == "asc" else "<"
    return "(" + " OR ".join(_compare(vendor, keys, values, numeric, op)) + ")"


def up_to(
    vendor: Vendor, keys: Sequence[str], values: Sequence[str], numeric: Sequence[bool], order: str
) -> str:
    """Rows not past ``values``: ``(k1, k2…) <= (v1, v2…)`` for ``asc``."""
    op = "<" if order == "asc" else ">"
    equal = " AND ".join(
        f"{quote(vendor, k)} = {literal(vendor, v, n)}"
        for k, v, n in zip(keys, values, numeric, strict=True)
    )
    return "(" + " OR ".join([*_compare(vendor, keys, values, numeric, op), f"({equal})"]) + ")"


def hash_predicates(spec: JdbcSpec) -> list[str]:
    """One predicate per partition of a parallel read (``hashexpression`` or ``hashfield``
    with ``hashpartitions``); empty when the read is not split."""
    count = spec.hashpartitions
    if count < 1:
        raise ValueError(f"hashpartitions must be at least 1, not {count}")
    if spec.hashexpression:
        # Glue's contract: a numeric expression; rows split by its value modulo the count.
        value = f"({spec.hashexpression})"
    elif spec.hashfield:
        column = quote(spec.vendor, spec.hashfield)
        if spec.vendor.name == "postgresql":
            value = f"ABS(HASHTEXT(CAST({column} AS TEXT)))"
        else:
            value = f"CRC32({column})"
    else:
        return []
    if count == 1:
        return []
    # MOD of a negative expression is negative: fold those onto the same partitions; rows
    # whose value is NULL go to the first partition rather than nowhere.
    predicates = [f"ABS(MOD({value}, {count})) = {index}" for index in range(count)]
    predicates[0] = f"({predicates[0]} OR {value} IS NULL)"
    return predicates


def is_table(vendor: Vendor, dbtable: str, alias: str) -> str:
    """The condition on an information_schema view (``alias``) that picks ``dbtable``
    (``schema.table`` or ``table``, in the connection's current schema or database)."""
    parts = [p.strip().strip('"`') for p in dbtable.split(".")]
    schema, table = (parts[-2] if len(parts) > 1 else ""), parts[-1]
    if vendor.name == "postgresql" and '"' not in dbtable:
        schema, table = schema.lower(), table.lower()  # PostgreSQL folds unquoted names
    current = "current_schema()" if vendor.name == "postgresql" else "DATABASE()"
    schema_sql = literal(vendor, schema, False) if schema else current
    return (
        f"{alias}.table_schema = {schema_sql}"
        f" AND {alias}.table_name = {literal(vendor, table, False)}"
    )


def select(source: str, columns: str = "*", where: Sequence[str] = (), tail: str = "") -> str:
    clause = " WHERE " + " AND ".join(where) if where else ""
    return f"SELECT {columns} FROM {source}{clause}{tail}"
