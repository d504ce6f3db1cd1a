"""Partition keys and values from the folders between a table's root and its files.

A level whose folders are all ``key=value`` (Hive style) with one key gives a column named
after the key; any other level gives ``partition_0``, ``partition_1``… by its position. Keys are
always ``string``, as Glue's crawler writes them. Values keep the folder text (the part after
``=`` for Hive-style folders), in path order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from openglue.crawler.folder_tree import SchemaGroup
from openglue.crawler.grouping import Member
from openglue.crawler.hive_schema import HiveType, merge_columns

__all__ = ["PartitionLayout", "layout_partitions", "sanitize_name"]

_NOT_NAME = re.compile(r"[^a-z0-9_]")


def sanitize_name(text: str) -> str:
    """Glue's table and key naming: lower-cased, anything but letters, digits and ``_``
    becomes ``_``."""
    return _NOT_NAME.sub("_", text.lower()) or "_"


@dataclass
class PartitionStats:
    values: tuple[str, ...]
    folders: tuple[str, ...]  # the folder names, to build the location
    groups: list[SchemaGroup] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[str, HiveType]]:
        merged: list[tuple[str, HiveType]] = []
        for group in self.groups:
            merged = merge_columns(merged, group.columns)
        return merged


@dataclass(frozen=True)
class PartitionLayout:
    keys: tuple[str, ...]
    partitions: tuple[PartitionStats, ...]


def layout_partitions(members: Sequence[Member], depth: int) -> PartitionLayout:
    if depth == 0:
        return PartitionLayout((), ())
    levels = [sorted({path[level] for path, _ in members}) for level in range(depth)]
    keys, hive = [], []
    for level, names in enumerate(levels):
        hive_keys = {name.partition("=")[0] for name in names if "=" in name}
        is_hive = len(hive_keys) == 1 and all("=" in name for name in names)
        hive.append(is_hive)
        keys.append(sanitize_name(hive_keys.pop()) if is_hive else f"partition_{level}")
    stats: dict[tuple[str, ...], PartitionStats] = {}
    for path, group in members:
        folders = path[:depth]
        found = stats.get(folders)
        if found is None:
            values = tuple(
                name.partition("=")[2] if hive[level] else name
                for level, name in enumerate(folders)
            )
            found = stats[folders] = PartitionStats(values, folders)
        found.groups.append(group)
    return PartitionLayout(tuple(keys), tuple(stats[k] for k in sorted(stats)))
