"""``unbox``: parse a string field holding JSON or CSV into a struct, in place.

The struct's type comes from the values: up to ``SAMPLE_SIZE`` non-null values are read to the
driver and their types merged (as ``Map`` does for the records it returns; a field that is null
in every sampled value becomes a string). The parse itself is a column expression
(``from_json`` / ``from_csv``) on the engine. A value that does not parse gives null.

CSV options are Glue's: ``separator`` (default ``,``), ``escaper``, ``quoteChar``, and
``withHeader`` (the first sampled value names the fields) — else fields are ``col0``, ``col1``
… and hold strings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from functools import reduce
from typing import TYPE_CHECKING, Any

from awsglue import field_paths
from awsglue.dynamic_record import infer_type, merge_types
from awsglue.frame_choice import replace_fields

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import DataType, StructField

__all__ = ["SAMPLE_SIZE", "unbox"]

SAMPLE_SIZE = 10_000


def _settled(data_type: DataType) -> DataType:
    """``data_type`` with null types (fields never seen with a value) made strings."""
    from pyspark.sql import types as T

    if isinstance(data_type, T.NullType):
        return T.StringType()
    if isinstance(data_type, T.StructType):
        return T.StructType([T.StructField(f.name, _settled(f.dataType)) for f in data_type])
    if isinstance(data_type, T.ArrayType):
        return T.ArrayType(_settled(data_type.elementType))
    return data_type


def _json_type(values: list[str]) -> DataType:
    from pyspark.sql.types import NullType

    merged: DataType = NullType()
    for text in values:
        try:
            merged = merge_types(merged, infer_type(json.loads(text)))
        except (ValueError, TypeError):
            continue  # not JSON: this record's field becomes null
    return _settled(merged)


def _csv_options(options: Mapping[str, Any]) -> dict[str, str]:
    result = {"sep": str(options.get("separator", ","))}
    if options.get("escaper"):
        result["escape"] = str(options["escaper"])
    if options.get("quoteChar"):
        result["quote"] = str(options["quoteChar"])
    return result


def _csv_type(values: list[str], options: Mapping[str, Any]) -> DataType:
    from pyspark.sql import types as T

    separator = str(options.get("separator", ","))
    quote = str(options.get("quoteChar", '"'))
    rows = [next(csv.reader([text], delimiter=separator, quotechar=quote), []) for text in values]
    width = max((len(row) for row in rows), default=0)
    header = str(options.get("withHeader", "")).lower() == "true" and rows
    names = list(rows[0]) if header else [f"col{i}" for i in range(width)]
    names += [f"col{i}" for i in range(len(names), width)]
    return T.StructType([T.StructField(name, T.StringType()) for name in names])


def unbox(frame: DataFrame, path: str, fmt: str, options: Mapping[str, Any]) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructType

    kind = (fmt or "").strip().lower()
    if kind not in ("json", "csv"):
        raise ValueError(f"unbox format must be json or csv, got {fmt!r}")
    found = field_paths.resolve(frame.schema, field_paths.split(path))
    if found is None:
        raise ValueError(f"unbox: {path!r} is not a field of the frame")
    if not isinstance(field_paths.type_at(frame.schema, found), StringType):
        raise ValueError(f"unbox: {path!r} is not a string field")
    value = field_paths.column_at(found)
    sample = frame.select(value.alias("v")).where(F.col("v").isNotNull()).limit(SAMPLE_SIZE)
    texts = [row["v"] for row in sample.collect()]
    if kind == "json":
        schema = _json_type(texts)
        parsed = F.from_json(value, schema.simpleString())
    else:
        schema = _csv_type(texts, options)
        parsed = F.from_csv(value, schema.simpleString(), _csv_options(options))

    if isinstance(schema, StructType) and schema.fields:
        # A value that does not parse gives a struct of nulls; Glue leaves no struct there.
        fields = [parsed.getField(f.name).isNotNull() for f in schema.fields]
        parsed = F.when(reduce(lambda left, right: left | right, fields), parsed)

    def replace(field: StructField, _value: Column) -> list[Column]:
        return [parsed.alias(field.name)]

    return frame.select(*replace_fields(frame.schema, (), {found: replace}))
