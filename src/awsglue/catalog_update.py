"""``enableUpdateCatalog`` on a sink: after the files are written, make the catalog describe them.

A missing table is created (EXTERNAL_TABLE at the sink's path, with the frame's columns in Hive
types, the format's SerDe and the partition keys); with ``updateBehavior`` ``UPDATE_IN_DATABASE``
(the default) an existing table gains the frame's new columns (``LOG`` leaves it alone); the
partitions the frame wrote are added when missing, in either case — as Glue does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType

__all__ = ["storage_descriptor", "update_catalog"]

log = logging.getLogger("awsglue.catalog_update")

_TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
# format → (SerDe, SerDe parameters, InputFormat, OutputFormat)
_STORAGE: Mapping[str, tuple[str, Mapping[str, str], str, str]] = {
    "parquet": (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {"serialization.format": "1"},
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    ),
    "orc": (
        "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
        {},
        "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
    ),
    "json": ("org.openx.data.jsonserde.JsonSerDe", {}, _TEXT_IN, _TEXT_OUT),
    "csv": (
        "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        {"field.delim": ","},
        _TEXT_IN,
        _TEXT_OUT,
    ),
}
_TABLE_INPUT_KEYS = (
    "Name",
    "Description",
    "Owner",
    "Retention",
    "StorageDescriptor",
    "PartitionKeys",
    "TableType",
    "Parameters",
)


def _hive_type(data_type: DataType) -> str:
    from awsglue import gluetypes

    return gluetypes.from_spark(data_type).simpleString()


def storage_descriptor(
    columns: Sequence[Mapping[str, str]], location: str, fmt: str
) -> dict[str, Any]:
    name = "parquet" if fmt in ("glueparquet", "parquet") else fmt
    if name not in _STORAGE:
        raise ValueError(f"enableUpdateCatalog cannot describe format {fmt!r} in the catalog")
    serde, serde_parameters, input_format, output_format = _STORAGE[name]
    return {
        "Columns": list(columns),
        "Location": location if location.endswith("/") else location + "/",
        "InputFormat": input_format,
        "OutputFormat": output_format,
        "SerdeInfo": {"SerializationLibrary": serde, "Parameters": dict(serde_parameters)},
        "Parameters": {"classification": name},
    }


def update_catalog(
    client: Any,
    frame: DataFrame,
    database: str,
    table_name: str,
    *,
    location: str,
    fmt: str,
    partition_keys: Sequence[str],
    update_behavior: str = "UPDATE_IN_DATABASE",
    catalog_id: str | None = None,
) -> None:
    catalog_args = {"CatalogId": catalog_id} if catalog_id else {}
    types = {f.name: _hive_type(f.dataType) for f in frame.schema.fields}
    columns = [{"Name": n, "Type": t} for n, t in types.items() if n not in partition_keys]
    keys = [{"Name": k, "Type": types[k]} for k in partition_keys]
    try:
        table = client.get_table(DatabaseName=database, Name=table_name, **catalog_args)["Table"]
    except client.exceptions.EntityNotFoundException:
        descriptor = storage_descriptor(columns, location, fmt)
        client.create_table(
            DatabaseName=database,
            TableInput={
                "Name": table_name,
                "TableType": "EXTERNAL_TABLE",
                "StorageDescriptor": descriptor,
                "PartitionKeys": keys,
                "Parameters": dict(descriptor["Parameters"]),
            },
            **catalog_args,
        )
        log.info("created catalog table %s.%s", database, table_name)
        table = client.get_table(DatabaseName=database, Name=table_name, **catalog_args)["Table"]
    else:
        if update_behavior.upper() == "UPDATE_IN_DATABASE":
            _add_columns(client, database, table, columns, catalog_args)
    if partition_keys:
        _add_partitions(client, frame, database, table, list(partition_keys), catalog_args)


def _add_columns(
    client: Any,
    database: str,
    table: Mapping[str, Any],
    columns: list[dict[str, str]],
    catalog_args: Mapping[str, str],
) -> None:
    descriptor = dict(table.get("StorageDescriptor") or {})
    known = {c["Name"].lower() for c in descriptor.get("Columns", [])}
    known |= {k["Name"].lower() for k in table.get("PartitionKeys", [])}
    new = [c for c in columns if c["Name"].lower() not in known]
    if not new:
        return
    descriptor["Columns"] = [*descriptor.get("Columns", []), *new]
    table_input = {k: table[k] for k in _TABLE_INPUT_KEYS if k in table}
    table_input["StorageDescriptor"] = descriptor
    client.update_table(DatabaseName=database, TableInput=table_input, **catalog_args)
    log.info("added columns %s to %s.%s", [c["Name"] for c in new], database, table["Name"])


def _add_partitions(
    client: Any,
    frame: DataFrame,
    database: str,
    table: Mapping[str, Any],
    keys: list[str],
    catalog_args: Mapping[str, str],
) -> None:
    from awsglue.field_paths import quote

    descriptor = table.get("StorageDescriptor") or {}
    root = str(descriptor.get("Location", "")).rstrip("/")
    values = [
        [_partition_text(row[k]) for k in keys]
        for row in frame.select(*[quote(k) for k in keys]).distinct().collect()
    ]
    inputs = []
    for partition_values in values:
        folders = "/".join(f"{k}={v}" for k, v in zip(keys, partition_values, strict=True))
        partition_descriptor = {**descriptor, "Location": f"{root}/{folders}/"}
        inputs.append({"Values": partition_values, "StorageDescriptor": partition_descriptor})
    for start in range(0, len(inputs), 100):
        result = client.batch_create_partition(
            DatabaseName=database,
            TableName=table["Name"],
            PartitionInputList=inputs[start : start + 100],
            **catalog_args,
        )
        for error in result.get("Errors", []):
            if error.get("ErrorDetail", {}).get("ErrorCode") != "AlreadyExistsException":
                log.warning("partition %s not added: %s", error.get("PartitionValues"), error)


def _partition_text(value: Any) -> str:
    # Spark's folder name for a null partition value.
    return "__HIVE_DEFAULT_PARTITION__" if value is None else str(value)
