"""``DynamicFrameCollection``: named DynamicFrames, as transforms that split a frame return."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["DynamicFrameCollection"]


class DynamicFrameCollection:
    """Frames by name (a dict, or a list keyed by each frame's name)."""

    def __init__(
        self,
        dynamic_frames: Mapping[str, DynamicFrame] | Sequence[DynamicFrame],
        glue_ctx: GlueContext,
    ) -> None:
        if isinstance(dynamic_frames, Mapping):
            self._frames = dict(dynamic_frames)
        else:
            self._frames = {frame.name: frame for frame in dynamic_frames}
        self._glue_ctx = glue_ctx

    def __getitem__(self, key: str) -> DynamicFrame:
        return self._frames[key]

    def __len__(self) -> int:
        return len(self._frames)

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __contains__(self, key: object) -> bool:
        return key in self._frames

    def keys(self) -> list[str]:
        return list(self._frames)

    def values(self) -> list[DynamicFrame]:
        return list(self._frames.values())

    def items(self) -> list[tuple[str, DynamicFrame]]:
        return list(self._frames.items())

    def select(self, key: str, transformation_ctx: str = "") -> DynamicFrame:
        """The frame named ``key``; an empty frame (not an error) when there is none."""
        if key in self._frames:
            return self._frames[key]
        from pyspark.sql.types import StructType

        from awsglue.dynamicframe import DynamicFrame

        session = self._glue_ctx.spark_session
        return DynamicFrame(session.createDataFrame([], StructType([])), self._glue_ctx, key)

    def map(self, callable: Any, transformation_ctx: str = "") -> DynamicFrameCollection:
        """``callable(frame, ctx)`` for each frame; it must return a DynamicFrame."""
        from awsglue.dynamicframe import DynamicFrame

        results = {}
        for key, frame in self._frames.items():
            result = callable(frame, f"{transformation_ctx}:{key}")
            if not isinstance(result, DynamicFrame):
                kind = type(result).__name__
                raise TypeError(
                    f"DynamicFrameCollection.map: callable returned {kind}, not a frame"
                )
            results[key] = result
        return DynamicFrameCollection(results, self._glue_ctx)

    def flatmap(self, f: Any, transformation_ctx: str = "") -> DynamicFrameCollection:
        """``f(frame, ctx)`` for each frame; frames and collections it returns are merged."""
        from awsglue.dynamicframe import DynamicFrame

        results: dict[str, DynamicFrame] = {}
        for key, frame in self._frames.items():
            result = f(frame, f"{transformation_ctx}:{key}")
            if isinstance(result, DynamicFrameCollection):
                results.update(result._frames)
            elif isinstance(result, DynamicFrame):
                results[result.name or key] = result
            else:
                raise TypeError(
                    f"DynamicFrameCollection.flatmap: f returned {type(result).__name__}"
                )
        return DynamicFrameCollection(results, self._glue_ctx)

    def __repr__(self) -> str:
        return f"DynamicFrameCollection({json.dumps(list(self._frames))})"
