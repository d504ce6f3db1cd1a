"""Reading: S3 (and local) files by options, and Data Catalog tables.

``read_options`` serves ``from_options`` / ``getSource``: ``connection_type`` ``s3`` (or
``parquet`` / ``orc``), ``connection_options`` ``paths`` (``recurse``, ``exclusions``), and a
``push_down_predicate`` applied to Hive-style partition columns Spark discovers in the paths.

``read_catalog`` serves ``from_catalog``: the table's location, format and SerDe options come
from the catalog, its columns' types are applied to the read (CSV columns by position, the
self-describing formats' by name, case aside; values that do not fit their type become null).
For a partitioned table only the partitions that ``GetPartitions`` returns for the
``push_down_predicate`` (and ``catalogPartitionPredicate``) are read, each with its partition
values as columns of the key types. Glue writes push-down predicates in Spark SQL
(``year == '2024'``), so ``==`` and ``!=`` are sent as ``=`` and ``<>``; a predicate the catalog
cannot evaluate is evaluated here, with Spark, over the partition values.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from functools import reduce
from typing import TYPE_CHECKING, Any

from awsglue import catalog, formats, storage
from awsglue.bookmarked_sources import choose_files
from awsglue.engine import is_connect_session
from awsglue.partition_folders import read_with_partition_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

__all__ = ["FILE_CONNECTIONS", "read_catalog", "read_options", "spark_schema"]

log = logging.getLogger("awsglue.sources")

FILE_CONNECTIONS = frozenset({"s3", "parquet", "orc", "file"})


def _flag(value: Any) -> bool:
    return value.strip().lower() == "true" if isinstance(value, str) else bool(value)


def _engine_path(session: SparkSession, address: str) -> str:
    return storage.resolve(address, connect=is_connect_session(session))


def _paths(connection_options: Mapping[str, Any]) -> list[str]:
    raw = connection_options.get("paths", connection_options.get("path"))
    paths = [raw] if isinstance(raw, str) else list(raw or [])
    if not paths:
        raise ValueError("connection_options needs 'paths' (a list of s3:// or local paths)")
    return [str(p) for p in paths]


def _exclude(paths: list[str], exclusions: Any, recurse: bool) -> list[str]:
    """Expand local folders into files minus the ``exclusions`` globs (full-path globs, as
    JSON text or a list)."""
    patterns = json.loads(exclusions) if isinstance(exclusions, str) else list(exclusions)
    kept: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            kept.append(path)
            continue
        walker = os.walk(path) if recurse else [(path, [], os.listdir(path))]
        for folder, _dirs, names in walker:
            for name in names:
                full = os.path.join(folder, name)
                hidden = name.startswith(("_", "."))
                if os.path.isfile(full) and not hidden and not _excluded(full, patterns):
                    kept.append(full)
    return kept


def _excluded(path: str, patterns: list[str]) -> bool:
    return any(_glob_match(path, pattern) for pattern in patterns)


def _glob_match(path: str, pattern: str) -> bool:
    tail = re.sub(r"^s3://[^/]+/", "", pattern)
    return fnmatch.fnmatch(path, "*" + tail.replace("**", "*"))


def read_options(
    session: SparkSession,
    connection_type: str,
    connection_options: Mapping[str, Any],
    fmt: str | None,
    format_options: Mapping[str, Any] | None,
    push_down_predicate: str = "",
    *,
    transformation_ctx: str = "",
) -> DataFrame:
    kind = connection_type.strip().lower()
    if kind not in FILE_CONNECTIONS:
        raise ValueError(
            f"connection_type {connection_type!r} is not supported yet; use s3 (or local paths)"
        )
    if kind in ("parquet", "orc"):
        fmt = kind
    recurse = _flag(connection_options.get("recurse", False))
    paths = [_engine_path(session, p) for p in _paths(connection_options)]
    if connection_options.get("exclusions"):
        paths = _exclude(paths, connection_options["exclusions"], recurse)
    chosen = choose_files(transformation_ctx, paths, connection_options, recurse=recurse)
    if chosen is None:
        frame = formats.read_files(session, paths, fmt, format_options, recurse=recurse)
    elif not any(chosen.values()):  # nothing new since the last committed bookmark
        from pyspark.sql.types import StructType

        return session.createDataFrame([], StructType([]))
    elif recurse:  # Spark discovers no partition folders under recursiveFileLookup either
        files = [file for chosen_files in chosen.values() for file in chosen_files]
        frame = formats.read_files(session, files, fmt, format_options, recurse=recurse)
    else:
        frame = read_with_partition_columns(
            chosen, lambda files: formats.read_files(session, files, fmt, format_options)
        )
    return frame.filter(push_down_predicate) if push_down_predicate.strip() else frame


def spark_schema(columns: Sequence[catalog.Column]) -> StructType:
    """The Spark schema of catalog columns (Hive type strings)."""
    from pyspark.sql.types import StructField, StructType

    from awsglue import gluetypes

    return StructType(
        [StructField(c.name, gluetypes.parse_hive_type_to_spark(c.type), True) for c in columns]
    )


def _conform(frame: DataFrame, schema: StructType) -> DataFrame:
    """``frame`` with exactly the catalog's columns: matched by name (case aside), cast."""
    from pyspark.sql import functions as F

    from awsglue.field_paths import quote

    by_name = {name.lower(): (name, frame.schema[name].dataType) for name in frame.columns}
    columns = []
    for field in schema.fields:
        found = by_name.get(field.name.lower())
        if found is None:
            columns.append(F.lit(None).cast(field.dataType).alias(field.name))
        elif found[1] == field.dataType:
            columns.append(F.col(quote(found[0])).alias(field.name))
        else:
            columns.append(F.col(quote(found[0])).try_cast(field.dataType).alias(field.name))
    return frame.select(*columns)


def _read_location(
    session: SparkSession,
    table: catalog.CatalogTable,
    location: str,
    schema: StructType,
    files: list[str] | None = None,
) -> DataFrame:
    """Read the table's files at ``location`` (or only ``files`` of it, when given)."""
    from pyspark.sql.types import StringType, StructField, StructType

    path = _engine_path(session, location)
    if not storage.is_s3(path) and not os.path.exists(storage.local_path(path)):
        return session.createDataFrame([], schema)  # a table whose folder is not written yet
    if files is not None and not files:
        return session.createDataFrame([], schema)  # nothing new since the last bookmark
    paths = [path] if files is None else files
    if table.classification == "csv":
        # Parsed as text, then cast: a value that is not of its column's type becomes null on
        # every engine (Sail's typed CSV reader fails the whole read instead).
        text = StructType([StructField(f.name, StringType(), True) for f in schema.fields])
        frame = formats.read_files(session, paths, "csv", table.format_options(), schema=text)
    else:
        frame = formats.read_files(session, paths, table.classification, table.format_options())
    return _conform(frame, schema)


def _server_expression(predicate: str) -> str:
    """Spark SQL comparison spellings the catalog's expression language writes differently."""
    parts = re.split(r"('(?:[^']|'')*')", predicate)  # keep quoted literals untouched
    for index in range(0, len(parts), 2):
        parts[index] = parts[index].replace("==", "=").replace("!=", "<>")
    return "".join(parts)


def _partitions(
    session: SparkSession,
    client: Any,
    table: catalog.CatalogTable,
    predicate: str,
    catalog_predicate: str,
    catalog_id: str | None,
) -> list[catalog.CatalogPartition]:
    expressions = [f"({p})" for p in (catalog_predicate, predicate) if p.strip()]
    try:
        return catalog.get_partitions(
            client, table, _server_expression(" AND ".join(expressions)), catalog_id
        )
    except client.exceptions.InvalidInputException as error:
        if not predicate.strip():
            raise
        log.info("push_down_predicate evaluated by Spark (the catalog refused it: %s)", error)
    candidates = catalog.get_partitions(client, table, catalog_predicate, catalog_id)
    return _filter_partitions(session, table, candidates, predicate)


def _filter_partitions(
    session: SparkSession,
    table: catalog.CatalogTable,
    partitions: list[catalog.CatalogPartition],
    predicate: str,
) -> list[catalog.CatalogPartition]:
    from pyspark.sql import functions as F

    if not partitions:
        return []
    keys = spark_schema(table.partition_keys)
    text_schema = ", ".join(f"`{k.name}` string" for k in table.partition_keys) + ", __i int"
    rows = [(*p.values, index) for index, p in enumerate(partitions)]
    values = session.createDataFrame(rows, text_schema)
    typed = values.select(
        *[F.col(f"`{f.name}`").try_cast(f.dataType).alias(f.name) for f in keys.fields], "__i"
    )
    chosen = {row["__i"] for row in typed.filter(predicate).select("__i").collect()}
    return [p for index, p in enumerate(partitions) if index in chosen]


def _bookmarked(
    session: SparkSession, ctx: str, locations: list[str], options: Mapping[str, Any]
) -> dict[str, list[str]] | None:
    """The files to read at each catalog location under job bookmarks (None: all)."""
    engine_paths = {location: _engine_path(session, location) for location in locations}
    chosen = choose_files(ctx, list(dict.fromkeys(engine_paths.values())), options)
    if chosen is None:
        return None
    return {location: chosen[path] for location, path in engine_paths.items()}


def read_catalog(
    session: SparkSession,
    client: Any,
    database: str,
    table_name: str,
    push_down_predicate: str = "",
    additional_options: Mapping[str, Any] | None = None,
    catalog_id: str | None = None,
    *,
    transformation_ctx: str = "",
    table: catalog.CatalogTable | None = None,
) -> DataFrame:
    """Read a catalog table (``table`` when the caller already fetched it)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    options = dict(additional_options or {})
    if table is None:
        table = catalog.get_table(client, database, table_name, catalog_id)
    data_schema = spark_schema(table.columns)
    if not table.partition_keys:
        picked = _bookmarked(session, transformation_ctx, [table.location], options)
        files = None if picked is None else picked[table.location]
        return _read_location(session, table, table.location, data_schema, files)
    key_schema = spark_schema(table.partition_keys)
    catalog_predicate = str(options.get("catalogPartitionPredicate", "") or "")
    chosen = _partitions(session, client, table, push_down_predicate, catalog_predicate, catalog_id)
    log.info("reading %d partition(s) of %s", len(chosen), table.qualified_name)
    locations = [partition.location for partition in chosen]
    files_of = _bookmarked(session, transformation_ctx, locations, options)
    frames: list[DataFrame] = []
    for partition in chosen:
        files = None if files_of is None else files_of[partition.location]
        if files == []:
            continue  # no new file in this partition
        frame = _read_location(session, table, partition.location, data_schema, files)
        values = [
            F.lit(value).try_cast(field.dataType).alias(field.name)
            for value, field in zip(partition.values, key_schema.fields, strict=True)
        ]
        frames.append(frame.select("*", *values))
    if not frames:
        return session.createDataFrame([], StructType(data_schema.fields + key_schema.fields))
    return reduce(lambda left, right: left.unionByName(right), frames)
