"""Writing: S3 (and local) files by options, and into Data Catalog tables.

``write_options`` serves ``write_dynamic_frame.from_options`` / ``getSink``: ``path``,
``partitionKeys`` (Hive-style ``key=value`` folders) and ``compression``. Writes append, as
Glue's do.

``write_catalog`` serves ``write_dynamic_frame.from_catalog``: the table's location and format;
CSV gets the table's delimiter and header setting and its columns in the table's order (CSV is
positional); a partitioned table is written in its partition folders unless
``partitionKeys`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from awsglue import catalog, formats, storage
from awsglue.engine import is_connect_session
from awsglue.sources import FILE_CONNECTIONS, spark_schema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["write_catalog", "write_options"]


def _partition_keys(options: Mapping[str, Any]) -> list[str]:
    keys = options.get("partitionKeys") or []
    return [keys] if isinstance(keys, str) else [str(k) for k in keys]


def write_options(
    frame: DataFrame,
    connection_type: str,
    connection_options: Mapping[str, Any],
    fmt: str | None,
    format_options: Mapping[str, Any] | None,
) -> None:
    kind = connection_type.strip().lower()
    if kind not in FILE_CONNECTIONS:
        raise ValueError(
            f"connection_type {connection_type!r} is not supported yet; use s3 (or local paths)"
        )
    if kind in ("parquet", "orc"):
        fmt = kind
    path = connection_options.get("path")
    if not path:
        raise ValueError("connection_options needs 'path' (an s3:// or local folder)")
    if not frame.columns:
        # A frame without fields (a bookmarked source with nothing new) has nothing to write;
        # Glue writes no files for it, and Spark would refuse the empty schema.
        return
    target = storage.resolve(str(path), connect=is_connect_session(frame.sparkSession))
    formats.write_files(
        frame,
        target,
        fmt,
        format_options,
        partition_keys=_partition_keys(connection_options),
        compression=connection_options.get("compression"),
    )


def _write_format_options(table: catalog.CatalogTable) -> dict[str, Any]:
    options = table.format_options()
    if table.classification == "csv":
        options["writeHeader"] = options.pop("withHeader", False)
        options.pop("escaper", None)
    return options


def write_catalog(
    frame: DataFrame,
    client: Any,
    database: str,
    table_name: str,
    additional_options: Mapping[str, Any] | None = None,
    catalog_id: str | None = None,
    *,
    table: catalog.CatalogTable | None = None,
) -> catalog.CatalogTable:
    """Append ``frame`` to the table's files (``table`` when the caller already fetched it);
    returns the table it wrote to."""
    from pyspark.sql import functions as F

    from awsglue.field_paths import quote

    options = dict(additional_options or {})
    if table is None:
        table = catalog.get_table(client, database, table_name, catalog_id)
    keys = _partition_keys(options)
    if not keys and table.partition_keys:
        table_keys = [k.name for k in table.partition_keys]
        lowered = {c.lower(): c for c in frame.columns}
        if all(k.lower() in lowered for k in table_keys):
            keys = [lowered[k.lower()] for k in table_keys]
    if table.classification == "csv":
        names = {c.lower(): c for c in frame.columns}
        schema = spark_schema(table.columns)
        columns = [
            F.col(quote(names[f.name.lower()])).try_cast(f.dataType).alias(f.name)
            if f.name.lower() in names
            else F.lit(None).cast(f.dataType).alias(f.name)
            for f in schema.fields
        ]
        frame = frame.select(*columns, *[F.col(quote(k)) for k in keys])
    target = storage.resolve(table.location, connect=is_connect_session(frame.sparkSession))
    formats.write_files(
        frame,
        target,
        table.classification,
        _write_format_options(table),
        partition_keys=keys,
        compression=options.get("compression"),
    )
    return table
