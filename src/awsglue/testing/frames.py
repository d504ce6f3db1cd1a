"""DynamicFrames from Python rows, and back: the inputs and expectations of a unit test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame


def dynamic_frame_from_rows(
    glue_context: GlueContext,
    rows: Iterable[Mapping[str, Any]],
    schema: StructType | str | None = None,
    name: str = "rows",
) -> DynamicFrame:
    """A DynamicFrame holding ``rows`` (dicts: field name → value; nested dicts and lists
    become structs and arrays).

    Without ``schema`` the field types are inferred from the values, as Spark does; give one
    (a ``StructType`` or a DDL string such as ``"id bigint, status string"``) when a field is
    None in every row or its type matters to the transform under test.
    """
    from awsglue.dynamicframe import DynamicFrame

    records = [dict(row) for row in rows]
    spark = glue_context.spark_session
    if schema is None:
        if not records:
            raise ValueError("no rows to infer a schema from: give a schema for an empty frame")
        frame = spark.createDataFrame(records)
    else:
        if isinstance(schema, str):  # DDL: let the engine parse it, on either engine
            schema = spark.createDataFrame([], schema).schema
        names = schema.fieldNames()
        frame = spark.createDataFrame(
            [tuple(record.get(field) for field in names) for record in records], schema
        )
    return DynamicFrame.fromDF(frame, glue_context, name)


def frame_rows(frame: DynamicFrame, order_by: str | None = None) -> list[dict[str, Any]]:
    """The records of ``frame`` as dicts (nested structs too), sorted by ``order_by`` if given
    (a frame has no order of its own)."""
    rows = [row.asDict(recursive=True) for row in frame.toDF().collect()]
    if order_by is not None:
        rows.sort(key=lambda row: (row[order_by] is None, row[order_by]))
    return rows
