"""The equi-join behind ``DynamicFrame.join`` and ``Join``.

Each output record is the left record merged with the right one: fields keep the left frame's
order followed by the right frame's other fields, and on a name both frames have, the right
frame's value is kept (a record merge; for keys of the same name the values are equal anyway).
Keys are full field paths; nested keys are compared by value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from awsglue import field_paths

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["equi_join"]

_LEFT, _RIGHT = "__openglue_left__", "__openglue_right__"


def _key_columns(frame: DataFrame, paths: Sequence[str], side: str) -> list[Column]:
    columns = []
    for path in paths:
        resolved = field_paths.resolve(frame.schema, field_paths.split(path))
        if resolved is None:
            raise ValueError(f"join key {path!r} is not a field of the {side} frame")
        columns.append(field_paths.column_at(resolved))
    return columns


def equi_join(
    left: DataFrame, left_keys: Sequence[str], right: DataFrame, right_keys: Sequence[str]
) -> DataFrame:
    from pyspark.sql import functions as F

    if not left_keys or len(left_keys) != len(right_keys):
        raise ValueError(
            f"join needs the same number of keys on both sides, got {list(left_keys)} and"
            f" {list(right_keys)}"
        )
    # Pack each side into one struct column so equal field names cannot clash in the join.
    packed_left = left.select(
        F.struct(*[F.col(field_paths.quote(c)) for c in left.columns]).alias(_LEFT),
        *[c.alias(f"__lk{i}") for i, c in enumerate(_key_columns(left, left_keys, "first"))],
    )
    packed_right = right.select(
        F.struct(*[F.col(field_paths.quote(c)) for c in right.columns]).alias(_RIGHT),
        *[c.alias(f"__rk{i}") for i, c in enumerate(_key_columns(right, right_keys, "second"))],
    )
    condition = [F.col(f"__lk{i}") == F.col(f"__rk{i}") for i in range(len(left_keys))]
    joined = packed_left.join(packed_right, condition, "inner")
    right_names = set(right.columns)
    columns = [
        F.col(_RIGHT if name in right_names else _LEFT).getField(name).alias(name)
        for name in left.columns
    ]
    columns += [
        F.col(_RIGHT).getField(name).alias(name)
        for name in right.columns
        if name not in left.columns
    ]
    return joined.select(*columns)
