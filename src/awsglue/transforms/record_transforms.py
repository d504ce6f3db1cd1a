"""Transforms that run a function per record: Filter, Map."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["Filter", "Map"]


class Filter(GlueTransform):
    """Keep the records for which f(record) is true."""

    def __call__(
        self,
        frame: DynamicFrame,
        f: Callable[[Any], Any],
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.filter(f, transformation_ctx, info, stageThreshold, totalThreshold)


class Map(GlueTransform):
    """Replace each record by what f(record) returns."""

    def __call__(
        self,
        frame: DynamicFrame,
        f: Callable[[Any], Any],
        preservesPartitioning: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.map(
            f, preservesPartitioning, transformation_ctx, info, stageThreshold, totalThreshold
        )
