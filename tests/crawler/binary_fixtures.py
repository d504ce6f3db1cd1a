"""Binary fixture trees written at test time: Parquet and ORC through pyarrow, Avro through a
tiny container writer (null codec), and one CSV under every compression Glue classifies."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import struct
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq

CSV_TEXT = b"id,name,score\n1,a,1.5\n2,b,2.5\n3,c,4\n"


def write_columnar_tree(root: Path) -> None:
    (root / "orders").mkdir(parents=True)
    address = pa.struct([("city", pa.string()), ("zip", pa.int32())])
    first = pa.table(
        {
            "id": pa.array([1, 2], pa.int32()),
            "amount": pa.array([Decimal("1.50"), Decimal("20.00")], pa.decimal128(10, 2)),
            "ts": pa.array([1_700_000_000_000_000, None], pa.timestamp("us")),
            "tags": pa.array([["a"], []], pa.list_(pa.string())),
            "address": pa.array([{"city": "Oslo", "zip": 150}, None], address),
            "attrs": pa.array([[("k", 1)], []], pa.map_(pa.string(), pa.int64())),
        }
    )
    pq.write_table(first, root / "orders" / "part-0.parquet")
    second = pa.table(
        {
            "id": pa.array([3], pa.int64()),
            "amount": pa.array([Decimal("3.25")], pa.decimal128(10, 2)),
            "ts": pa.array([None], pa.timestamp("ms")),
            "note": pa.array(["late"], pa.string()),
        }
    )
    pq.write_table(second, root / "orders" / "part-1.parquet")
    (root / "metrics").mkdir()
    metrics = pa.table(
        {"day": pa.array([19000], pa.date32()), "value": pa.array([0.5], pa.float32())}
    )
    orc.write_table(metrics, root / "metrics" / "data.orc")
    (root / "users").mkdir()
    schema = {
        "type": "record",
        "name": "User",
        "fields": [
            {"name": "name", "type": "string"},
            {"name": "age", "type": ["null", "int"]},
            {"name": "emails", "type": {"type": "array", "items": "string"}},
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
        ],
    }
    records = [
        _avro_string("ada") + _avro_long(1) + _avro_long(36) + _avro_long(1)
        + _avro_string("ada@x.org") + _avro_long(0) + _avro_long(0),
        _avro_string("bob") + _avro_long(0) + _avro_long(0) + _avro_long(1),
    ]  # fmt: skip
    (root / "users" / "users.avro").write_bytes(_avro_container(schema, records))


def _avro_long(value: int) -> bytes:
    encoded = (value << 1) ^ (value >> 63)
    out = bytearray()
    while encoded >= 0x80:
        out.append((encoded & 0x7F) | 0x80)
        encoded >>= 7
    out.append(encoded)
    return bytes(out)


def _avro_string(text: str) -> bytes:
    data = text.encode()
    return _avro_long(len(data)) + data


def _avro_container(schema: dict[str, Any], records: list[bytes]) -> bytes:
    sync = bytes(range(16))
    meta = {"avro.schema": json.dumps(schema).encode(), "avro.codec": b"null"}
    header = b"Obj\x01" + _avro_long(len(meta))
    for key, value in meta.items():
        header += _avro_string(key) + _avro_long(len(value)) + value
    header += _avro_long(0) + sync
    body = b"".join(records)
    return header + _avro_long(len(records)) + _avro_long(len(body)) + body + sync


def write_compressed_tree(root: Path) -> None:
    files = {
        "plain/data.csv": CSV_TEXT,
        "gzip/data.csv.gz": gzip.compress(CSV_TEXT),
        "bzip2/data.csv.bz2": bz2.compress(CSV_TEXT),
        "zstd/data.csv.zst": pa.compress(CSV_TEXT, codec="zstd", asbytes=True),
        "lz4/data.csv.lz4": pa.compress(CSV_TEXT, codec="lz4", asbytes=True),
        "snappy_framed/data.csv.sz": _snappy_framed(CSV_TEXT),
        "snappy_hadoop/data.csv.snappy": _snappy_hadoop(CSV_TEXT),
        "zip/data.zip": _zip(CSV_TEXT),
    }
    for key, data in files.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_bytes(data)


def _snappy_raw(data: bytes) -> bytes:
    return pa.compress(data, codec="snappy", asbytes=True)  # type: ignore[no-any-return]


def _snappy_hadoop(data: bytes) -> bytes:
    block = _snappy_raw(data)
    return struct.pack(">II", len(data), len(block)) + block


def _snappy_framed(data: bytes) -> bytes:
    body = struct.pack("<I", _masked_crc32c(data)) + _snappy_raw(data)
    chunk = b"\x00" + len(body).to_bytes(3, "little") + body
    return b"\xff\x06\x00\x00sNaPpY" + chunk


def _masked_crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", data)
    return buffer.getvalue()
