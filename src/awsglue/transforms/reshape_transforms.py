"""Transforms that reshape a frame: ResolveChoice, SplitFields, SplitRows, Relationalize, Unbox,
UnnestFrame, DropNullFields, Spigot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.frame_collection import DynamicFrameCollection

__all__ = [
    "DropNullFields",
    "Relationalize",
    "ResolveChoice",
    "Spigot",
    "SplitFields",
    "SplitRows",
    "Unbox",
    "UnnestFrame",
]


class ResolveChoice(GlueTransform):
    """Resolve choice fields by specs [(path, action)] or one choice action for all."""

    def __call__(
        self,
        frame: DynamicFrame,
        specs: Sequence[tuple[str, str]] | None = None,
        choice: str = "",
        database: str | None = None,
        table_name: str | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
        catalog_id: str | None = None,
    ) -> DynamicFrame:
        return frame.resolveChoice(
            specs,
            choice,
            database,
            table_name,
            transformation_ctx,
            info,
            stageThreshold,
            totalThreshold,
            catalog_id,
        )


class SplitFields(GlueTransform):
    """Split a frame into the given fields (name1) and the rest (name2)."""

    def __call__(
        self,
        frame: DynamicFrame,
        paths: str | Sequence[str],
        name1: str | None = None,
        name2: str | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        # Glue's documented defaults: the source frame's name with "1" / "2" appended.
        first = name1 or f"{frame.name}1"
        second = name2 or f"{frame.name}2"
        return frame.split_fields(
            paths, first, second, transformation_ctx, info, stageThreshold, totalThreshold
        )


class SplitRows(GlueTransform):
    """Split a frame into the records meeting comparison_dict (name1) and the others."""

    def __call__(
        self,
        frame: DynamicFrame,
        comparison_dict: Mapping[str, Any],
        name1: str = "frame1",
        name2: str = "frame2",
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        return frame.split_rows(
            comparison_dict, name1, name2, transformation_ctx, info, stageThreshold, totalThreshold
        )


class Relationalize(GlueTransform):
    """Flatten a frame into a root table and one table per array."""

    def __call__(
        self,
        frame: DynamicFrame,
        staging_path: str | None = None,
        name: str = "roottable",
        options: Mapping[str, Any] | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        if staging_path is None:
            from awsglue import utils

            staging_path = utils._global_args.get("TempDir")
            if not staging_path:
                raise RuntimeError(
                    "Relationalize needs staging_path, or a --TempDir job argument read with"
                    " getResolvedOptions"
                )
        return frame.relationalize(
            name, staging_path, options, transformation_ctx, info, stageThreshold, totalThreshold
        )


class Unbox(GlueTransform):
    """Parse a string field holding JSON or CSV into a struct."""

    def __call__(
        self,
        frame: DynamicFrame,
        path: str,
        format: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
        **options: Any,
    ) -> DynamicFrame:
        return frame.unbox(
            path, format, transformation_ctx, info, stageThreshold, totalThreshold, **options
        )


class UnnestFrame(GlueTransform):
    """Nested struct fields as top-level fields named a.b."""

    def __call__(
        self,
        frame: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.unnest(transformation_ctx, info, stageThreshold, totalThreshold)


class DropNullFields(GlueTransform):
    """Drop the fields that are null in every record."""

    def __call__(
        self,
        frame: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return frame.drop_null_fields(transformation_ctx, info, stageThreshold, totalThreshold)


class Spigot(GlueTransform):
    """Write a sample of the records to a path; the frame passes through."""

    def __call__(
        self,
        frame: DynamicFrame,
        path: str,
        options: Mapping[str, Any] | None = None,
        transformation_ctx: str = "",
    ) -> DynamicFrame:
        return frame.spigot(path, options, transformation_ctx)
