"""Serialize a handler's result through the operation's output shape.

Only modeled members go on the wire, ``None`` and absent members are omitted, and timestamps
become epoch seconds (JSON numbers), which is what botocore and the JS SDKs parse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from botocore.model import Shape


def to_wire(shape: Shape | None, value: Any) -> Any:
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            member_value = value.get(name)
            if member_value is not None:
                out[name] = to_wire(member, member_value)
        return out
    if kind == "list":
        return [to_wire(shape.member, item) for item in value]
    if kind == "map":
        return {key: to_wire(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value.timestamp()
        return float(value)
    return value
