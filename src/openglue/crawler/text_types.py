"""The Hive type of a value written as text (a CSV cell, an XML element's text).

Glue's CSV classifier types columns as ``boolean``, ``bigint``, ``double`` or ``string``; dates
and timestamps stay ``string`` (a custom CSV classifier can declare them). An empty cell says
nothing about its column.
"""

from __future__ import annotations

import re

from openglue.crawler.hive_schema import NULL, HiveType, primitive

__all__ = ["column_type", "text_type"]

_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
_BOOLEAN = frozenset(("true", "false"))
_BIGINT_MAX = 2**63 - 1

BOOLEAN, BIGINT, DOUBLE, STRING = (primitive(k) for k in ("boolean", "bigint", "double", "string"))
# Whole columns at once, values joined by newlines: one regex call types a column of a file.
_INTEGER_COLUMN = re.compile(r"(?:[+-]?\d+\n)*[+-]?\d+")
_DECIMAL_COLUMN = re.compile(r"(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\n)*"
                             r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # fmt: skip
_BOOLEAN_COLUMN = re.compile(r"(?:(?:true|false)\n)*(?:true|false)", re.IGNORECASE)


def text_type(value: str) -> HiveType:
    value = value.strip()
    if not value:
        return NULL
    if _INTEGER.match(value):
        return BIGINT if -_BIGINT_MAX - 1 <= int(value) <= _BIGINT_MAX else STRING
    if _DECIMAL.match(value):
        return DOUBLE
    if value.lower() in _BOOLEAN:
        return BOOLEAN
    return STRING


def column_type(values: list[str]) -> HiveType:
    """The type of a column from its values (the same answer as widening value by value)."""
    present = [value.strip() for value in values]
    joined = "\n".join(value for value in present if value)
    if not joined:
        return NULL
    if _INTEGER_COLUMN.fullmatch(joined):
        long_values = (v for v in present if len(v) > 18)  # only these can overflow a bigint
        fits = all(-_BIGINT_MAX - 1 <= int(v) <= _BIGINT_MAX for v in long_values)
        return BIGINT if fits else STRING
    if _DECIMAL_COLUMN.fullmatch(joined):
        return DOUBLE
    if _BOOLEAN_COLUMN.fullmatch(joined):
        return BOOLEAN
    return STRING
