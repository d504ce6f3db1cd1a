"""The TableInput and PartitionInput a crawler writes for a planned table, with the parameters
and storage descriptor Glue's crawlers write (reference §5.6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openglue.crawler.plan import ColumnPlan, PartitionPlan, TablePlan

CRAWLER_PARAMETERS = {
    "CrawlerSchemaDeserializerVersion": "1.0",
    "CrawlerSchemaSerializerVersion": "1.0",
}
UPDATED_BY = "UPDATED_BY_CRAWLER"
DEPRECATED_BY = "DEPRECATED_BY_CRAWLER"
# Statistics that change whenever files are added; a change in them alone is not a reason to
# write a new table version.
VOLATILE_PARAMETERS = frozenset(
    {"recordCount", "averageRecordSize", "objectCount", "sizeKey", "CRAWL_RUN_ID"}
)


def columns_of(columns: Sequence[ColumnPlan]) -> list[dict[str, str]]:
    out = []
    for column in columns:
        entry = {"Name": column.name.lower(), "Type": column.type}
        if column.comment:
            entry["Comment"] = column.comment
        out.append(entry)
    return out


def _descriptor(
    plan: TablePlan, columns: list[dict[str, str]], location: str, parameters: Mapping[str, str]
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "Columns": columns,
        "Location": location,
        "InputFormat": plan.input_format,
        "OutputFormat": plan.output_format,
        "Compressed": plan.compressed,
        "NumberOfBuckets": -1,
        "SerdeInfo": {
            "SerializationLibrary": plan.serde_library,
            "Parameters": dict(plan.serde_parameters),
        },
        "BucketColumns": [],
        "SortColumns": [],
        "Parameters": dict(parameters),
        "StoredAsSubDirectories": False,
    }
    # JDBC tables have no formats and no SerDe library: Glue leaves them out.
    for member in ("InputFormat", "OutputFormat"):
        if not descriptor[member]:
            del descriptor[member]
    if not plan.serde_library:
        del descriptor["SerdeInfo"]["SerializationLibrary"]
    return descriptor


def table_input(plan: TablePlan, name: str, crawler: str, owner: str | None) -> dict[str, Any]:
    """The TableInput for ``plan`` stored as table ``name`` by crawler ``crawler``."""
    parameters = {
        **plan.parameters,
        "classification": plan.classification,
        UPDATED_BY: crawler,
        **CRAWLER_PARAMETERS,
    }
    table: dict[str, Any] = {
        "Name": name,
        "Retention": 0,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": columns_of(plan.partition_keys),
        "StorageDescriptor": _descriptor(plan, columns_of(plan.columns), plan.location, parameters),
    }
    if owner:
        table["Owner"] = owner
    return table


def partition_input(
    plan: TablePlan,
    partition: PartitionPlan,
    table: Mapping[str, Any],
    *,
    inherit_from_table: bool,
) -> dict[str, Any]:
    """The PartitionInput for one planned partition of ``table`` (its stored TableInput).

    With InheritFromTable, the partition copies the table's schema and formats; otherwise it
    keeps the schema inferred from its own files, as Glue stores it."""
    table_parameters = table.get("Parameters", {})
    parameters = {k: v for k, v in table_parameters.items() if k not in VOLATILE_PARAMETERS}
    parameters["objectCount"] = str(partition.object_count)
    parameters["sizeKey"] = str(partition.size)
    if inherit_from_table:
        descriptor = {
            **table["StorageDescriptor"],
            "Location": partition.location,
            "Parameters": parameters,
        }
    else:
        descriptor = _descriptor(
            plan, columns_of(partition.columns), partition.location, parameters
        )
    return {
        "Values": list(partition.values),
        "StorageDescriptor": descriptor,
        "Parameters": parameters,
    }


def _column_pairs(columns: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(str(c["Name"]).lower(), str(c.get("Type", ""))) for c in columns]


def schema_of(table: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a crawler compares to decide whether a table changed: columns, partition keys,
    formats, SerDe, location and the non-statistics parameters."""
    descriptor = table.get("StorageDescriptor") or {}
    serde = descriptor.get("SerdeInfo") or {}
    parameters = {
        k: v for k, v in (table.get("Parameters") or {}).items() if k not in VOLATILE_PARAMETERS
    }
    return (
        _column_pairs(descriptor.get("Columns") or []),
        _column_pairs(table.get("PartitionKeys") or []),
        descriptor.get("Location"),
        descriptor.get("InputFormat"),
        descriptor.get("OutputFormat"),
        serde.get("SerializationLibrary"),
        serde.get("Parameters") or {},
        sorted(parameters.items()),
    )


def merged_columns(
    existing: Sequence[Mapping[str, Any]], planned: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """MergeNewColumns: the existing columns untouched, then the planned ones not there yet;
    and the names added."""
    have = {str(c["Name"]).lower() for c in existing}
    added = [dict(c) for c in planned if str(c["Name"]).lower() not in have]
    return [dict(c) for c in existing] + added, [str(c["Name"]) for c in added]


def as_input(table: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Table`` (as GetTable answers) as the TableInput that would recreate it."""
    keep = (
        "Name",
        "Description",
        "Owner",
        "Retention",
        "StorageDescriptor",
        "PartitionKeys",
        "TableType",
        "Parameters",
        "ViewOriginalText",
        "ViewExpandedText",
    )
    return {k: table[k] for k in keep if k in table}
