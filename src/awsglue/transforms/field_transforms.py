"""Transforms that reshape fields: ApplyMapping, SelectFields, DropFields, RenameField."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["ApplyMapping", "DropFields", "RenameField", "SelectFields"]


class ApplyMapping(GlueTransform):
    """Select, rename and cast fields by (source, source_type, target, target_type) tuples."""

    def __call__(
        self,
        frame: DynamicFrame,
        mappings: Any,
        case_sensitive: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.apply_mapping(
            mappings, case_sensitive, transformation_ctx, info, stageThreshold, totalThreshold
        )


class SelectFields(GlueTransform):
    """Keep only the given field paths."""

    def __call__(
        self,
        frame: DynamicFrame,
        paths: str | Sequence[str],
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.select_fields(paths, transformation_ctx, info, stageThreshold, totalThreshold)


class DropFields(GlueTransform):
    """Remove the given field paths."""

    def __call__(
        self,
        frame: DynamicFrame,
        paths: str | Sequence[str],
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.drop_fields(paths, transformation_ctx, info, stageThreshold, totalThreshold)


class RenameField(GlueTransform):
    """Rename one field (full paths)."""

    def __call__(
        self,
        frame: DynamicFrame,
        old_name: str,
        new_name: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.rename_field(
            old_name, new_name, transformation_ctx, info, stageThreshold, totalThreshold
        )
