"""A prefix of a bucket on an S3-compatible store (AWS, MinIO, Ceph…) seen as a list of objects.

Listing pages through ListObjectsV2 lazily, so a crawl of a large prefix holds one page at a
time. Keys come back relative to the prefix, '/'-separated, in S3's order (lexicographic, which
is what a repeatable crawl needs). As in ``LocalObjectSource``, "folder" markers (keys ending in
'/') and hidden names (a path segment starting with '.') are left out: they are never data.
Reads are ranged GETs behind a buffered, seekable file: a crawler that samples the first
megabyte fetches one megabyte, and a Parquet footer is read without the rest of the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from openglue.crawler.plan import ObjectInfo

__all__ = ["RangedObjectReader", "S3Endpoint", "S3ObjectSource"]

READ_BUFFER = 1024 * 1024  # one GET per megabyte read in sequence


@dataclass(frozen=True)
class S3Endpoint:
    """Where the S3 store is and who we are to it. Empty fields fall back to boto3's own
    lookup (environment, profiles), as any AWS client would."""

    url: str = ""
    access_key_id: str = ""
    secret_access_key: str = ""
    region: str = ""

    def client(self) -> Any:
        import boto3

        options: dict[str, Any] = {}
        if self.url:
            options["endpoint_url"] = self.url
        if self.region:
            options["region_name"] = self.region
        if self.access_key_id and self.secret_access_key:
            options["aws_access_key_id"] = self.access_key_id
            options["aws_secret_access_key"] = self.secret_access_key
        return boto3.client("s3", **options)


class S3ObjectSource:
    """Objects under ``s3://bucket/prefix``. ``prefix`` names a folder ("data/2024/") or a
    single object ("data/file.csv"); a folder prefix without a trailing '/' gets one, so
    ``data`` does not also match ``database/``."""

    def __init__(self, bucket: str, prefix: str, client: Any = None) -> None:
        self._bucket = bucket
        # No client: boto3's own lookup (AWS_ENDPOINT_URL_S3, credentials, profiles).
        self._client = client if client is not None else S3Endpoint().client()
        self._single = bool(prefix) and not prefix.endswith("/") and self._is_object(prefix)
        if self._single:
            folder = prefix.rpartition("/")[0]
            self._prefix = folder + "/" if folder else ""
            self._only = prefix[len(self._prefix) :]
        else:
            self._prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
            self._only = ""

    def _is_object(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    @property
    def root_uri(self) -> str:
        if self._single:
            return f"s3://{self._bucket}/{self._prefix}{self._only}"
        return f"s3://{self._bucket}/{self._prefix}"

    def list(self) -> Iterator[ObjectInfo]:
        paginator = self._client.get_paginator("list_objects_v2")
        start = self._prefix + self._only if self._single else self._prefix
        for page in paginator.paginate(Bucket=self._bucket, Prefix=start):
            for item in page.get("Contents", []):
                key = item["Key"][len(self._prefix) :]
                if self._single and key != self._only:
                    continue
                if not key or key.endswith("/") or _hidden(key):
                    continue
                modified = item["LastModified"].timestamp()
                yield ObjectInfo(key, int(item["Size"]), modified)

    def open(self, key: str) -> BinaryIO:
        raw = RangedObjectReader(self._client, self._bucket, self._prefix + key)
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=READ_BUFFER))

    def uri(self, key: str) -> str:
        return f"s3://{self._bucket}/{self._prefix}{key}"


class RangedObjectReader(io.RawIOBase):
    """One object as a seekable raw file: each read is a GET of the byte range asked for."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._size: int = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
        self._position = 0

    @property
    def name(self) -> str:
        return f"s3://{self._bucket}/{self._key}"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        end = min(self._position + len(view), self._size)
        if end <= self._position:
            return 0
        byte_range = f"bytes={self._position}-{end - 1}"
        response = self._client.get_object(Bucket=self._bucket, Key=self._key, Range=byte_range)
        data = response["Body"].read()
        view[: len(data)] = data
        self._position += len(data)
        return len(data)


def _hidden(key: str) -> bool:
    return any(part.startswith(".") for part in key.split("/"))
