"""Table-format schemas as Hive type strings: Delta's (Spark's schema JSON) and Iceberg's.

Delta Lake stores a table's schema as Spark's ``StructType`` JSON; Iceberg stores its own
type JSON with field ids. A crawler writes both as the Hive types Glue columns use:
``long`` → ``bigint``, ``integer`` → ``int``, nested types without spaces
(``struct<a:int,b:array<string>>``). A type Hive has no name for (Iceberg ``time``, ``uuid``)
becomes ``string``, as engines reading through the catalog see it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Dialect:
    """How one table format spells types: the two differ only in names, not in structure."""

    name: str  # in messages: "unknown <name> type"
    a_name: str  # the same with its article
    primitives: Mapping[str, str]
    has_fixed: bool  # Iceberg's fixed[n], stored as binary
    array: str  # the nested type's name for an array, and its keys
    element: str
    key: str
    value: str


_SPARK = _Dialect(
    name="Delta (Spark)",
    a_name="a Delta (Spark)",
    primitives=_SPARK_PRIMITIVES,
    has_fixed=False,
    array="array",
    element="elementType",
    key="keyType",
    value="valueType",
)
_ICEBERG = _Dialect(
    name="Iceberg",
    a_name="an Iceberg",
    primitives=_ICEBERG_PRIMITIVES,
    has_fixed=True,
    array="list",
    element="element",
    key="key",
    value="value",
)


def spark_to_hive(kind: Any) -> str:
    """A Spark schema JSON type (``"long"``, ``{"type": "struct", "fields": […]}``…)."""
    return _to_hive(kind, _SPARK)


def iceberg_to_hive(kind: Any) -> str:
    """An Iceberg schema JSON type (``"long"``, ``"decimal(9, 2)"``, ``{"type": "list"…}``)."""
    return _to_hive(kind, _ICEBERG)


def _to_hive(kind: Any, dialect: _Dialect) -> str:
    if isinstance(kind, str):
        decimal = _DECIMAL.fullmatch(kind)
        if decimal:
            return f"decimal({decimal[1]},{decimal[2]})"
        if dialect.has_fixed and _FIXED.fullmatch(kind):
            return "binary"
        if kind in dialect.primitives:
            return dialect.primitives[kind]
        raise LakeSchemaError(f"unknown {dialect.name} type {kind!r}")
    if not isinstance(kind, dict):
        raise LakeSchemaError(f"{dialect.a_name} type must be a name or an object, not {kind!r}")
    nested = kind.get("type")
    if nested == "struct":
        fields = [f"{f['name']}:{_to_hive(f['type'], dialect)}" for f in kind.get("fields") or []]
        return f"struct<{','.join(fields)}>"
    if nested == dialect.array:
        return f"array<{_to_hive(kind[dialect.element], dialect)}>"
    if nested == "map":
        key, value = _to_hive(kind[dialect.key], dialect), _to_hive(kind[dialect.value], dialect)
        return f"map<{key},{value}>"
    raise LakeSchemaError(f"unknown {dialect.name} type {nested!r}")
