"""One ``TablePlan`` from a table root: columns, partitions, name, location and parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from openglue.crawler.folder_tree import SchemaGroup
from openglue.crawler.grouping import TableRoot
from openglue.crawler.hive_schema import HiveType, merge_columns
from openglue.crawler.partition_layout import PartitionLayout, layout_partitions, sanitize_name
from openglue.crawler.plan import (
    ColumnPlan,
    CrawlOptions,
    ObjectSource,
    PartitionPlan,
    TablePlan,
)
from openglue.crawler.table_shape import exclusions_parameter, shape_for, statistics

__all__ = ["TableNames", "build_table"]


@dataclass
class TableNames:
    """Names handed out in one plan: a clash gets the parent folder's name, then a number."""

    taken: set[str] = field(default_factory=set)

    def claim(self, name: str, parent: str | None) -> str:
        candidates = [name]
        if parent:
            candidates.append(f"{sanitize_name(parent)}_{name}")
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        number = 2
        while f"{name}_{number}" in self.taken:
            number += 1
        self.taken.add(f"{name}_{number}")
        return f"{name}_{number}"


def build_table(
    source: ObjectSource, root: TableRoot, options: CrawlOptions, names: TableNames
) -> TablePlan:
    groups = [group for _, group in root.members]
    lead = max(groups, key=lambda group: group.files)  # the format facts come from the majority
    columns = _merged(groups)
    column_names = [name for name, _ in columns]
    prefix = "".join(part + "/" for part in root.path)
    if root.single_key is not None:
        location = _single_file_uri(source, root.single_key)
        name = sanitize_name(root.single_key.rsplit("/", 1)[-1])
    else:
        location = source.uri(prefix) if prefix else source.root_uri
        keys = [key for group in groups for key in group.keys]
        if not prefix and len(keys) == 1 and _is_file_target(source, keys[0]):
            location = source.root_uri.rstrip("/")
        name = sanitize_name(root.path[-1] if root.path else _root_name(source.root_uri))
    parent = root.path[-2] if len(root.path) >= 2 else None
    if root.single_key is not None and root.path:
        parent = root.path[-1]
    if root.known is not None:
        name = root.known.name  # the table an earlier crawl made keeps its name and keys
    name = names.claim(name + root.suffix, parent)
    layout = layout_partitions(root.members, root.partition_depth)
    if root.known is not None and len(root.known.partition_keys) == len(layout.keys):
        layout = PartitionLayout(root.known.partition_keys, layout.partitions)
    quoted = any(group.extras.get("quoted") == "true" for group in groups)
    shape = shape_for(lead, column_names, quoted)
    input_format, output_format, serde, serde_params, format_params = shape
    parameters = {
        "classification": lead.classification,
        "compressionType": lead.compression,
        "typeOfData": "file",
        **statistics(groups),
        "CrawlerSchemaSerializerVersion": "1.0",
        "CrawlerSchemaDeserializerVersion": "1.0",
        **format_params,
    }
    if options.exclusions:
        parameters["exclusions"] = exclusions_parameter(source.root_uri, options.exclusions)
    partitions = tuple(
        PartitionPlan(
            values=stats.values,
            location=source.uri(prefix + "".join(f + "/" for f in stats.folders)),
            object_count=sum(group.files for group in stats.groups),
            size=sum(group.size for group in stats.groups),
            columns=_column_plans(stats.columns),
            parameters={**parameters, **statistics(stats.groups)},
        )
        for stats in layout.partitions
    )
    return TablePlan(
        name=name,
        location=location,
        classification=lead.classification,
        columns=_column_plans(columns),
        partition_keys=tuple(ColumnPlan(key, "string") for key in layout.keys),
        partitions=partitions,
        input_format=input_format,
        output_format=output_format,
        serde_library=serde,
        serde_parameters=serde_params,
        parameters=parameters,
        compressed=lead.compression != "none",
        object_keys=tuple(key for group in groups for key in group.keys),
    )


def _merged(groups: list[SchemaGroup]) -> list[tuple[str, HiveType]]:
    merged: list[tuple[str, HiveType]] = []
    for group in groups:
        merged = merge_columns(merged, group.columns)
    return merged


def _column_plans(columns: list[tuple[str, HiveType]]) -> tuple[ColumnPlan, ...]:
    return tuple(ColumnPlan(name.lower(), kind.render()) for name, kind in columns)


def _root_name(root_uri: str) -> str:
    trimmed = unquote(root_uri.rstrip("/"))  # file:// URIs escape spaces and the like
    return trimmed.rsplit("/", 1)[-1] if "/" in trimmed else trimmed


def _single_file_uri(source: ObjectSource, key: str) -> str:
    """A target that is itself one file lists that file as its only key: its table's
    location is the file, not ``root/key``."""
    return source.root_uri.rstrip("/") if _is_file_target(source, key) else source.uri(key)


def _is_file_target(source: ObjectSource, key: str) -> bool:
    return "/" not in key and unquote(source.root_uri.rstrip("/")).endswith("/" + key)
