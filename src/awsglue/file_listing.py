"""The files under a source's paths, with their modification times, for job bookmarks.

Folders are expanded the way Spark reads them: the files directly inside, plus the files of
Hive-style partition folders (``year=2024/``) — and of every subfolder with ``recurse``.
Names starting with ``_`` or ``.`` (``_SUCCESS``, ``.crc`` files) are not data and are left
out. Local paths and the embedded buckets are listed on disk; with an S3 endpoint
(``AWS_ENDPOINT_URL_S3``) ``s3://`` paths are listed with ListObjectsV2.

Each file has a stable *address* — its ``s3://`` form for the embedded buckets, so that state
does not depend on where the data directory lives — and the path the engine reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from awsglue import storage

__all__ = ["ListedFile", "list_files"]


@dataclass(frozen=True)
class ListedFile:
    address: str  # stable name, used in bookmark state
    engine_path: str  # what the engine reads
    mtime_ms: int  # last modification, milliseconds since the epoch


def _hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def _descend(name: str, recurse: bool) -> bool:
    return not _hidden(name) and (recurse or "=" in name)


def _local_address(path: Path) -> str:
    root = storage.local_bucket_root()
    try:
        return "s3://" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _list_local(path: Path, recurse: bool) -> list[ListedFile]:
    if path.is_file():
        return [_local_file(path)]
    found: list[ListedFile] = []
    if not path.is_dir():
        return found
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.is_file() and not _hidden(entry.name):
            found.append(_local_file(Path(entry.path)))
        elif entry.is_dir() and _descend(entry.name, recurse):
            found.extend(_list_local(Path(entry.path), recurse))
    return found


def _local_file(path: Path) -> ListedFile:
    mtime_ms = path.stat().st_mtime_ns // 1_000_000
    return ListedFile(_local_address(path), str(path), mtime_ms)


def _list_s3(address: str, recurse: bool) -> list[ListedFile]:
    import boto3
    from botocore.exceptions import ClientError

    from awsglue.s3_config import S3Config

    parsed = storage.parse_s3(address)
    config = S3Config.from_env()  # the job's own S3 key and region, as the engines use
    client = config.client() if config is not None else boto3.client("s3")
    if parsed.key and not parsed.key.endswith("/"):
        try:  # the address may name one object rather than a folder
            head = client.head_object(Bucket=parsed.bucket, Key=parsed.key)
            stamp = int(head["LastModified"].timestamp() * 1000)
            return [ListedFile(address, address, stamp)]
        except ClientError:
            pass
    folder = parsed.key.rstrip("/") + "/" if parsed.key.strip("/") else ""
    found: list[ListedFile] = []
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=parsed.bucket, Prefix=folder)
    for page in pages:
        for item in page.get("Contents", []):
            key = item["Key"]
            parts = key[len(folder) :].split("/")
            if key.endswith("/") or _hidden(parts[-1]):
                continue  # folder markers and non-data files
            if not all(_descend(part, recurse) for part in parts[:-1]):
                continue
            uri = f"s3://{parsed.bucket}/{key}"
            found.append(ListedFile(uri, uri, int(item["LastModified"].timestamp() * 1000)))
    return found


def list_files(engine_path: str, *, recurse: bool) -> list[ListedFile]:
    """The data files at ``engine_path`` (a file or a folder, as ``storage.resolve`` gave it)."""
    if storage.is_s3(engine_path):
        return _list_s3(engine_path, recurse)
    return _list_local(storage.local_path(engine_path), recurse)
