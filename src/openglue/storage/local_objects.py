"""A local folder seen as a list of objects, the way crawlers and event triggers see a bucket.

Keys are '/'-separated paths relative to the root, in sorted order so a crawl is repeatable.
Hidden files and folders (a leading ".") are left out, as Glue leaves out S3 "folder" markers:
they are editor and tool droppings, never data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from openglue.crawler.plan import ObjectInfo

__all__ = ["LocalObjectSource"]


class LocalObjectSource:
    """Objects under ``root``; ``base_uri`` is how locations are written (``s3://b/p/`` for an
    embedded bucket, ``file:///abs/path/`` for a plain folder)."""

    def __init__(self, root: Path, base_uri: str | None = None) -> None:
        self._root = root.resolve()
        uri = base_uri if base_uri is not None else self._root.as_uri()
        self._base_uri = uri if uri.endswith("/") else uri + "/"

    @property
    def root_uri(self) -> str:
        return self._base_uri

    def list(self) -> Iterator[ObjectInfo]:
        if self._root.is_file():
            stat = self._root.stat()
            yield ObjectInfo(self._root.name, stat.st_size, stat.st_mtime)
            return
        for folder, dirs, files in os.walk(self._root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            relative = Path(folder).relative_to(self._root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            for name in sorted(files):
                if name.startswith("."):
                    continue
                stat = os.stat(os.path.join(folder, name))
                yield ObjectInfo(prefix + name, stat.st_size, stat.st_mtime)

    def open(self, key: str) -> BinaryIO:
        if self._root.is_file():
            return self._root.open("rb")
        return (self._root / key).open("rb")

    def uri(self, key: str) -> str:
        return self._base_uri + key
