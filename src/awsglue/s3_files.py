"""Files on an S3 endpoint through pyarrow, the way Spark's file sources see a folder.

Listing follows Spark: files whose name starts with ``_`` or ``.`` are not data; below the
given folder only Hive-style ``key=value`` folders are entered, and their values become
partition columns (typed as Spark types them: int, bigint, double, else string), unless
``recurse`` asks for every file below. The readers turn one file into Arrow record batches in
the Spark schema asked for; the writers lay out Hive-style folders for partition keys, escaping
values as Spark does.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    import pyarrow as pa
    from pyarrow.fs import FileSystem

__all__ = [
    "DataFile",
    "discover",
    "fs_path",
    "partition_folder",
    "partition_pair",
    "partition_value_type",
    "purge",
]

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
_PARTITION_SEGMENT = re.compile(r"^([^=/]+)=([^/]*)$")
_ESCAPED = set("\"#%'*/:=?\\{[]^\x7f")


@dataclass(frozen=True)
class DataFile:
    path: str  # bucket/key, as pyarrow's S3 file system names it
    partition: tuple[tuple[str, str | None], ...] = ()  # (key, value) from key=value folders


def fs_path(address: str) -> str:
    """``s3://bucket/key`` → ``bucket/key`` (pyarrow's spelling)."""
    return address.split("://", 1)[1] if "://" in address else address


def _hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def _partition_of(relative_folder: str) -> tuple[tuple[str, str | None], ...] | None:
    """The (key, value) pairs of a folder below the root, or None if a segment is not k=v."""
    pairs: list[tuple[str, str | None]] = []
    for segment in filter(None, relative_folder.split("/")):
        pair = partition_pair(segment)
        if pair is None:
            return None
        pairs.append(pair)
    return tuple(pairs)


def partition_pair(segment: str) -> tuple[str, str | None] | None:
    """``key=value`` folder name → (key, value) unescaped as Spark does (Hive's null marker →
    None); None when the name is not of that form."""
    match = _PARTITION_SEGMENT.match(segment)
    if match is None:
        return None
    value = unquote(match.group(2))
    return unquote(match.group(1)), None if value == HIVE_NULL else value


def discover(fs: FileSystem, addresses: Sequence[str], recurse: bool) -> list[DataFile]:
    """The data files under ``addresses`` (folders or single files), in a stable order."""
    from pyarrow.fs import FileSelector, FileType

    found: list[DataFile] = []
    for address in addresses:
        root = fs_path(address).rstrip("/")
        info = fs.get_file_info(root)
        if info.type == FileType.File:
            found.append(DataFile(root))
            continue
        selector = FileSelector(root, recursive=True, allow_not_found=True)
        for item in sorted(fs.get_file_info(selector), key=lambda i: i.path):
            if item.type != FileType.File:
                continue
            relative = item.path[len(root) + 1 :]
            folder, _, name = relative.rpartition("/")
            if _hidden(name) or any(_hidden(part) for part in folder.split("/") if part):
                continue
            pairs = _partition_of(folder)
            if pairs is None and not recurse:
                continue
            found.append(DataFile(item.path, pairs or ()))
    return found


def partition_columns(files: Sequence[DataFile]) -> list[tuple[str, str]]:
    """(name, Spark type name) of the partition columns all files share; [] when they differ."""
    if not files or not files[0].partition:
        return []
    keys = [key for key, _ in files[0].partition]
    if any([key for key, _ in f.partition] != keys for f in files):
        return []
    columns = []
    for index, key in enumerate(keys):
        values = [f.partition[index][1] for f in files if f.partition[index][1] is not None]
        columns.append((key, partition_value_type(values)))
    return columns


def partition_value_type(values: Sequence[str | None]) -> str:
    """The Spark type of a partition column with these folder values."""
    texts = [v for v in values if v is not None]
    if texts and all(re.fullmatch(r"-?\d+", v) for v in texts):
        return "int" if all(-(2**31) <= int(v) < 2**31 for v in texts) else "bigint"
    if texts and all(re.fullmatch(r"-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?", v) for v in texts):
        return "double"
    return "string"


def escape_value(value: Any) -> str:
    if value is None:
        return HIVE_NULL
    text = str(value)
    if text == "":
        return HIVE_NULL
    return "".join(f"%{ord(c):02X}" if c in _ESCAPED or ord(c) < 0x20 else c for c in text)


def partition_folder(keys: Sequence[str], values: Sequence[Any]) -> str:
    return "/".join(f"{k}={escape_value(v)}" for k, v in zip(keys, values, strict=True))


def new_file_name(suffix: str) -> str:
    return f"part-{uuid.uuid4()}.c000{suffix}"


def split_by_keys(table: pa.Table, keys: Sequence[str]) -> Iterator[tuple[str, pa.Table]]:
    """(partition folder, rows without the key columns) for each distinct key combination."""
    if not keys:
        yield "", table
        return
    groups: dict[tuple[Any, ...], list[int]] = {}
    columns = [table.column(key).to_pylist() for key in keys]
    for index, values in enumerate(zip(*columns, strict=True)):
        groups.setdefault(tuple(values), []).append(index)
    rest = table.drop_columns(list(keys))
    for values, indices in groups.items():
        yield partition_folder(keys, values), rest.take(indices)


def purge(client: Any, address: str, cutoff: float) -> list[str]:
    """Delete the objects under ``address`` last modified before ``cutoff`` (epoch seconds);
    return their ``s3://`` addresses. Deletes go through boto3, which (unlike pyarrow) leaves
    no folder markers behind."""
    bucket, _, key = fs_path(address).partition("/")
    doomed: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
        for item in page.get("Contents", []):
            relative = item["Key"][len(key) :]
            inside = not key or key.endswith("/") or relative == "" or relative.startswith("/")
            if inside and item["LastModified"].timestamp() <= cutoff:
                doomed.append(item["Key"])
    for start in range(0, len(doomed), 1000):  # DeleteObjects takes 1,000 keys at most
        batch = [{"Key": k} for k in doomed[start : start + 1000]]
        client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    return [f"s3://{bucket}/{k}" for k in doomed]
