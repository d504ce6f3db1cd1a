"""Table-format schemas as Hive type strings: Delta's (Spark's schema JSON) and Iceberg's.

Delta Lake stores a table's schema as Spark's ``StructType`` JSON; Iceberg stores its own
type JSON with field ids. A crawler writes both as the Hive types Glue columns use:
``long`` → ``bigint``, ``integer`` → ``int``, nested types without spaces
(``struct<a:int,b:array<string>>``). A type Hive has no name for (Iceberg ``time``, ``uuid``)
becomes ``string``, as engines reading through the catalog see it.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["LakeSchemaError", "iceberg_to_hive", "spark_to_hive"]

_SPARK_PRIMITIVES = {
    "string": "string",
    "long": "bigint",
    "integer": "int",
    "short": "smallint",
    "byte": "tinyint",
    "float": "float",
    "double": "double",
    "boolean": "boolean",
    "binary": "binary",
    "date": "date",
    "timestamp": "timestamp",
    "timestamp_ntz": "timestamp",
    "void": "string",
}
_ICEBERG_PRIMITIVES = {
    "boolean": "boolean",
    "int": "int",
    "long": "bigint",
    "float": "float",
    "double": "double",
    "date": "date",
    "time": "string",
    "timestamp": "timestamp",
    "timestamptz": "timestamp",
    "timestamp_ns": "timestamp",
    "timestamptz_ns": "timestamp",
    "string": "string",
    "uuid": "string",
    "binary": "binary",
}
_DECIMAL = re.compile(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)")
_FIXED = re.compile(r"fixed\[\s*\d+\s*\]")


class LakeSchemaError(ValueError):
    """A schema the table format's specification does not allow; the message says where."""


def spark_to_hive(kind: Any) -> str:
    """A Spark schema JSON type (``"long"``, ``{"type": "struct", "fields": […]}``…)."""
    if isinstance(kind, str):
        decimal = _DECIMAL.fullmatch(kind)
        if decimal:
            return f"decimal({decimal[1]},{decimal[2]})"
        if kind in _SPARK_PRIMITIVES:
            return _SPARK_PRIMITIVES[kind]
        raise LakeSchemaError(f"unknown Delta (Spark) type {kind!r}")
    if not isinstance(kind, dict):
        raise LakeSchemaError(f"a Delta (Spark) type must be a name or an object, not {kind!r}")
    nested = kind.get("type")
    if nested == "struct":
        fields = [f"{f['name']}:{spark_to_hive(f['type'])}" for f in kind.get("fields") or []]
        return f"struct<{','.join(fields)}>"
    if nested == "array":
        return f"array<{spark_to_hive(kind['elementType'])}>"
    if nested == "map":
        return f"map<{spark_to_hive(kind['keyType'])},{spark_to_hive(kind['valueType'])}>"
    raise LakeSchemaError(f"unknown Delta (Spark) type {nested!r}")


def iceberg_to_hive(kind: Any) -> str:
    """An Iceberg schema JSON type (``"long"``, ``"decimal(9, 2)"``, ``{"type": "list"…}``)."""
    if isinstance(kind, str):
        decimal = _DECIMAL.fullmatch(kind)
        if decimal:
            return f"decimal({decimal[1]},{decimal[2]})"
        if _FIXED.fullmatch(kind):
            return "binary"
        if kind in _ICEBERG_PRIMITIVES:
            return _ICEBERG_PRIMITIVES[kind]
        raise LakeSchemaError(f"unknown Iceberg type {kind!r}")
    if not isinstance(kind, dict):
        raise LakeSchemaError(f"an Iceberg type must be a name or an object, not {kind!r}")
    nested = kind.get("type")
    if nested == "struct":
        fields = [f"{f['name']}:{iceberg_to_hive(f['type'])}" for f in kind.get("fields") or []]
        return f"struct<{','.join(fields)}>"
    if nested == "list":
        return f"array<{iceberg_to_hive(kind['element'])}>"
    if nested == "map":
        return f"map<{iceberg_to_hive(kind['key'])},{iceberg_to_hive(kind['value'])}>"
    raise LakeSchemaError(f"unknown Iceberg type {nested!r}")
