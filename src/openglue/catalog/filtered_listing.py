"""One page of a listing whose filter the store cannot evaluate (regular expressions, members
inside the JSON body): read the store's ordered pages and keep what matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
P = TypeVar("P")

# Rows read from the store per round trip while looking for matches.
SCAN_BATCH = 500


def filtered_page(
    fetch: Callable[[P | None, int], list[T]],
    position: Callable[[T], P],
    keep: Callable[[T], bool],
    after: P | None,
    limit: int,
) -> list[T]:
    """Up to ``limit`` items that ``keep`` accepts, in the store's order, after ``after``.

    ``fetch(after, n)`` returns up to ``n`` items after a position; ``position(item)`` is the
    position to continue from. Callers page by the position of the last item returned."""
    found: list[T] = []
    cursor = after
    while len(found) < limit:
        batch = fetch(cursor, SCAN_BATCH)
        found.extend(item for item in batch if keep(item))
        if len(batch) < SCAN_BATCH:
            break
        cursor = position(batch[-1])
    return found[:limit]
