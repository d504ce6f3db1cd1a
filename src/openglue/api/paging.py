"""Opaque ``NextToken`` values.

A token carries the position to resume from plus the operation it belongs to, so a token from
one listing cannot be replayed against another. It is URL-safe base64 of compact JSON: opaque
to clients, readable when debugging.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from openglue.errors import InvalidInputException

T = TypeVar("T")


def encode_token(scope: str, position: Any) -> str:
    raw = json.dumps({"s": scope, "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(
    scope: str, token: str | None, kind: type[Any] | tuple[type[Any], ...] | None = None
) -> Any:
    """The position inside ``token``; ``None`` for the first page.

    Tokens are not signed, so a client can hand back anything; pass ``kind`` (the type that
    ``encode_token`` was given) and a position of another type is refused as bad input.
    """
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidInputException(
            "NextToken is not valid: pass the NextToken of the previous page unchanged"
        ) from None
    if not isinstance(data, dict) or data.get("s") != scope or "p" not in data:
        raise InvalidInputException(
            "NextToken does not belong to this request: start again without a NextToken"
        )
    position = data["p"]
    if kind is not None and (not isinstance(position, kind) or isinstance(position, bool)):
        raise InvalidInputException("NextToken is not valid for this listing")
    return position


def page_of(
    scope: str, items: Sequence[T], token: str | None, max_results: int | None, default: int
) -> tuple[list[T], str | None]:
    """Slice an in-memory list into one page (for listings that are small by nature)."""
    start = decode_token(scope, token) or 0
    if not isinstance(start, int) or start < 0:
        raise InvalidInputException("NextToken is not valid for this listing")
    size = max_results or default
    chunk = list(items[start : start + size])
    following = start + size
    return chunk, encode_token(scope, following) if following < len(items) else None
