"""Glue field paths (``a.b.c``, with backticks around names that hold dots) on DataFrames.

DynamicFrame methods address nested fields by full path. Here they become Column expressions
built from the DataFrame's schema, using only ``col``, ``getField``, ``struct`` and ``when``, so
they work on classic Spark and on Spark Connect engines alike. Every nested read is guarded
by its parent being non-null (a null struct must give null, and Sail 0.7 returns a zero for a
field of a null struct otherwise), and every rebuilt struct stays null where it was null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import DataType, StructType

__all__ = [
    "PathError",
    "build_columns",
    "column_at",
    "drop_paths",
    "quote",
    "rename_path",
    "resolve",
    "select_paths",
    "split",
]

Path = tuple[str, ...]


class PathError(ValueError):
    """A field path that is malformed."""


def split(path: str) -> Path:
    """``a.b`` → ("a", "b"); ```a.b`.c`` → ("a.b", "c"); a doubled backtick is a backtick."""
    parts: list[str] = []
    current: list[str] = []
    index, quoted = 0, False
    while index < len(path):
        char = path[index]
        if char == "`":
            if quoted and path.startswith("``", index):
                current.append("`")
                index += 2
                continue
            quoted = not quoted
        elif char == "." and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    if quoted:
        raise PathError(f"unbalanced backtick in field path {path!r}")
    parts.append("".join(current))
    if any(part == "" for part in parts):
        raise PathError(f"empty field name in path {path!r}")
    return tuple(parts)


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def resolve(schema: StructType, path: Path, case_sensitive: bool = True) -> Path | None:
    """The path with the schema's own spelling of each name, or None if it is not there."""
    from pyspark.sql.types import StructType

    resolved: list[str] = []
    current: DataType = schema
    for name in path:
        if not isinstance(current, StructType):
            return None
        match = next((f for f in current.fields if f.name == name), None)
        if match is None and not case_sensitive:
            match = next((f for f in current.fields if f.name.lower() == name.lower()), None)
        if match is None:
            return None
        resolved.append(match.name)
        current = match.dataType
    return tuple(resolved)


def type_at(schema: StructType, path: Path) -> DataType:
    current: DataType = schema
    for name in path:
        current = current[name].dataType  # type: ignore[index]
    return current


def column_at(path: Path) -> Column:
    """The value at ``path``; null when any struct on the way is null."""
    from pyspark.sql import functions as F

    column = F.col(quote(path[0]))
    for name in path[1:]:
        column = F.when(column.isNotNull(), column.getField(name))
    return column


def _null_safe_struct(parent: Column, fields: list[Column]) -> Column:
    from pyspark.sql import functions as F

    return F.when(parent.isNotNull(), F.struct(*fields))


def _rebuild(
    schema: StructType,
    prefix: Path,
    keep: Callable[[Path], bool],
    descend: Callable[[Path], bool],
    renames: Mapping[Path, str] | None = None,
    additions: Mapping[Path, Sequence[Column]] | None = None,
) -> list[Column]:
    """Columns for the fields of ``schema`` (at ``prefix``) that ``keep`` accepts; structs that
    ``descend`` marks are rebuilt field by field with the same rules. ``renames`` gives fields
    new names in place; ``additions`` appends columns to the struct at a path (``()``: top)."""
    from pyspark.sql.types import StructType

    renames = renames or {}
    additions = additions or {}
    columns: list[Column] = []
    for field in schema.fields:
        path = (*prefix, field.name)
        if not keep(path):
            continue
        name = renames.get(path, field.name)
        if descend(path) and isinstance(field.dataType, StructType):
            inner = _rebuild(field.dataType, path, keep, descend, renames, additions)
            columns.append(_null_safe_struct(column_at(path), inner).alias(name))
        else:
            columns.append(column_at(path).alias(name))
    return columns + list(additions.get(prefix, ()))


def _prefixes(paths: Sequence[Path]) -> set[Path]:
    return {path[:end] for path in paths for end in range(1, len(path))}


def select_paths(frame: DataFrame, paths: Sequence[Path]) -> DataFrame:
    """Keep only ``paths`` (and the structs that hold them), in the frame's field order."""
    chosen = set(paths)
    parents = _prefixes(paths)

    def keep(path: Path) -> bool:
        return path in parents or any(path[:end] in chosen for end in range(1, len(path) + 1))

    def descend(path: Path) -> bool:
        return path in parents and path not in chosen

    return frame.select(*_rebuild(frame.schema, (), keep, descend))


def drop_paths(frame: DataFrame, paths: Sequence[Path]) -> DataFrame:
    """Remove ``paths``; structs that lose fields are rebuilt without them."""
    dropped = set(paths)
    parents = _prefixes(paths)
    columns = _rebuild(frame.schema, (), lambda p: p not in dropped, lambda p: p in parents)
    return frame.select(*columns)


def rename_path(frame: DataFrame, old: Path, new: Path) -> DataFrame:
    """Rename (or move) the field at ``old`` to ``new``; both are resolved full paths, and the
    struct that receives a moved field must exist."""
    if old[:-1] == new[:-1]:
        renames = {old: new[-1]}
        parents = _prefixes([old])
        columns = _rebuild(frame.schema, (), lambda p: True, lambda p: p in parents, renames)
        return frame.select(*columns)
    moved = {new[:-1]: [column_at(old).alias(new[-1])]}
    parents = _prefixes([old]) | _prefixes([new]) | {new[:-1]}
    columns = _rebuild(frame.schema, (), lambda p: p != old, lambda p: p in parents, None, moved)
    return frame.select(*columns)


def build_columns(assignments: Sequence[tuple[Path, Column]]) -> list[Column]:
    """Top-level columns that put each value at its path, nesting structs for dotted paths.

    Fields keep the order in which their paths first appear; a later assignment to the same
    path replaces the earlier one.
    """
    from pyspark.sql import functions as F

    tree: dict[str, object] = {}
    for path, value in assignments:
        node = tree
        for name in path[:-1]:
            child = node.get(name)
            if not isinstance(child, dict):
                child = {}
                node[name] = child
            node = child
        node[path[-1]] = value

    def emit(node: dict[str, object]) -> list[Column]:
        columns: list[Column] = []
        for name, value in node.items():
            if isinstance(value, dict):
                columns.append(F.struct(*emit(value)).alias(name))
            else:
                columns.append(value.alias(name))  # type: ignore[attr-defined]
        return columns

    return emit(tree)
