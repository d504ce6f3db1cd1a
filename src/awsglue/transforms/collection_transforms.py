"""Transforms over DynamicFrameCollections, and ErrorsAsDynamicFrame: SelectFromCollection,
MapToCollection, FlatMap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.frame_collection import DynamicFrameCollection

__all__ = ["ErrorsAsDynamicFrame", "FlatMap", "MapToCollection", "SelectFromCollection"]


class SelectFromCollection(GlueTransform):
    """The frame of a collection named key (an empty frame when there is none)."""

    def __call__(
        self, dfc: DynamicFrameCollection, key: str, transformation_ctx: str = ""
    ) -> DynamicFrame:
        return dfc.select(key, transformation_ctx)

    @classmethod
    def describeReturn(cls) -> dict[str, Any]:
        return {"type": "DynamicFrame"}


class MapToCollection(GlueTransform):
    """Apply callable(frame, ctx) to every frame of a collection."""

    def __call__(
        self, dfc: DynamicFrameCollection, callable: Any, transformation_ctx: str = ""
    ) -> DynamicFrameCollection:
        return dfc.map(callable, transformation_ctx)

    @classmethod
    def describeReturn(cls) -> dict[str, Any]:
        return {"type": "DynamicFrameCollection"}


class FlatMap(GlueTransform):
    """Apply a transform class to every frame of a collection; results are merged."""

    def __call__(
        self,
        dfc: DynamicFrameCollection,
        BaseTransform: type[GlueTransform],
        frame_name: str,
        transformation_ctx: str = "",
        **base_kwargs: Any,
    ) -> DynamicFrameCollection:
        def apply(frame: DynamicFrame, ctx: str) -> Any:
            return BaseTransform.apply(
                **{frame_name: frame, "transformation_ctx": ctx}, **base_kwargs
            )

        return dfc.flatmap(apply, transformation_ctx)

    @classmethod
    def describeReturn(cls) -> dict[str, Any]:
        return {"type": "DynamicFrameCollection"}


class ErrorsAsDynamicFrame(GlueTransform):
    """The error records of a frame and of the frames it came from."""

    def __call__(self, frame: DynamicFrame) -> DynamicFrame:
        return frame.errorsAsDynamicFrame()
