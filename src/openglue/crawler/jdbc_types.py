"""Database column types as the Hive types Glue's JDBC crawler writes to the catalog.

Glue reads a column's JDBC type and maps it the way Spark's JDBC source does: integers by
width, ``numeric(p,s)`` to ``decimal(p,s)`` (unbounded ``numeric`` to Spark's default
``decimal(38,18)``), character types to ``string``, date and timestamp types kept, binary
types to ``binary``. What has no Hive counterpart (time, interval, json, uuid, enums, network
types…) is read as text, so it becomes ``string``.
"""

from __future__ import annotations

import re

__all__ = ["mysql_to_hive", "postgres_to_hive"]

_MAX_DECIMAL = 38  # Hive's (and Spark's) largest decimal precision
_UNBOUNDED_DECIMAL = "decimal(38,18)"

_POSTGRES = {
    "smallint": "smallint",
    "integer": "int",
    "bigint": "bigint",
    "real": "float",
    "double precision": "double",
    "boolean": "boolean",
    "date": "date",
    "bytea": "binary",
    "oid": "bigint",
}


def _decimal(precision: int, scale: int) -> str:
    if precision > _MAX_DECIMAL:  # would not fit a Hive decimal: keep the digits as text
        return "string"
    return f"decimal({precision},{scale})"


def _numeric(args: str) -> str:
    if not args:
        return _UNBOUNDED_DECIMAL
    numbers = [int(n) for n in args.split(",")]
    return _decimal(numbers[0], numbers[1] if len(numbers) > 1 else 0)


def postgres_to_hive(formatted: str) -> str:
    """The Hive type of a PostgreSQL column, from ``format_type()``'s text (``integer``,
    ``numeric(10,2)``, ``character varying(20)``, ``timestamp with time zone``, ``text[]``)."""
    if formatted.endswith("[]"):
        return f"array<{postgres_to_hive(formatted[:-2])}>"
    if formatted in _POSTGRES:
        return _POSTGRES[formatted]
    base, _paren, args = formatted.partition("(")
    args = args.split(")", 1)[0]
    if base == "numeric":
        return _numeric(args)
    if base.startswith("timestamp"):
        return "timestamp"
    if base == "bit":
        return "boolean" if args in ("", "1") else "binary"
    if base == "bit varying":
        return "binary"
    return "string"


_MYSQL = {
    "tinyint": "tinyint",
    "smallint": "smallint",
    "mediumint": "int",
    "int": "int",
    "integer": "int",
    "bigint": "bigint",
    "float": "float",
    "double": "double",
    "real": "double",
    "date": "date",
    "datetime": "timestamp",
    "timestamp": "timestamp",
    "year": "int",
    "binary": "binary",
    "varbinary": "binary",
    "tinyblob": "binary",
    "blob": "binary",
    "mediumblob": "binary",
    "longblob": "binary",
}
# An unsigned integer needs the next wider type to hold its largest values.
_UNSIGNED_WIDER = {
    "tinyint": "smallint",
    "smallint": "int",
    "mediumint": "int",
    "int": "bigint",
    "integer": "bigint",
    "bigint": "decimal(20,0)",
}
_DISPLAY_WIDTH = re.compile(r"^\w+\((\d+)\)")


def mysql_to_hive(data_type: str, column_type: str) -> str:
    """The Hive type of a MySQL (or MariaDB) column, from information_schema.COLUMNS'
    ``DATA_TYPE`` (``int``) and ``COLUMN_TYPE`` (``int(10) unsigned``, ``decimal(10,2)``)."""
    data_type, column_type = data_type.lower(), column_type.lower()
    if data_type == "tinyint" and column_type.startswith("tinyint(1)"):
        return "boolean"  # MySQL's BOOLEAN is tinyint(1), and its drivers read it as one
    if "unsigned" in column_type and data_type in _UNSIGNED_WIDER:
        return _UNSIGNED_WIDER[data_type]
    if data_type in ("decimal", "numeric"):
        match = re.search(r"\(([\d,\s]+)\)", column_type)
        return _numeric(match[1].replace(" ", "") if match else "10,0")
    if data_type == "bit":
        width = _DISPLAY_WIDTH.match(column_type)
        return "boolean" if width is None or width[1] == "1" else "binary"
    return _MYSQL.get(data_type, "string")
