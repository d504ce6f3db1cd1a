"""What a classifier sees of one object: its head (decompressed), its lines, a raw reopen.

The object is read once, up to Glue's sample size (the first 1 MB of content); the columnar
classifiers reopen it only when its magic bytes say it is theirs, to read a footer. Nothing is
kept after the file is classified, so memory does not grow with the number of files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from typing import BinaryIO

from openglue.crawler.compression import Head, read_head
from openglue.crawler.hive_schema import HiveType
from openglue.crawler.plan import ObjectInfo, ObjectSource

__all__ = ["SAMPLE_BYTES", "SAMPLE_RECORDS", "FileSchema", "Probe"]

SAMPLE_BYTES = 1024 * 1024  # Glue reads the first 1 MB of a file…
SAMPLE_RECORDS = 1000  # …or its first 1,000 records, whichever comes first
_PEEK = 64 * 1024  # one read tells the magic bytes and holds most small files whole


@dataclass(frozen=True)
class FileSchema:
    """What one classifier made of one file."""

    classification: str
    columns: tuple[tuple[str, HiveType], ...]
    records: int  # records in the sample, or the file's count when ``exact``
    record_bytes: int  # bytes those records took (for averageRecordSize)
    exact: bool = False  # ``records`` is the whole file's (footer metadata, or all of it read)
    certainty: float = 1.0
    compression: str = "none"  # Glue's compressionType of the object
    # Format facts tables are shaped by (delimiter, header, jsonPath, rowTag, grok pattern…).
    # Files only share a table when these agree; ``extras`` (e.g. an Avro schema) need not.
    format: tuple[tuple[str, str], ...] = ()
    extras: tuple[tuple[str, str], ...] = field(default=(), compare=False)


class Probe:
    """Opens the object once, on first use; ``close()`` when done with it."""

    def __init__(self, source: ObjectSource, info: ObjectInfo) -> None:
        self.source = source
        self.info = info
        self._stream: BinaryIO | None = None
        self._first = b""

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _open(self) -> BinaryIO:
        if self._stream is None:
            self._stream = self.source.open(self.info.key)
            self._first = self._stream.read(_PEEK)
        return self._stream

    @property
    def magic(self) -> bytes:
        """The first bytes of the object as stored (before any decompression)."""
        self._open()
        return self._first[:16]

    @cached_property
    def head(self) -> Head:
        stream = self._open()
        return read_head(self._first, stream, self.info.key, SAMPLE_BYTES)

    @property
    def compression(self) -> str:
        return self.head.compression

    def seekable_stream(self) -> BinaryIO:
        """The raw object from its start, for readers that seek to a footer."""
        stream = self._open()
        if stream.seekable():
            stream.seek(0)
            return stream
        # A footer reader must seek: hold a non-seekable object (an HTTP body) in memory.
        whole = io.BytesIO(self._first + stream.read())
        self.close()
        self._stream, self._first = whole, whole.getvalue()[:_PEEK]
        return whole

    @cached_property
    def text(self) -> str:
        data = self.head.data
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if not self.head.complete:
            # The sample stops mid-file: drop the last, probably cut, line.
            cut = data.rfind(b"\n")
            data = data[: cut + 1] if cut >= 0 else data
        return data.decode("utf-8", errors="replace")

    def longer_text(self, limit: int) -> str:
        """The first ``limit`` bytes of content as text: Glue reads up to 10 MB of a JSON file
        whose first record does not fit in the first 1 MB."""
        with self.source.open(self.info.key) as stream:
            data = read_head(b"", stream, self.info.key, limit).data
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")

    @cached_property
    def lines(self) -> list[str]:
        """The first non-blank lines of the sample, at most ``SAMPLE_RECORDS`` + 1 (a header)."""
        found: list[str] = []
        for line in self.text.splitlines():
            if line.strip():
                found.append(line)
                if len(found) > SAMPLE_RECORDS:
                    break
        return found

    @cached_property
    def is_binary(self) -> bool:
        """Text formats never hold NUL bytes (Ctrl-A is fine: Hive's default delimiter)."""
        return b"\x00" in self.head.data[:4096]
