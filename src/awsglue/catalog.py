"""The Data Catalog as a Glue job reads it: tables and partitions through the Glue API.

The runtime is a client like any other (DESIGN.md, decision 6): ``boto3.client("glue")`` finds
the endpoint the AWS way (``AWS_ENDPOINT_URL_GLUE``, then ``AWS_ENDPOINT_URL``), so the same
script works against OpenGlue and against AWS. The region defaults to us-east-1 when none is
configured, and with no credentials configured at all requests go unsigned (an OpenGlue server
without authentication accepts them).

A table becomes a ``CatalogTable``: where its files are, in which format, with which reader
options (from the SerDe and table parameters crawlers write) and which columns.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CatalogPartition",
    "CatalogTable",
    "Column",
    "get_partitions",
    "get_table",
    "glue_client",
    "new_glue_client",
]

log = logging.getLogger("awsglue.catalog")

DEFAULT_REGION = "us-east-1"

# SerDe / input format (lower-cased substring) → classification, for tables without one.
_FORMAT_HINTS = (
    ("parquet", "parquet"),
    ("orc", "orc"),
    ("avro", "avro"),
    ("json", "json"),
    ("opencsvserde", "csv"),
    ("lazysimpleserde", "csv"),
    ("xml", "xml"),
    ("textinputformat", "csv"),
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a catalog (Hive) type string


@dataclass(frozen=True)
class CatalogPartition:
    values: tuple[str, ...]
    location: str


@dataclass(frozen=True)
class CatalogTable:
    database: str
    name: str
    location: str
    classification: str
    columns: tuple[Column, ...]
    partition_keys: tuple[Column, ...] = ()
    serde_library: str = ""
    serde_parameters: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)  # table + storage descriptor

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"

    def format_options(self) -> dict[str, Any]:
        """Glue ``format_options`` equivalent to what the table's SerDe says."""
        if self.classification != "csv":
            options: dict[str, Any] = {}
            if self.classification == "json" and "jsonPath" in self.parameters:
                options["jsonPath"] = self.parameters["jsonPath"]
            if self.classification == "xml":
                # Crawlers record the row element as a table parameter (and the XmlSerDe's
                # xmlinput.start); without it the reader cannot split the document into rows.
                tag = self.parameters.get("rowTag") or _row_tag(self.serde_parameters)
                if tag:
                    options["rowTag"] = tag
            return options
        serde, params = self.serde_parameters, self.parameters
        separator = (
            serde.get("field.delim")
            or serde.get("separatorChar")
            or params.get("delimiter")
            or _single_char(serde.get("serialization.format"))
            or ","
        )
        options = {"separator": separator, "quoteChar": serde.get("quoteChar", '"')}
        if serde.get("escapeChar") or serde.get("escape.delim"):
            options["escaper"] = serde.get("escapeChar") or serde.get("escape.delim")
        header_lines = int(params.get("skip.header.line.count", "0") or "0")
        if header_lines > 1:
            log.warning(
                "table %s skips %d header lines; only the first is skipped",
                self.qualified_name,
                header_lines,
            )
        options["withHeader"] = header_lines >= 1
        if "serialization.null.format" in serde:
            options["nullValue"] = serde["serialization.null.format"]
        return options


def _row_tag(serde: Mapping[str, str]) -> str | None:
    start = serde.get("xmlinput.start", "").strip()
    if start.startswith("<"):
        return start[1:].rstrip(">").split()[0] or None
    return None


def _single_char(value: str | None) -> str | None:
    # Hive's serialization.format is a delimiter only when it is one non-digit character
    # ("1" means the default \001, which crawlers never produce for CSV).
    if value and len(value) == 1 and not value.isdigit():
        return value
    return None


def glue_client(region: str | None = None) -> Any:
    """A boto3 Glue client following AWS's endpoint and credential conventions."""
    if region is None:
        from awsglue import client_prefetch

        prefetched = client_prefetch.take()
        if prefetched is not None:
            return prefetched
    return new_glue_client(region)


def new_glue_client(region: str | None = None) -> Any:
    """A newly made boto3 Glue client (``glue_client`` may hand out one made in advance)."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    session = boto3.session.Session()
    region = region or session.region_name or os.environ.get("AWS_REGION") or DEFAULT_REGION
    config = Config(retries={"max_attempts": 3, "mode": "standard"})
    if session.get_credentials() is None:
        config = config.merge(Config(signature_version=UNSIGNED))
    return session.client("glue", region_name=region, config=config)


def _catalog_args(catalog_id: str | None) -> dict[str, str]:
    return {"CatalogId": catalog_id} if catalog_id else {}


def _columns(raw: Sequence[Mapping[str, Any]] | None) -> tuple[Column, ...]:
    return tuple(Column(c["Name"], c.get("Type") or "string") for c in raw or ())


def _classification(parameters: Mapping[str, str], descriptor: Mapping[str, Any]) -> str:
    declared = parameters.get("classification", "").strip().lower()
    if declared:
        return declared
    serde = descriptor.get("SerdeInfo", {}).get("SerializationLibrary", "")
    hints = f"{serde} {descriptor.get('InputFormat', '')}".lower()
    for needle, classification in _FORMAT_HINTS:
        if needle in hints:
            return classification
    return ""


def get_table(
    client: Any, database: str, table_name: str, catalog_id: str | None = None
) -> CatalogTable:
    """Read ``database.table_name`` from the catalog (EntityNotFoundException if absent)."""
    raw = client.get_table(DatabaseName=database, Name=table_name, **_catalog_args(catalog_id))
    table = raw["Table"]
    descriptor = table.get("StorageDescriptor") or {}
    parameters = {**(descriptor.get("Parameters") or {}), **(table.get("Parameters") or {})}
    classification = _classification(parameters, descriptor)
    location = descriptor.get("Location") or ""
    if not location:
        raise ValueError(f"catalog table {database}.{table_name} has no location to read")
    if not classification:
        raise ValueError(
            f"catalog table {database}.{table_name} has no classification and its SerDe does"
            " not name a format; set the table parameter 'classification' (csv, json, parquet…)"
        )
    serde = descriptor.get("SerdeInfo") or {}
    return CatalogTable(
        database=table.get("DatabaseName", database),
        name=table.get("Name", table_name),
        location=location,
        classification=classification,
        columns=_columns(descriptor.get("Columns")),
        partition_keys=_columns(table.get("PartitionKeys")),
        serde_library=serde.get("SerializationLibrary", ""),
        serde_parameters=dict(serde.get("Parameters") or {}),
        parameters=parameters,
    )


def get_partitions(
    client: Any, table: CatalogTable, expression: str = "", catalog_id: str | None = None
) -> list[CatalogPartition]:
    """The table's partitions, filtered by the server with ``expression`` when given."""
    request: dict[str, Any] = {
        "DatabaseName": table.database,
        "TableName": table.name,
        **_catalog_args(catalog_id),
    }
    if expression.strip():
        request["Expression"] = expression
    partitions: list[CatalogPartition] = []
    for page in client.get_paginator("get_partitions").paginate(**request):
        for raw in page.get("Partitions", []):
            values = tuple(raw.get("Values") or ())
            location = (raw.get("StorageDescriptor") or {}).get("Location") or _default_location(
                table, values
            )
            partitions.append(CatalogPartition(values, location))
    return partitions


def _default_location(table: CatalogTable, values: Sequence[str]) -> str:
    folders = "/".join(f"{k.name}={v}" for k, v in zip(table.partition_keys, values, strict=True))
    return table.location.rstrip("/") + "/" + folders + "/"
