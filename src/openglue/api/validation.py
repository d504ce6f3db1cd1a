"""Validate a request body against its input shape, the way AWS does on the server side.

botocore checks only required members, types and minima before sending; the JS SDK v3 checks
almost nothing. So every constraint in the model is enforced here: required members, types,
enums, string/list/map lengths, numeric ranges (maxima included) and patterns. Unknown members
are tolerated so that newer SDKs keep working.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from botocore.model import Shape

from openglue.errors import GlueError, InvalidInputException

_MAX_REPORTED = 5
# Smithy's integer is 32-bit and long 64-bit; larger values would overflow a store column.
_INTEGER_RANGES = {"integer": (32, -(2**31), 2**31 - 1), "long": (64, -(2**63), 2**63 - 1)}
# Epoch seconds of 0001-01-01 and 9999-12-31T23:59:59Z: clients turn what we echo back into
# datetime / Date objects, which cannot hold anything outside.
_TIMESTAMP_RANGE = (-62135596800.0, 253402300799.0)


@cache
def _compiled_pattern(java_pattern: str) -> re.Pattern[str] | None:
    """Translate a model (Java) regex to Python's ``re``; ``None`` when it cannot be expressed.

    The model writes "any supplementary-plane character" as a surrogate-pair range, which
    Python strings never contain: they hold the code point itself.
    """
    translated = java_pattern.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")
    try:
        return re.compile(translated, re.DOTALL)
    except re.error:
        return None


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _errors(shape: Shape, value: Any, path: str) -> Iterator[str]:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            yield f"{path} must be an object, not {_describe(value)}"
            return
        for name in shape.required_members:
            if value.get(name) is None:
                yield f"{path}.{name} is required" if path else f"{name} is required"
        for name, member_value in value.items():
            member = shape.members.get(name)
            if member is None or member_value is None:
                continue
            yield from _errors(member, member_value, f"{path}.{name}" if path else name)
        return
    if kind == "list":
        if not isinstance(value, list):
            yield f"{path} must be a list, not {_describe(value)}"
            return
        yield from _length_errors(meta, len(value), path, "items")
        for index, item in enumerate(value):
            # null is "absent" for a structure member, but a list item or map value has no
            # such meaning: handlers may rely on every element having the member's type.
            if item is None:
                yield f"{path}[{index}] must not be null"
            else:
                yield from _errors(shape.member, item, f"{path}[{index}]")
        return
    if kind == "map":
        if not isinstance(value, dict):
            yield f"{path} must be an object, not {_describe(value)}"
            return
        yield from _length_errors(meta, len(value), path, "entries")
        for key, item in value.items():
            yield from _errors(shape.key, key, f"{path} key {_describe(key)}")
            if item is None:
                yield f"{path}.{key} must not be null"
            else:
                yield from _errors(shape.value, item, f"{path}.{key}")
        return
    if kind == "string":
        if not isinstance(value, str):
            yield f"{path} must be a string, not {_describe(value)}"
            return
        yield from _length_errors(meta, len(value), path, "characters")
        if shape.enum and value not in shape.enum:
            yield f"{path} must be one of {', '.join(shape.enum)}; got {_describe(value)}"
        pattern = meta.get("pattern")
        if pattern:
            compiled = _compiled_pattern(pattern)
            if compiled is not None and compiled.fullmatch(value) is None:
                yield f"{path} {_describe(value)} does not match the pattern {pattern}"
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                yield f"{path} must be an integer, not {_describe(value)}"
                return
        bits, low, high = _INTEGER_RANGES[kind]
        if not low <= value <= high:
            yield f"{path} must fit in a {bits}-bit integer; got {_describe(value)}"
            return
        yield from _range_errors(meta, value, path)
        return
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            yield f"{path} must be a number, not {_describe(value)}"
            return
        yield from _range_errors(meta, value, path)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            yield f"{path} must be true or false, not {_describe(value)}"
        return
    if kind == "timestamp":
        seconds = parse_timestamp(value)
        if seconds is None:
            yield f"{path} must be a timestamp (epoch seconds or ISO 8601), not {_describe(value)}"
        elif not _TIMESTAMP_RANGE[0] <= seconds <= _TIMESTAMP_RANGE[1]:
            yield f"{path} must be a timestamp between the years 1 and 9999; got {_describe(value)}"
        return
    if kind == "blob" and not isinstance(value, str):
        yield f"{path} must be base64 text, not {_describe(value)}"


def _length_errors(meta: dict[str, Any], length: int, path: str, unit: str) -> Iterator[str]:
    low, high = meta.get("min"), meta.get("max")
    if low is not None and length < low:
        yield f"{path} must have at least {low} {unit}; it has {length}"
    if high is not None and length > high:
        yield f"{path} must have at most {high} {unit}; it has {length}"


def _range_errors(meta: dict[str, Any], value: float, path: str) -> Iterator[str]:
    low, high = meta.get("min"), meta.get("max")
    if low is not None and value < low:
        yield f"{path} must be at least {low}; got {value}"
    if high is not None and value > high:
        yield f"{path} must be at most {high}; got {value}"


def parse_timestamp(value: Any) -> float | None:
    """Epoch seconds from a wire timestamp (number, or ISO 8601 text); ``None`` if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.timestamp()
    return None


def validate_input(
    shape: Shape | None,
    body: dict[str, Any],
    error: type[GlueError] = InvalidInputException,
) -> None:
    """Raise ``error`` listing what is wrong with ``body``, if anything.

    A valid body is also made exact in place: JSON has one number type, so a client may send
    ``1.0`` for an integer member, which is accepted and becomes the int ``1`` here (handlers
    slice and count with it).
    """
    if shape is None:
        return
    problems = list(_errors(shape, body, ""))
    if not problems:
        _exact_integers(shape, body)
        return
    shown = problems[:_MAX_REPORTED]
    more = len(problems) - len(shown)
    suffix = f" (and {more} more)" if more else ""
    count = f"{len(problems)} validation error{'s' if len(problems) > 1 else ''} detected"
    raise error(f"{count}: " + "; ".join(shown) + suffix)


def _exact_integers(shape: Shape, value: Any) -> Any:
    """``value`` with integral floats in integer and long places turned into ints (in place
    for containers, returned for scalars); ``value`` is known to be valid for ``shape``."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(value)
    if kind == "structure":
        for name, item in value.items():
            member = shape.members.get(name)
            if member is not None and item is not None:
                value[name] = _exact_integers(member, item)
    elif kind == "list":
        for index, item in enumerate(value):
            value[index] = _exact_integers(shape.member, item)
    elif kind == "map":
        for key, item in value.items():
            value[key] = _exact_integers(shape.value, item)
    return value
