"""Typed columns and choice types for CSV read into a DynamicFrame.

Glue's DynamicFrame CSV reader types each value from its text (its Medicare sample shows
``provider zip code: long`` and ``provider id: choice`` of ``long`` and ``string``), while the
Spark read behind it gives every column as ``string``. The typing stays columnar, on the engine,
with no Python per record; it costs one more pass over the files (the census below):

1. One aggregation over the read tells, for each string column, which kinds its values have:
   ``long`` (an integer that fits 64 bits), ``double`` (a decimal number or one with an
   exponent) or ``string`` (anything else). Null and empty values have no kind.
2. Each column becomes ``string`` (no numbers, or no values at all), ``long``, ``double``
   (decimals, or integers mixed with decimals — widened as for JSON), or a tagged choice column
   when numbers and strings meet (alternatives ``double``, ``long``, ``string``).

Deliberately conservative, so that no text is lost by typing it: a number written with a sign
(``+5``), spaces, a leading zero (``007``), or too many digits for a long stays a string, and so
do ``true``/``false`` and dates (only numbers are inferred). Empty values in a typed column are
nulls. ``create_data_frame.from_options`` and catalog reads are not typed here: the first follows
Spark's CSV reader, the second the catalog's declared column types.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_choice import choice_column

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["with_csv_types"]

log = logging.getLogger("awsglue.csv_choices")

_LONG = r"^-?(0|[1-9][0-9]{0,18})$"  # within a long when it also casts to one
_DOUBLE = r"^-?(0|[1-9][0-9]*)(\.[0-9]+([eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)$"


def _is_long(value: Column) -> Column:
    # 19 digits may overflow a long: such a number keeps its text (a string), not a rounding.
    # The pattern goes first: a cast that fails costs classic Spark an exception per value.
    return value.rlike(_LONG) & value.try_cast("bigint").isNotNull()


def _kind_tests(value: Column) -> dict[str, Column]:
    """Per kind, a column that is true when ``value`` has that kind (false for null or empty)."""
    from pyspark.sql import functions as F

    is_long = F.coalesce(_is_long(value), F.lit(False))
    is_double = F.coalesce(value.rlike(_DOUBLE), F.lit(False))
    present = F.coalesce(value != F.lit(""), F.lit(False))
    return {"long": is_long, "double": is_double, "string": present & ~is_long & ~is_double}


def _typed(name: str, value: Column, kinds: set[str]) -> Column:
    """The column that replaces the string column ``name`` holding values of ``kinds``."""
    from pyspark.sql import functions as F

    if kinds == {"string"}:
        return value.alias(name)
    if "string" not in kinds:
        # Every non-empty value is a number of these kinds (the census says so), so the cast
        # is exact; try_cast gives null for an empty value (Spark's reader gives most as null).
        return value.try_cast("bigint" if kinds == {"long"} else "double").alias(name)
    tests = _kind_tests(value)
    alternatives = {
        "long": F.when(tests["long"], value.try_cast("bigint")),
        "double": F.when(tests["double"], value.try_cast("double")),
        "string": F.when(tests["string"], value),
    }
    return choice_column(name, {kind: alternatives[kind] for kind in kinds})


def _census(frame: DataFrame, strings: list[str]) -> dict[str, set[str]]:
    """The kinds of values each of the ``strings`` columns holds, in one aggregation that
    evaluates each pattern once per value (the two patterns match disjoint texts)."""
    from pyspark.sql import functions as F

    counts = []
    for index, name in enumerate(strings):
        value = F.col(field_paths.quote(name))
        counts += [
            F.count(F.when(_is_long(value), 1)).alias(f"{index}:long"),
            F.count(F.when(value.rlike(_DOUBLE), 1)).alias(f"{index}:double"),
            F.count(F.when(value != F.lit(""), 1)).alias(f"{index}:present"),
        ]
    row = frame.agg(*counts).collect()[0].asDict()
    kinds_of: dict[str, set[str]] = {}
    for index, name in enumerate(strings):
        longs, doubles = row[f"{index}:long"], row[f"{index}:double"]
        kinds = {kind for kind, seen in (("long", longs), ("double", doubles)) if seen}
        if row[f"{index}:present"] > longs + doubles:
            kinds.add("string")
        kinds_of[name] = kinds
    return kinds_of


def with_csv_types(frame: DataFrame) -> DataFrame:
    """``frame`` (a CSV read, all strings) with each string column typed from its values."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    strings = [f.name for f in frame.schema.fields if isinstance(f.dataType, StringType)]
    if not strings:
        return frame
    kinds_of = _census(frame, strings)
    if all(not kinds or kinds == {"string"} for kinds in kinds_of.values()):
        return frame
    log.info("CSV columns typed from their values: %s", {n: sorted(k) for n, k in kinds_of.items()})
    columns = [
        _typed(name, F.col(field_paths.quote(name)), kinds_of[name])
        if kinds_of.get(name)
        else F.col(field_paths.quote(name))
        for name in frame.columns
    ]
    return frame.select(*columns)
