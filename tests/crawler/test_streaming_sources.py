"""Object stores hand out bodies that cannot seek (an HTTP response): inference must read them
the same as local files, footers and compressed content included."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from openglue.crawler.infer import plan_target
from openglue.crawler.plan import CrawlOptions, ObjectInfo
from openglue.storage.local_objects import LocalObjectSource
from tests.crawler.binary_fixtures import write_columnar_tree, write_compressed_tree
from tests.crawler.golden import render


class _Forward(io.RawIOBase):
    """Reads forward only, like a streamed object body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 8192))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class StreamingSource:
    def __init__(self, local: LocalObjectSource, root: Path) -> None:
        self._local, self._root = local, root

    @property
    def root_uri(self) -> str:
        return self._local.root_uri

    def list(self) -> Iterator[ObjectInfo]:
        return self._local.list()

    def open(self, key: str) -> BinaryIO:
        return io.BufferedReader(_Forward((self._root / key).read_bytes()))  # type: ignore[return-value]

    def uri(self, key: str) -> str:
        return self._local.uri(key)


def test_non_seekable_objects_plan_like_local_files(tmp_path: Path) -> None:
    write_columnar_tree(tmp_path / "columnar")
    write_compressed_tree(tmp_path / "compressed")
    local = LocalObjectSource(tmp_path, "s3://bucket/x/")
    streaming = StreamingSource(local, tmp_path)
    expected = render(plan_target(local, CrawlOptions()))
    actual = render(plan_target(streaming, CrawlOptions()))
    assert actual == expected
    assert {t["classification"] for t in actual["tables"]} >= {"parquet", "orc", "avro", "csv"}
    assert not actual["skipped"]
