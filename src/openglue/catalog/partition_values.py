"""The typed projection of a partition value, stored next to its raw text.

Glue keeps partition values as strings, but a GetPartitions expression compares them by the
partition key's type: ``year > 9`` must hold for ``year=10`` on an ``int`` key. The store keeps a
``num_value`` beside each value's text so that the database can answer typed comparisons over an
index: numbers as themselves, dates as days and timestamps as seconds since 1970-01-01 UTC (both
keep their order). A value that does not parse for its key's type has no projection (NULL), so a
typed comparison against it is unknown rather than wrong.

The same function converts the literals of an expression, so values and literals always agree on
what a string means for a type.
"""

from __future__ import annotations

import datetime as dt
import re

_INTEGER_TYPES = frozenset(
    {"tinyint", "smallint", "int", "integer", "bigint", "long", "short", "byte"}
)
_DECIMAL_TYPES = frozenset({"float", "double", "decimal", "numeric", "real"})
_TEMPORAL_TYPES = frozenset({"date", "timestamp"})

_INTEGER = re.compile(r"[+-]?\d+")
# Strict on purpose: Python's float() would also take "nan", "inf", "1_000" and surrounding
# blanks, none of which is a number in a Hive partition path.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# Months and days may lose their leading zero (year=2024/dt=2024-1-5 is common in the wild).
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?"
)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_SECONDS_PER_DAY = 86_400


def _base_type(key_type: str) -> str:
    """``'DECIMAL(10, 2)'`` -> ``'decimal'``: Glue accepts any case and stray blanks."""
    return "".join(key_type.split()).lower().partition("(")[0]


def is_numeric_type(key_type: str) -> bool:
    """Whether values of this key type compare by their numeric projection, not their text."""
    base = _base_type(key_type)
    return base in _INTEGER_TYPES or base in _DECIMAL_TYPES or base in _TEMPORAL_TYPES


def numeric_projection(key_type: str, value: str) -> float | None:
    """The order-preserving number for ``value`` under ``key_type``, or None.

    Integers and decimals map to themselves, ``date`` to days since 1970-01-01 and ``timestamp``
    to seconds since 1970-01-01 00:00:00 UTC (a timestamp without an offset is taken as UTC; a
    date alone means midnight). None when the type is string-like (string, char, varchar,
    boolean, binary, complex types) or the value does not parse for the type. The result is a
    double, so integers beyond 2**53 and wide decimals keep their order only approximately.
    """
    base = _base_type(key_type)
    if base in _INTEGER_TYPES:
        return float(int(value)) if _INTEGER.fullmatch(value) else None
    if base in _DECIMAL_TYPES:
        return float(value) if _DECIMAL.fullmatch(value) else None
    if base == "date":
        return _days(value)
    if base == "timestamp":
        return _epoch_seconds(value)
    return None


def _date_ordinal(year: str, month: str, day: str) -> int | None:
    try:
        return dt.date(int(year), int(month), int(day)).toordinal()
    except ValueError:  # 2024-02-30, month 13, year 0000
        return None


def _days(value: str) -> float | None:
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    ordinal = _date_ordinal(*match.groups())
    return None if ordinal is None else float(ordinal - _EPOCH_ORDINAL)


def _epoch_seconds(value: str) -> float | None:
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    ordinal = _date_ordinal(year, month, day)
    h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
    if ordinal is None or h > 23 or m > 59 or s > 59:
        return None
    seconds = (ordinal - _EPOCH_ORDINAL) * _SECONDS_PER_DAY + h * 3600 + m * 60 + s
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        shift = int(digits[:2]) * 3600 + int(digits[2:]) * 60
        seconds -= shift if offset[0] == "+" else -shift
    # Nanosecond fractions (Hive timestamps) survive as far as a double allows: microseconds.
    return seconds + (float("0." + fraction) if fraction else 0.0)
