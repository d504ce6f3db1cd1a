"""``mergeDynamicFrame``: upsert a staging frame into a source frame by primary keys.

A source record whose keys match a staging record is replaced by the staging record(s); the
other source records are kept as they are (duplicates too), and staging records that match no
source record are added. Fields only one side has are null on the other side's records.
Records with a null key match nothing, as in a SQL join.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_union import union_by_name

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["merge_frames"]


def _keys(frame: DataFrame, primary_keys: Sequence[str], side: str) -> list[Column]:
    columns = []
    for key in primary_keys:
        found = field_paths.resolve(frame.schema, field_paths.split(key))
        if found is None:
            raise ValueError(f"mergeDynamicFrame: primary key {key!r} is not a field of the {side}")
        columns.append(field_paths.column_at(found))
    return columns


def merge_frames(source: DataFrame, stage: DataFrame, primary_keys: Sequence[str]) -> DataFrame:
    from pyspark.sql import functions as F

    if isinstance(primary_keys, str):
        primary_keys = [primary_keys]
    if not primary_keys:
        raise ValueError("mergeDynamicFrame needs primary_keys (a list of field paths)")
    staged = stage.select(
        *[c.alias(f"__mk{i}") for i, c in enumerate(_keys(stage, primary_keys, "staging frame"))]
    ).distinct()
    keyed = source.select(
        "*", *[c.alias(f"__sk{i}") for i, c in enumerate(_keys(source, primary_keys, "source"))]
    )
    condition = [F.col(f"__sk{i}") == F.col(f"__mk{i}") for i in range(len(primary_keys))]
    kept = keyed.join(staged, condition, "left_anti").select(
        *[F.col(field_paths.quote(name)) for name in source.columns]
    )
    return union_by_name(kept, stage)
