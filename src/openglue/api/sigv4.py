"""SigV4 verification (placeholder until the verifier lands)."""

from __future__ import annotations

from collections.abc import Mapping


def verify_request(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    keys: Mapping[str, str],
    now: float,
) -> str:
    raise NotImplementedError
