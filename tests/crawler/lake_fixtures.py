"""Hand-written Delta logs and Iceberg metadata files, as the writers of those formats lay them
out (no Spark): enough of each specification for a crawler to read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

PROTOCOL = {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}


def spark_schema(*fields: tuple[str, Any]) -> str:
    return json.dumps(
        {
            "type": "struct",
            "fields": [
                {"name": name, "type": kind, "nullable": True, "metadata": {}}
                for name, kind in fields
            ],
        }
    )


ORDERS_SCHEMA = spark_schema(
    ("id", "long"),
    ("amount", "decimal(10,2)"),
    ("tags", {"type": "array", "elementType": "string", "containsNull": True}),
    (
        "buyer",
        {
            "type": "struct",
            "fields": [
                {"name": "name", "type": "string", "nullable": True, "metadata": {}},
                {"name": "age", "type": "integer", "nullable": True, "metadata": {}},
            ],
        },
    ),
    ("day", "date"),
)


def metadata_action(schema: str, partitions: list[str]) -> dict[str, Any]:
    return {
        "metaData": {
            "id": "5c8b1a9e-0000-4000-8000-000000000001",
            "format": {"provider": "parquet", "options": {}},
            "schemaString": schema,
            "partitionColumns": partitions,
            "configuration": {},
            "createdTime": 1700000000000,
        }
    }


def add_action(path: str, size: int, day: str, rows: int | None) -> dict[str, Any]:
    add: dict[str, Any] = {
        "path": path,
        "partitionValues": {"day": day},
        "size": size,
        "modificationTime": 1700000000000,
        "dataChange": True,
    }
    if rows is not None:
        add["stats"] = json.dumps({"numRecords": rows})
    return {"add": add}


def write_commit(table: Path, version: int, actions: list[dict[str, Any]]) -> None:
    log = table / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(action) for action in actions]
    (log / f"{version:020d}.json").write_text("\n".join(lines) + "\n")


def write_checkpoint(table: Path, version: int, schema: str, adds: list[tuple[str, int]]) -> None:
    """A single-part checkpoint: one row per action, the other action columns null."""
    meta = metadata_action(schema, ["day"])["metaData"]
    rows: list[dict[str, Any]] = [
        {"protocol": PROTOCOL["protocol"], "metaData": None, "add": None},
        {
            "protocol": None,
            "metaData": {
                "id": meta["id"],
                "schemaString": meta["schemaString"],
                "partitionColumns": meta["partitionColumns"],
            },
            "add": None,
        },
    ]
    for path, size in adds:
        rows.append(
            {
                "protocol": None,
                "metaData": None,
                "add": {
                    "path": path,
                    "size": size,
                    "partitionValues": [("day", path.split("=")[1].split("/")[0])],
                    "stats": json.dumps({"numRecords": 10}),
                },
            }
        )
    arrow_schema = pa.schema(
        [
            (
                "protocol",
                pa.struct([("minReaderVersion", pa.int32()), ("minWriterVersion", pa.int32())]),
            ),
            (
                "metaData",
                pa.struct(
                    [
                        ("id", pa.string()),
                        ("schemaString", pa.string()),
                        ("partitionColumns", pa.list_(pa.string())),
                    ]
                ),
            ),
            (
                "add",
                pa.struct(
                    [
                        ("path", pa.string()),
                        ("size", pa.int64()),
                        ("partitionValues", pa.map_(pa.string(), pa.string())),
                        ("stats", pa.string()),
                    ]
                ),
            ),
        ]
    )
    log = table / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=arrow_schema),
        log / f"{version:020d}.checkpoint.parquet",
    )


def iceberg_field(field_id: int, name: str, kind: Any, doc: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": field_id, "name": name, "required": False, "type": kind}
    if doc:
        entry["doc"] = doc
    return entry


def iceberg_v2(
    location: str, schemas: list[list[dict[str, Any]]], previous: str | None = None
) -> dict[str, Any]:
    """Format v2 metadata whose current schema is the last of ``schemas``, partitioned by
    day(ts), with one snapshot."""
    document: dict[str, Any] = {
        "format-version": 2,
        "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
        "location": location,
        "last-sequence-number": 1,
        "last-updated-ms": 1700000000000,
        "last-column-id": max(f["id"] for s in schemas for f in s),
        "current-schema-id": len(schemas) - 1,
        "schemas": [
            {"type": "struct", "schema-id": index, "fields": fields}
            for index, fields in enumerate(schemas)
        ],
        "default-spec-id": 0,
        "partition-specs": [
            {
                "spec-id": 0,
                "fields": [
                    {"name": "ts_day", "transform": "day", "source-id": 3, "field-id": 1000}
                ],
            }
        ],
        "last-partition-id": 1000,
        "default-sort-order-id": 0,
        "sort-orders": [{"order-id": 0, "fields": []}],
        "properties": {},
        "current-snapshot-id": 3051729675574597004,
        "snapshots": [
            {
                "snapshot-id": 3051729675574597004,
                "sequence-number": 1,
                "timestamp-ms": 1700000000000,
                "summary": {
                    "operation": "append",
                    "total-records": "42",
                    "total-data-files": "3",
                    "total-files-size": "4096",
                },
                "manifest-list": location + "/metadata/snap-3051729675574597004-1.avro",
                "schema-id": len(schemas) - 1,
            }
        ],
        "metadata-log": [],
    }
    if previous:
        document["metadata-log"] = [{"timestamp-ms": 1690000000000, "metadata-file": previous}]
    return document


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))
