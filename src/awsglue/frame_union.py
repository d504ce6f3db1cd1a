"""``union``: all records of two frames; a top-level field the frames type differently becomes
a choice, as in Glue (where the schema of a union is the merge of the two schemas).

Each side's value goes to the alternative named by its type (a side that already holds a choice
brings its alternatives); the other alternatives are null on that side's records. A field typed
null on one side (never set) takes the other side's type; nested differences are left to
Spark's ``unionByName``, which widens what it can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_choice import choice_column, is_choice

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import DataType, StructField

__all__ = ["union_by_name", "union_frames"]


def _alternatives(field: StructField) -> dict[str, DataType]:
    from awsglue import gluetypes

    if is_choice(field):
        return {f.name: f.dataType for f in field.dataType.fields}  # type: ignore[attr-defined]
    return {gluetypes.from_spark(field.dataType).typeName(): field.dataType}


def _as_choice(field: StructField, merged: dict[str, DataType]) -> Column:
    from pyspark.sql import functions as F

    own = _alternatives(field)
    value = F.col(field_paths.quote(field.name))
    parts = {
        name: (
            (value.getField(name) if is_choice(field) else value)
            if name in own
            else F.lit(None).cast(spark_type)
        )
        for name, spark_type in merged.items()
    }
    return choice_column(field.name, parts)


def union_frames(left: DataFrame, right: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import NullType

    right_fields = {f.name: f for f in right.schema.fields}
    choices: dict[str, dict[str, DataType]] = {}
    for field in left.schema.fields:
        other = right_fields.get(field.name)
        if other is None or other.dataType == field.dataType:
            continue
        if isinstance(field.dataType, NullType) or isinstance(other.dataType, NullType):
            continue
        mine, theirs = _alternatives(field), _alternatives(other)
        if any(mine[name] != theirs[name] for name in set(mine) & set(theirs)):
            continue  # same kind, different shape (two structs): Spark's union merges those
        choices[field.name] = {**mine, **theirs}
    if choices:

        def rebuilt(frame: DataFrame) -> DataFrame:
            return frame.select(
                *[
                    _as_choice(f, choices[f.name])
                    if f.name in choices
                    else F.col(field_paths.quote(f.name))
                    for f in frame.schema.fields
                ]
            )

        left, right = rebuilt(left), rebuilt(right)
    return union_by_name(left, right)


def union_by_name(left: DataFrame, right: DataFrame) -> DataFrame:
    """``left`` then ``right`` by column name; a column one side lacks is null there, typed as
    on the other side (Sail 0.7's ``allowMissingColumns`` types it null instead)."""
    from pyspark.sql import functions as F

    def padded(frame: DataFrame, other: DataFrame) -> DataFrame:
        missing = [f for f in other.schema.fields if f.name not in frame.columns]
        return frame.select("*", *[F.lit(None).cast(f.dataType).alias(f.name) for f in missing])

    return padded(left, right).unionByName(padded(right, left))
