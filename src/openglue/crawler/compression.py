"""Recognise a compressed object and read the head of its content, decompressed.

Glue classifies gzip, bzip2, zstd, lz4, Snappy (standard framing and Hadoop's block format) and
single-file ZIP archives by looking inside them. The codec is told by magic bytes, falling back
to the file extension for Hadoop Snappy, which has no magic. Only the first ``limit`` bytes of
content are produced: the crawler samples the head of a file and never inflates it all.
"""

from __future__ import annotations

import bz2
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import pyarrow as pa

__all__ = ["Head", "UnreadableObject", "read_head"]

_CHUNK = 64 * 1024
_SNAPPY_FRAME_MAGIC = b"\xff\x06\x00\x00sNaPpY"
# (bytes already read, the rest of the stream, limit) -> (content head, whether that is all)
_Reader = Callable[[bytes, BinaryIO, int], tuple[bytes, bool]]


class UnreadableObject(OSError):
    """The object says it is compressed but its content cannot be decompressed."""


@dataclass(frozen=True)
class Head:
    """The first bytes of an object's content; ``complete`` when that is all of it."""

    data: bytes
    complete: bool
    compression: str  # Glue's compressionType: none, gzip, bzip2, zstd, lz4, snappy, zip


def detect(magic: bytes, key: str) -> str:
    if magic.startswith(b"\x1f\x8b"):
        return "gzip"
    if magic.startswith(b"BZh"):
        return "bzip2"
    if magic.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if magic.startswith(b"\x04\x22\x4d\x18"):
        return "lz4"
    if magic.startswith(_SNAPPY_FRAME_MAGIC[:4]):
        return "snappy"
    if magic.startswith(b"PK\x03\x04"):
        return "zip"
    if key.lower().endswith(".snappy"):
        return "snappy"
    return "none"


def read_head(first: bytes, stream: BinaryIO, key: str, limit: int) -> Head:
    """Up to ``limit`` bytes of decompressed content; ``first`` was already read off
    ``stream``."""
    if len(first) <= limit:
        more = stream.read(limit + 1 - len(first))
        first = first + more if more else first
    codec = detect(first[:10], key)
    if codec == "none":
        return Head(first[:limit], len(first) <= limit, "none")
    reader = _READERS[codec]
    try:
        data, complete = reader(first, stream, limit)
    except (zlib.error, zipfile.BadZipFile, ValueError, EOFError, pa.ArrowException) as error:
        raise UnreadableObject(f"its {codec} content cannot be decompressed ({error})") from None
    return Head(data, complete, codec)


class _Chained:
    """The bytes already read, then the rest of the stream, in chunks."""

    def __init__(self, first: bytes, stream: BinaryIO) -> None:
        self._first: bytes | None = first
        self._stream = stream

    def __iter__(self) -> _Chained:
        return self

    def __next__(self) -> bytes:
        if self._first is not None:
            chunk, self._first = self._first, None
            if chunk:
                return chunk
        chunk = self._stream.read(_CHUNK)
        if not chunk:
            raise StopIteration
        return chunk


def _read_gzip(first: bytes, stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, detected
    out = bytearray()
    for chunk in _Chained(first, stream):
        out += inflater.decompress(chunk, limit + 1 - len(out))
        if len(out) > limit:
            return bytes(out[:limit]), False
        while inflater.unconsumed_tail and len(out) <= limit:
            out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
        if len(out) > limit:
            return bytes(out[:limit]), False
        if inflater.eof:
            # Concatenated gzip members are one stream to every gzip reader.
            rest = inflater.unused_data
            inflater = zlib.decompressobj(wbits=47)
            if rest:
                out += inflater.decompress(rest, limit + 1 - len(out))
    return bytes(out[:limit]), len(out) <= limit


def _read_bzip2(first: bytes, stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    out = bytearray()
    inflater = bz2.BZ2Decompressor()
    for chunk in _Chained(first, stream):
        data = chunk
        while data or not inflater.needs_input:
            out += inflater.decompress(data, limit + 1 - len(out))
            data = b""
            if len(out) > limit:
                return bytes(out[:limit]), False
            if inflater.eof:
                rest = inflater.unused_data
                inflater = bz2.BZ2Decompressor()
                data = rest
                if not data:
                    break
    return bytes(out), True


def _rewound(first: bytes, stream: BinaryIO) -> BinaryIO:
    """The whole stream from its start: seek back when we can, else buffer what is left."""
    if stream.seekable():
        stream.seek(0)
        return stream
    return io.BytesIO(first + stream.read())


def _read_arrow_stream(codec: str) -> _Reader:
    def read(first: bytes, stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
        source = pa.PythonFile(_rewound(first, stream), mode="r")
        inflating = pa.CompressedInputStream(source, codec)
        data = inflating.read(limit + 1)
        return bytes(data[:limit]), len(data) <= limit

    return read


def _read_snappy(first: bytes, stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    # Snappy rarely compresses below 1:1, so twice the limit of input yields the limit of output
    raw = first + stream.read(limit)
    whole = len(stream.read(1)) == 0
    if raw.startswith(_SNAPPY_FRAME_MAGIC):
        data, complete = _snappy_frames(raw, limit)
        return data, complete and whole
    try:
        data, complete = _snappy_hadoop_blocks(raw, limit)
        return data, complete and whole
    except (ValueError, OSError, pa.ArrowException):
        if not whole:
            raise
        data = _snappy_raw(raw)
        return data[:limit], len(data) <= limit


def _snappy_raw(raw: bytes) -> bytes:
    size, _ = _varint(raw, 0)
    return bytes(pa.decompress(raw, size, codec="snappy"))


def _snappy_frames(raw: bytes, limit: int) -> tuple[bytes, bool]:
    out = bytearray()
    at = 0
    while at + 4 <= len(raw) and len(out) <= limit:
        kind, length = raw[at], int.from_bytes(raw[at + 1 : at + 4], "little")
        body = raw[at + 4 : at + 4 + length]
        at += 4 + length
        if kind == 0x00:  # compressed chunk: 4-byte CRC, then raw snappy
            out += _snappy_raw(body[4:])
        elif kind == 0x01:  # uncompressed chunk: 4-byte CRC, then the bytes
            out += body[4:]
    return bytes(out[:limit]), len(out) <= limit and at >= len(raw)


def _snappy_hadoop_blocks(raw: bytes, limit: int) -> tuple[bytes, bool]:
    """Hadoop's SnappyCodec: blocks of [uncompressed length][compressed length][raw snappy]…"""
    out = bytearray()
    at = 0
    while at < len(raw) and len(out) <= limit:
        if at + 8 > len(raw):
            return bytes(out[:limit]), False  # the sample ends inside a block header
        expected = int.from_bytes(raw[at : at + 4], "big")
        at += 4
        produced = 0
        while produced < expected:
            length = int.from_bytes(raw[at : at + 4], "big")
            at += 4
            if length <= 0 or expected > 1 << 30:
                raise ValueError("not a Hadoop snappy block")
            if at + length > len(raw):
                if out:
                    return bytes(out[:limit]), False  # the sample ends inside a block
                raise ValueError("not a Hadoop snappy block")
            piece = _snappy_raw(raw[at : at + length])
            at += length
            produced += len(piece)
            out += piece
        if produced != expected:
            raise ValueError("Hadoop snappy block length mismatch")
    return bytes(out[:limit]), len(out) <= limit and at >= len(raw)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _read_zip(first: bytes, stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    archive = zipfile.ZipFile(_rewound(first, stream))
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) != 1:
        raise ValueError(f"ZIP archives are read only when they hold one file ({len(members)})")
    with archive.open(members[0]) as member:
        data = member.read(limit + 1)
    return data[:limit], len(data) <= limit


_READERS = {
    "gzip": _read_gzip,
    "bzip2": _read_bzip2,
    "zstd": _read_arrow_stream("zstd"),
    "lz4": _read_arrow_stream("lz4"),
    "snappy": _read_snappy,
    "zip": _read_zip,
}
