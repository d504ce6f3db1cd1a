"""Inferred column types as a small tree, rendered as Hive type strings, and merged across files.

Every classifier yields ``HiveType`` trees; merging two files' schemas follows Glue's crawler:
integer widths widen (``int`` + ``bigint`` → ``bigint``), integers meet decimals or doubles as
``double``, struct fields are unioned recursively, arrays merge their element types, and any
other conflict between scalars falls back to ``string`` (the one type every value reads as).
``null`` stands for "no value seen yet" (an empty CSV cell, a JSON ``null``) and yields to any
other type; a column that only ever held nulls is written as ``string``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "NULL",
    "STRING",
    "HiveType",
    "array_of",
    "map_of",
    "merge_columns",
    "merge_types",
    "primitive",
    "struct_of",
]


@dataclass(frozen=True)
class HiveType:
    """``kind`` is a primitive name (``bigint``, ``decimal(10,2)``, ``null``) or one of
    ``array``, ``map``, ``struct``; the other fields describe the complex kinds."""

    kind: str
    fields: tuple[tuple[str, HiveType], ...] = ()
    element: HiveType | None = None  # array element, or map value
    key: HiveType | None = None  # map key

    def render(self) -> str:
        """The Hive spelling crawlers write: no spaces, ``null`` shown as ``string``."""
        if self.kind == "struct":
            inner = ",".join(f"{name}:{kind.render()}" for name, kind in self.fields)
            return f"struct<{inner}>"
        if self.kind == "array":
            assert self.element is not None
            return f"array<{self.element.render()}>"
        if self.kind == "map":
            assert self.key is not None and self.element is not None
            return f"map<{self.key.render()},{self.element.render()}>"
        return "string" if self.kind == "null" else self.kind


def primitive(kind: str) -> HiveType:
    return _PRIMITIVES.get(kind) or HiveType(kind)


def array_of(element: HiveType) -> HiveType:
    return HiveType("array", element=element)


def map_of(key: HiveType, value: HiveType) -> HiveType:
    return HiveType("map", key=key, element=value)


def struct_of(fields: Iterable[tuple[str, HiveType]]) -> HiveType:
    return HiveType("struct", fields=tuple(fields))


_PRIMITIVE_NAMES = "null string boolean tinyint smallint int bigint float double date timestamp"
_PRIMITIVES = {name: HiveType(name) for name in (*_PRIMITIVE_NAMES.split(), "binary")}
NULL = _PRIMITIVES["null"]
STRING = _PRIMITIVES["string"]

_INTEGRAL = ("tinyint", "smallint", "int", "bigint")


def merge_types(left: HiveType, right: HiveType) -> HiveType:
    """The narrowest type both sides' values read as."""
    if left == right or right.kind == "null":
        return left
    if left.kind == "null":
        return right
    if left.kind == "struct" and right.kind == "struct":
        return struct_of(_merge_named(left.fields, right.fields))
    if left.kind == "array" and right.kind == "array":
        assert left.element is not None and right.element is not None
        return array_of(merge_types(left.element, right.element))
    if left.kind == "map" and right.kind == "map":
        assert left.key and right.key and left.element and right.element
        return map_of(merge_types(left.key, right.key), merge_types(left.element, right.element))
    return _merge_scalars(left.kind, right.kind)


def _merge_scalars(left: str, right: str) -> HiveType:
    if left in _INTEGRAL and right in _INTEGRAL:
        return primitive(max(left, right, key=_INTEGRAL.index))
    numeric = {*_INTEGRAL, "float", "double"}
    if {left, right} <= numeric:
        # float only survives against narrow integers; Hive widens everything else to double
        both = {left, right}
        return primitive("float" if both <= {"float", "tinyint", "smallint"} else "double")
    if left.startswith("decimal") and right.startswith("decimal"):
        return primitive(_merge_decimals(left, right))
    if left.startswith("decimal") or right.startswith("decimal"):
        other = right if left.startswith("decimal") else left
        if other in _INTEGRAL:
            return primitive(left if left.startswith("decimal") else right)
        if other in ("float", "double"):
            return primitive("double")
    if {left, right} == {"date", "timestamp"}:
        return primitive("timestamp")
    return STRING


def _merge_decimals(left: str, right: str) -> str:
    (lp, ls), (rp, rs) = _decimal_args(left), _decimal_args(right)
    scale = max(ls, rs)
    precision = min(38, max(lp - ls, rp - rs) + scale)
    return f"decimal({precision},{scale})"


def _decimal_args(kind: str) -> tuple[int, int]:
    inside = kind[kind.find("(") + 1 : kind.rfind(")")] if "(" in kind else "10,0"
    precision, _, scale = inside.partition(",")
    return int(precision), int(scale or "0")


def _merge_named(
    left: Sequence[tuple[str, HiveType]], right: Sequence[tuple[str, HiveType]]
) -> list[tuple[str, HiveType]]:
    """Union of named fields, matched case-insensitively (Hive names are), first-seen order."""
    merged = list(left)
    where = {name.lower(): index for index, (name, _) in enumerate(merged)}
    for name, kind in right:
        index = where.get(name.lower())
        if index is None:
            where[name.lower()] = len(merged)
            merged.append((name, kind))
        else:
            merged[index] = (merged[index][0], merge_types(merged[index][1], kind))
    return merged


def merge_columns(
    left: Sequence[tuple[str, HiveType]], right: Sequence[tuple[str, HiveType]]
) -> list[tuple[str, HiveType]]:
    """Two files' columns as one table's: new columns appended, shared ones merged."""
    return _merge_named(left, right)
