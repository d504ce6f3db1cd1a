"""What earlier crawls decided about a target, as folder paths grouping can follow.

An incremental crawl (CRAWL_NEW_FOLDERS_ONLY) reads only new folders, so on its own it would
judge a lone new folder as if it were the whole target: one new dataset folder next to
existing tables would become a table at the target root with the folder as ``partition_0``.
Glue instead decides new folders against the tables it made before; this is that memory:
the folders that are table roots (with their partition keys), and the folders above them,
which earlier crawls split and which therefore stay split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from openglue.crawler.plan import KnownTable

__all__ = ["KnownLayout", "known_layout"]

Path = tuple[str, ...]


@dataclass(frozen=True)
class KnownLayout:
    roots: dict[Path, KnownTable] = field(default_factory=dict)  # table folders
    above: frozenset[Path] = frozenset()  # folders earlier crawls split into tables

    def __bool__(self) -> bool:
        return bool(self.roots or self.above)


def known_layout(root_uri: str, tables: Sequence[KnownTable]) -> KnownLayout:
    """The known tables under ``root_uri`` as folder paths from it; tables elsewhere (another
    target of the same crawler) are left out."""
    roots: dict[Path, KnownTable] = {}
    above: set[Path] = set()
    base = unquote(root_uri.rstrip("/")) + "/"
    for table in tables:
        location = unquote(table.location)
        if not location.startswith(base):
            continue  # another target's table
        parts = tuple(part for part in location[len(base) :].split("/") if part)
        if location.endswith("/"):
            roots[parts] = table
        # Every folder above a table's folder (or above a one-file table) was split.
        above.update(parts[:depth] for depth in range(len(parts)))
    return KnownLayout(roots, frozenset(above - set(roots)))
