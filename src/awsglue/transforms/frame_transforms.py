"""Transforms over whole frames: Join, Union, Repartition, Coalesce."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["Coalesce", "Join", "Repartition", "Union"]


class Join(GlueTransform):
    """Equi-join two frames on keys1 = keys2."""

    def __call__(
        self,
        frame1: DynamicFrame,
        frame2: DynamicFrame,
        keys1: str | Sequence[str],
        keys2: str | Sequence[str],
        transformation_ctx: str = "",
    ) -> DynamicFrame:
        # Glue does not pass transformation_ctx on to the join itself.
        return frame1.join(keys1, keys2, frame2)


class Union(GlueTransform):
    """All records of both frames."""

    def __call__(
        self,
        frame1: DynamicFrame,
        frame2: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame1.union(frame2, transformation_ctx, info, stageThreshold, totalThreshold)


class Repartition(GlueTransform):
    """Redistribute the records into num_partitions partitions."""

    def __call__(
        self,
        frame: DynamicFrame,
        num_partitions: int,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.repartition(
            num_partitions, transformation_ctx, info, stageThreshold, totalThreshold
        )


class Coalesce(GlueTransform):
    """Reduce the number of partitions (without a shuffle unless shuffle=True)."""

    def __call__(
        self,
        frame: DynamicFrame,
        num_partitions: int,
        shuffle: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.coalesce(
            num_partitions, shuffle, transformation_ctx, info, stageThreshold, totalThreshold
        )
