"""``GlueTransform``: the base of the built-in transforms, called as ``X.apply(frame=…, …)``."""

from __future__ import annotations

from typing import Any

__all__ = ["GlueTransform"]


class GlueTransform:
    """A transform is a callable object; ``apply`` builds one and calls it, as in Glue."""

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        return cls()(*args, **kwargs)

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    def describeArgs(cls) -> list[dict[str, Any]]:
        return []

    @classmethod
    def describeReturn(cls) -> dict[str, Any]:
        return {"type": "DynamicFrame"}

    @classmethod
    def describeTransform(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "transform": {"name": cls.name(), "description": cls.describeTransform()},
            "args": cls.describeArgs(),
            "returns": cls.describeReturn(),
        }

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement __call__")
