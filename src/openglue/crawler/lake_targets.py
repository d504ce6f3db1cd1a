"""DeltaTargets and IcebergTargets: tables catalogued from their metadata, never their data.

A Delta table's schema, partition columns and live files come from its transaction log
(``openglue.crawler.delta_log``); an Iceberg table's schema, partition spec, location and totals
from its current metadata file (``openglue.crawler.iceberg_metadata``). Each becomes one
``TablePlan`` the way Glue's crawler catalogs them: Delta tables with ``classification``
``delta`` (and ``spark.sql.sources.provider`` ``delta``, so Spark reads them through the log),
Iceberg tables with ``table_type`` ``ICEBERG`` and ``metadata_location`` naming the current
metadata file. A path may be a table or a folder holding tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from openglue.crawler.delta_log import LOG, DeltaLogError, DeltaState, read_delta_log
from openglue.crawler.exclusions import Exclusions
from openglue.crawler.iceberg_metadata import (
    METADATA,
    IcebergError,
    IcebergMetadata,
    current_metadata_key,
    read_metadata,
)
from openglue.crawler.lake_types import LakeSchemaError, iceberg_to_hive, spark_to_hive
from openglue.crawler.partition_layout import sanitize_name
from openglue.crawler.plan import (
    ColumnPlan,
    Decision,
    ObjectSource,
    SkippedObject,
    TablePlan,
    TargetPlan,
)
from openglue.crawler.table_plan import TableNames

__all__ = ["plan_delta_target", "plan_iceberg_target"]

_PARQUET = (
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
)
_ICEBERG = (
    "org.apache.iceberg.mr.hive.HiveIcebergInputFormat",
    "org.apache.iceberg.mr.hive.HiveIcebergOutputFormat",
    "org.apache.iceberg.mr.hive.HiveIcebergSerDe",
)
DEFAULT_TRAVERSAL_DEPTH = 10  # IcebergTarget.MaximumTraversalDepth when not given


def _tables_under(keys: Sequence[str], marker: str) -> dict[str, list[str]]:
    """Table folders ('' for the root, else ending in '/') whose ``marker`` folder holds
    ``keys``, with those keys."""
    found: dict[str, list[str]] = {}
    for key in keys:
        at = key.find(marker)
        while at > 0 and key[at - 1] != "/":
            at = key.find(marker, at + 1)
        if at >= 0 and "/" not in key[at + len(marker) :]:
            found.setdefault(key[:at], []).append(key)
    return found


def _name(source: ObjectSource, prefix: str) -> str:
    folder = prefix.rstrip("/").rsplit("/", 1)[-1] if prefix else ""
    return sanitize_name(folder or unquote(source.root_uri.rstrip("/")).rsplit("/", 1)[-1])


def _location(source: ObjectSource, prefix: str) -> str:
    return source.uri(prefix) if prefix else source.root_uri


def plan_delta_target(source: ObjectSource, native: bool = True) -> TargetPlan:
    """One DeltaTables path. ``native`` is CreateNativeDeltaTable; tables are catalogued
    natively either way (symlink manifests are not written), which the plan says."""
    plan = TargetPlan(source.root_uri)
    keys = [info.key for info in source.list()]
    tables = _tables_under(keys, LOG)
    if not tables:
        plan.decisions.append(
            Decision("skipped", source.root_uri, "no Delta table here: no _delta_log/ folder")
        )
        return plan
    if not native:
        plan.decisions.append(
            Decision(
                "delta",
                source.root_uri,
                "CreateNativeDeltaTable is false, but OpenGlue writes no symlink manifests: "
                "the tables are catalogued as native Delta tables, read through their log",
            )
        )
    names = TableNames()
    for prefix, log_keys in sorted(tables.items()):
        try:
            state = read_delta_log(source, prefix, log_keys)
            table = _delta_table(source, prefix, state, names)
        except (DeltaLogError, LakeSchemaError, KeyError, TypeError, ValueError) as exc:
            plan.skipped.append(SkippedObject(prefix + LOG, f"not a readable Delta log: {exc}"))
            continue
        plan.tables.append(table)
        keys_text = ", ".join(k.name for k in table.partition_keys) or "none"
        plan.decisions.append(
            Decision(
                "table",
                table.name,
                f"Delta table at {table.location}: version {state.version}, "
                f"{len(table.columns)} columns, partition columns ({keys_text}), "
                f"{len(state.files)} live files",
            )
        )
    return plan


def _delta_table(
    source: ObjectSource, prefix: str, state: DeltaState, names: TableNames
) -> TablePlan:
    fields = state.schema().get("fields") or []
    types = {f["name"]: spark_to_hive(f["type"]) for f in fields}
    partitioned = state.partition_columns
    missing = [name for name in partitioned if name not in types]
    if missing:
        raise DeltaLogError(f"partition column(s) {', '.join(missing)} are not in the schema")
    columns = tuple(
        ColumnPlan(f["name"], types[f["name"]], _comment(f.get("metadata")))
        for f in fields
        if f["name"] not in partitioned
    )
    location = _location(source, prefix)
    size = sum(size for size, _ in state.files.values())
    rows = [count for _, count in state.files.values()]
    parameters = {
        "classification": "delta",
        "table_type": "DELTA",
        "spark.sql.sources.provider": "delta",
        "compressionType": "none",
        "typeOfData": "file",
        "objectCount": str(len(state.files)),
        "sizeKey": str(size),
    }
    if rows and all(count is not None for count in rows):
        records = sum(count or 0 for count in rows)
        parameters["recordCount"] = str(records)
        parameters["averageRecordSize"] = str(round(size / records) if records else 0)
    input_format, output_format, serde = _PARQUET
    return TablePlan(
        name=names.claim(_name(source, prefix), None),
        location=location,
        classification="delta",
        columns=columns,
        partition_keys=tuple(ColumnPlan(name, types[name]) for name in partitioned),
        partitions=(),
        input_format=input_format,
        output_format=output_format,
        serde_library=serde,
        serde_parameters={"serialization.format": "1", "path": location},
        parameters=parameters,
        object_keys=tuple(sorted(prefix + key for key in state.files)),
    )


def _comment(metadata: object) -> str | None:
    comment = metadata.get("comment") if isinstance(metadata, dict) else None
    return comment if isinstance(comment, str) else None


def plan_iceberg_target(
    source: ObjectSource, exclusions: Sequence[str] = (), max_depth: int | None = None
) -> TargetPlan:
    """One IcebergTargets path: every table whose ``metadata/`` folder is at most
    ``max_depth`` folders below it and not excluded."""
    plan = TargetPlan(source.root_uri)
    depth = max_depth or DEFAULT_TRAVERSAL_DEPTH
    excluded = Exclusions(exclusions)
    keys = [info.key for info in source.list()]
    names = TableNames()
    for prefix, meta_keys in sorted(_tables_under(keys, METADATA).items()):
        level = prefix.count("/") + 1  # the metadata folder's depth below the path
        pattern = excluded.matching(prefix + METADATA) if prefix else None
        if pattern is not None or level > depth:
            why = (
                f"matches exclusion pattern {pattern!r}"
                if pattern is not None
                else f"its metadata folder is {level} levels deep (MaximumTraversalDepth {depth})"
            )
            plan.skipped.append(SkippedObject(prefix + METADATA, why))
            continue
        try:
            metadata = read_metadata(source, current_metadata_key(source, prefix, meta_keys))
            table = _iceberg_table(source, metadata, names, prefix)
        except (IcebergError, LakeSchemaError, KeyError, TypeError, ValueError) as exc:
            plan.skipped.append(SkippedObject(prefix + METADATA, f"not Iceberg metadata: {exc}"))
            continue
        plan.tables.append(table)
        spec = ", ".join(_transform(f) for f in metadata.partition_fields) or "unpartitioned"
        plan.decisions.append(
            Decision(
                "table",
                table.name,
                f"Iceberg table (format v{metadata.format_version}) at {metadata.location}: "
                f"{len(table.columns)} columns, partition spec {spec} (hidden partitioning: "
                f"engines read partitions from the metadata), from {metadata.key}",
            )
        )
    if not plan.tables and not plan.skipped:
        plan.decisions.append(
            Decision("skipped", source.root_uri, "no Iceberg table here: no metadata/ folder")
        )
    return plan


def _iceberg_table(
    source: ObjectSource, metadata: IcebergMetadata, names: TableNames, prefix: str
) -> TablePlan:
    columns = tuple(
        ColumnPlan(f["name"], iceberg_to_hive(f["type"]), f.get("doc"))
        for f in metadata.schema.get("fields") or []
    )
    parameters = {
        "table_type": "ICEBERG",
        "metadata_location": source.uri(metadata.key),
        "typeOfData": "file",
    }
    if metadata.previous:
        parameters["previous_metadata_location"] = metadata.previous
    totals = {
        "recordCount": "total-records",
        "objectCount": "total-data-files",
        "sizeKey": "total-files-size",
    }
    for parameter, total in totals.items():
        if total in metadata.summary:
            parameters[parameter] = metadata.summary[total]
    input_format, output_format, serde = _ICEBERG
    return TablePlan(
        name=names.claim(_name(source, prefix), None),
        location=metadata.location,
        classification="iceberg",
        columns=columns,
        partition_keys=(),
        partitions=(),
        input_format=input_format,
        output_format=output_format,
        serde_library=serde,
        serde_parameters={},
        parameters=parameters,
        object_keys=(metadata.key,),
    )


def _transform(field: dict[str, object]) -> str:
    return f"{field.get('transform', 'identity')}(field {field.get('source-id', '?')})"
