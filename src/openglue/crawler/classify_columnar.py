"""Avro, ORC and Parquet: the schema comes from the file's own metadata, no data is read.

Parquet and ORC footers are read through pyarrow; the Avro container header (magic, then a
metadata map holding ``avro.schema``) is simple enough to decode here, which saves a dependency.
Record counts come from the same metadata (Parquet/ORC footers, Avro block headers), so the
table's ``recordCount`` is exact for these formats.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq

from openglue.crawler.hive_schema import (
    STRING,
    HiveType,
    array_of,
    map_of,
    primitive,
    struct_of,
)
from openglue.crawler.probe import FileSchema, Probe

__all__ = ["arrow_to_hive", "classify_avro", "classify_orc", "classify_parquet"]


def classify_parquet(probe: Probe) -> FileSchema | None:
    if not probe.magic.startswith(b"PAR1"):
        return None
    metadata = pq.read_metadata(probe.seekable_stream())
    schema = metadata.schema.to_arrow_schema()
    return FileSchema(
        "parquet",
        _columns(schema),
        records=metadata.num_rows,
        record_bytes=probe.info.size,
        exact=True,
    )


def classify_orc(probe: Probe) -> FileSchema | None:
    if not probe.magic.startswith(b"ORC"):
        return None
    reader = orc.ORCFile(probe.seekable_stream())
    return FileSchema(
        "orc", _columns(reader.schema), reader.nrows, record_bytes=probe.info.size, exact=True
    )


def _columns(schema: pa.Schema) -> tuple[tuple[str, HiveType], ...]:
    return tuple((field.name, arrow_to_hive(field.type)) for field in schema)


def arrow_to_hive(kind: pa.DataType) -> HiveType:
    """Arrow's type as the Hive type Glue writes for the same Parquet/ORC column."""
    if pa.types.is_dictionary(kind):
        return arrow_to_hive(kind.value_type)
    if pa.types.is_struct(kind):
        return struct_of(
            (kind.field(i).name, arrow_to_hive(kind.field(i).type)) for i in range(kind.num_fields)
        )
    if pa.types.is_map(kind):
        return map_of(arrow_to_hive(kind.key_type), arrow_to_hive(kind.item_type))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return array_of(arrow_to_hive(kind.value_type))
    if pa.types.is_decimal(kind):
        return primitive(f"decimal({kind.precision},{kind.scale})")
    if pa.types.is_timestamp(kind):
        return primitive("timestamp")
    return primitive(_ARROW_SCALARS.get(str(kind), "string"))


_ARROW_SCALARS = {
    "bool": "boolean",
    "int8": "tinyint",
    "int16": "smallint",
    "int32": "int",
    "int64": "bigint",
    # Hive has no unsigned integers: the next wider signed type holds every value
    "uint8": "smallint",
    "uint16": "int",
    "uint32": "bigint",
    "uint64": "bigint",
    "halffloat": "float",
    "float": "float",
    "double": "double",
    "date32[day]": "date",
    "date64[ms]": "date",
    "binary": "binary",
    "large_binary": "binary",
    "string": "string",
    "large_string": "string",
}


def classify_avro(probe: Probe) -> FileSchema | None:
    if not probe.magic.startswith(b"Obj\x01"):
        return None
    stream = probe.seekable_stream()
    stream.seek(4)
    metadata = _avro_metadata(stream)
    literal = metadata["avro.schema"].decode("utf-8")
    schema = json.loads(literal)
    stream.read(16)  # sync marker
    kind = _avro_type(schema, {})
    columns = kind.fields if kind.kind == "struct" else (("col0", kind),)
    return FileSchema(
        "avro",
        columns,
        records=_avro_record_count(stream),
        record_bytes=probe.info.size,
        exact=True,
        extras=(("avro.schema.literal", literal),),
    )


def _avro_metadata(stream: BinaryIO) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    while True:
        count = _zigzag(stream)
        if count == 0:
            return found
        if count < 0:  # a negative count is followed by the block's size in bytes
            count = -count
            _zigzag(stream)
        for _ in range(count):
            key = stream.read(_zigzag(stream)).decode("utf-8")
            found[key] = stream.read(_zigzag(stream))


def _avro_record_count(stream: BinaryIO) -> int:
    """Sum of the data blocks' record counts, skipping over each block's bytes."""
    total = 0
    while True:
        try:
            count = _zigzag(stream)
        except EOFError:
            return total
        size = _zigzag(stream)
        total += abs(count)
        stream.seek(size + 16, 1)  # block data, then the sync marker


def _zigzag(stream: BinaryIO) -> int:
    value = shift = 0
    while True:
        byte = stream.read(1)
        if not byte:
            raise EOFError("end of Avro data")
        value |= (byte[0] & 0x7F) << shift
        if byte[0] < 0x80:
            return (value >> 1) ^ -(value & 1)
        shift += 7


def _avro_type(schema: Any, named: dict[str, HiveType]) -> HiveType:
    if isinstance(schema, str):
        return named.get(schema) or primitive(_AVRO_SCALARS.get(schema, "string"))
    if isinstance(schema, list):
        branches = [_avro_type(branch, named) for branch in schema if branch != "null"]
        if len(branches) == 1:
            return branches[0]  # ["null", T] is how Avro spells a nullable T
        return primitive("uniontype<" + ",".join(b.render() for b in branches) + ">")
    logical = schema.get("logicalType")
    if logical == "decimal":
        return primitive(f"decimal({schema.get('precision', 10)},{schema.get('scale', 0)})")
    if logical == "date":
        return primitive("date")
    if logical in ("timestamp-millis", "timestamp-micros"):
        return primitive("timestamp")
    kind = schema.get("type")
    if kind == "record":
        record = struct_of(
            (field["name"], _avro_type(field["type"], named)) for field in schema["fields"]
        )
        named[schema["name"]] = record
        return record
    if kind == "array":
        return array_of(_avro_type(schema["items"], named))
    if kind == "map":
        return map_of(STRING, _avro_type(schema["values"], named))
    if kind == "enum":
        return STRING
    if kind == "fixed":
        return primitive("binary")
    return _avro_type(kind, named)


_AVRO_SCALARS = {
    "boolean": "boolean",
    "int": "int",
    "long": "bigint",
    "float": "float",
    "double": "double",
    "bytes": "binary",
    "string": "string",
}
