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

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["read_with_partition_columns"]

Values = tuple[tuple[str, str], ...]
_INT_MAX = 2**31 - 1


def _values(root: str, file: str) -> Values:
    relative = file[len(root.rstrip("/")) + 1 :] if file.startswith(root.rstrip("/")) else ""
    folders = relative.split("/")[:-1]
    pairs = (folder.partition("=") for folder in folders)
    return tuple((key, value) for key, sep, value in pairs if sep and key)


def _type_of(values: Sequence[str]) -> str:
    def number(text: str, kind: type) -> bool:
        try:
            kind(text)
        except ValueError:
            return False
        return True

    if all(number(v, int) for v in values):
        return "int" if all(abs(int(v)) <= _INT_MAX for v in values) else "bigint"
    if all(number(v, float) for v in values):
        return "double"
    return "string"


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
    types = {k: _type_of([v for values in groups for key, v in values if key == k]) for k in keys}
    frames = []
    for values, files in groups.items():
        given = dict(values)
        columns = [F.lit(given.get(k)).cast(types[k]).alias(k) for k in keys]
        frames.append(read(files).select("*", *columns))
    return reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)
