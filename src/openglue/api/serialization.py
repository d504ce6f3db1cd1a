"""Serialize a handler's result through the operation's output shape.

Only modeled members go on the wire, ``None`` and absent members are omitted, and timestamps
become epoch seconds (JSON numbers), which is what botocore and the JS SDKs parse.

Listings return thousands of nested structures per second, so each shape is turned once into
a small writer function (cached by shape name) instead of re-walking the model per value;
subtrees with no structure and no timestamp pass through untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from botocore.model import Shape

Writer = Callable[[Any], Any]

_WRITERS: dict[tuple[str, str], Writer] = {}
_PASSTHROUGH: dict[tuple[str, str], bool] = {}


def _key(shape: Shape) -> tuple[str, str]:
    return (shape.name, shape.type_name)


def _identity(value: Any) -> Any:
    return value


def _timestamp(value: Any) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return float(value)


def _passes_through(shape: Shape, visiting: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """True when values of this shape can be sent exactly as they are."""
    key = _key(shape)
    cached = _PASSTHROUGH.get(key)
    if cached is not None:
        return cached
    kind = shape.type_name
    if kind in ("structure", "timestamp") or key in visiting:
        result = False
    elif kind == "list":
        result = _passes_through(shape.member, visiting | {key})
    elif kind == "map":
        result = _passes_through(shape.value, visiting | {key})
    else:
        result = True
    _PASSTHROUGH[key] = result
    return result


def _writer(shape: Shape) -> Writer:
    key = _key(shape)
    writer = _WRITERS.get(key)
    if writer is None:
        writer = _build(shape)
        _WRITERS[key] = writer
    return writer


def _build(shape: Shape) -> Writer:
    kind = shape.type_name
    if kind == "timestamp":
        return _timestamp
    if _passes_through(shape):
        return _identity
    if kind == "list":
        member = shape.member
        return lambda value: [_writer(member)(item) for item in value]
    if kind == "map":
        item_shape = shape.value
        return lambda value: {k: _writer(item_shape)(v) for k, v in value.items()}
    # A structure: member writers are looked up lazily, since shapes may be recursive.
    members = shape.members
    plan: dict[str, Writer] = {}

    def write_structure(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, member_value in value.items():
            if member_value is None:
                continue
            writer = plan.get(name)
            if writer is None:
                member = members.get(name)
                if member is None:
                    continue  # not in the model: never sent
                writer = plan[name] = _writer(member)
            out[name] = writer(member_value)
        return out

    return write_structure


def to_wire(shape: Shape | None, value: Any) -> Any:
    if shape is None or value is None:
        return value
    return _writer(shape)(value)
