"""``DynamicRecord``: one record as record functions (``Filter``, ``Map``) see it.

A DynamicRecord is a ``dict`` of field name to value; nested structs are DynamicRecords too,
arrays are lists and maps are dicts. Glue records are self-describing: a field a record does
not have is absent rather than None, so ``rec["x"]`` raises ``KeyError`` (which ``Filter``
treats as "drop this record"). A DataFrame cannot tell a missing field from a null one, so null
fields are absent from the records built here, and absent fields become nulls on the way back.

Also here: the Spark type of the values a ``Map`` function returns (``infer_type`` /
``merge_types``), so the output schema comes from the records, as in Glue.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructType

__all__ = ["DynamicRecord", "from_arrow_row", "infer_type", "merge_types", "to_json", "to_row"]


class DynamicRecord(dict[str, Any]):
    """A self-describing record: a dict whose missing fields are absent, never None."""

    def __repr__(self) -> str:
        return f"DynamicRecord({dict.__repr__(self)})"


def _from_value(value: Any) -> Any:
    if isinstance(value, dict):
        return from_arrow_row(value)
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            # Arrow hands maps over as lists of (key, value) pairs.
            return {key: _from_value(item) for key, item in value}
        return [_from_value(item) for item in value]
    return value


def from_arrow_row(row: Mapping[str, Any]) -> DynamicRecord:
    """A record from an Arrow ``to_pylist()`` row: null fields dropped, structs as records."""
    return DynamicRecord((name, _from_value(v)) for name, v in row.items() if v is not None)


def _to_value(value: Any, spark_type: DataType) -> Any:
    from pyspark.sql.types import ArrayType, MapType, StringType, StructType

    if value is None:
        return None
    if isinstance(spark_type, StructType):
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a struct (dict), got {type(value).__name__}")
        return to_row(value, spark_type)
    if isinstance(spark_type, ArrayType):
        return [_to_value(item, spark_type.elementType) for item in value]
    if isinstance(spark_type, MapType):
        return [(k, _to_value(v, spark_type.valueType)) for k, v in dict(value).items()]
    if isinstance(spark_type, StringType) and not isinstance(value, str):
        return _stringify(value)
    return value


def to_row(record: Mapping[str, Any], schema: StructType) -> dict[str, Any]:
    """The Arrow-ready row of ``record`` under ``schema`` (absent fields become null)."""
    return {f.name: _to_value(record.get(f.name), f.dataType) for f in schema.fields}


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return to_json(value)
    return str(value)


def to_json(value: Any) -> str:
    """JSON text of a record or value (dates and decimals as strings)."""
    return json.dumps(value, default=str, ensure_ascii=False, separators=(",", ":"))


def infer_type(value: Any) -> DataType:
    """The Spark type of a Python value a record function produced."""
    from pyspark.sql import types as T

    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    if isinstance(value, str):
        return T.StringType()
    if isinstance(value, (bytes, bytearray)):
        return T.BinaryType()
    if isinstance(value, decimal.Decimal):
        return T.DecimalType(38, 18)
    if isinstance(value, datetime.datetime):
        return T.TimestampType()
    if isinstance(value, datetime.date):
        return T.DateType()
    if isinstance(value, Mapping):
        return T.StructType([T.StructField(str(k), infer_type(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return T.ArrayType(_merge_all(infer_type(item) for item in value))
    raise TypeError(f"a record cannot hold a {type(value).__name__} value ({value!r})")


def _merge_all(types: Iterable[DataType]) -> DataType:
    from pyspark.sql.types import NullType

    merged: DataType = NullType()
    for item in types:
        merged = merge_types(merged, item)
    return merged


def merge_types(left: DataType, right: DataType) -> DataType:
    """One type for values of both types: nulls give way, long widens to double, structs
    unite their fields. Other conflicts fall back to string for now; they will become choice
    types (see ``awsglue.dynamicframe``)."""
    from pyspark.sql import types as T

    if left == right or isinstance(right, T.NullType):
        return left
    if isinstance(left, T.NullType):
        return right
    if {type(left), type(right)} == {T.LongType, T.DoubleType}:
        return T.DoubleType()
    if isinstance(left, T.StructType) and isinstance(right, T.StructType):
        fields = {f.name: f.dataType for f in left.fields}
        for field in right.fields:
            fields[field.name] = merge_types(fields.get(field.name, T.NullType()), field.dataType)
        return T.StructType([T.StructField(name, dt) for name, dt in fields.items()])
    if isinstance(left, T.ArrayType) and isinstance(right, T.ArrayType):
        return T.ArrayType(merge_types(left.elementType, right.elementType))
    return T.StringType()
