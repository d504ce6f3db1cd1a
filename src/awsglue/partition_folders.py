"""Hive-style partition columns (``year=2024/``) for a read of chosen files.

Spark discovers partition columns when it reads a folder, not when it is handed files inside
the folder — which is what a bookmarked read does. So the chosen files are grouped by their
partition folders, each group is read on its own, and the values become columns, typed as
Spark types them (integers as int or bigint, other numbers as double, the rest string).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import TYPE_CHECKING

from awsglue.s3_files import partition_pair, partition_value_type

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["read_with_partition_columns"]

Values = tuple[tuple[str, str | None], ...]


def _values(root: str, file: str) -> Values:
    relative = file[len(root.rstrip("/")) + 1 :] if file.startswith(root.rstrip("/")) else ""
    pairs = (partition_pair(folder) for folder in relative.split("/")[:-1])
    return tuple(pair for pair in pairs if pair is not None)


def read_with_partition_columns(
    chosen: Mapping[str, Sequence[str]], read: Callable[[list[str]], DataFrame]
) -> DataFrame:
    """Read the ``chosen`` files (by the folder they were listed from) with ``read``, adding
    the partition columns their folders name."""
    from pyspark.sql import functions as F

    groups: dict[Values, list[str]] = {}
    for root, files in chosen.items():
        for file in files:
            groups.setdefault(_values(root, file), []).append(file)
    if set(groups) == {()}:
        return read(groups[()])
    keys = list(dict.fromkeys(k for values in groups for k, _ in values))
    types = {
        k: partition_value_type([v for values in groups for key, v in values if key == k])
        for k in keys
    }
    frames = []
    for values, files in groups.items():
        given = dict(values)
        columns = [F.lit(given.get(k)).cast(types[k]).alias(k) for k in keys]
        frames.append(read(files).select("*", *columns))
    return reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)
