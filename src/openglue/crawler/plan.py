"""What a crawl decides, as plain records: the contract between inference and the catalog.

The crawler is a pipeline of pure steps (classify → infer → group → shape) that turns a listing
of objects under one target into a ``TargetPlan``: the tables it found, each with its columns,
partition keys, partitions and the storage descriptor Glue would write, plus every decision and
the reason for it. ``openglue.crawler.reconcile`` then compares a plan with the catalog and
applies it under the crawler's policies. Nothing here touches the store or the network.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, Protocol

__all__ = [
    "ColumnPlan",
    "CrawlOptions",
    "CsvClassifierSpec",
    "CustomClassifier",
    "Decision",
    "GrokClassifierSpec",
    "JsonClassifierSpec",
    "KnownTable",
    "ObjectInfo",
    "ObjectSource",
    "PartitionPlan",
    "SkippedObject",
    "TablePlan",
    "TargetPlan",
    "XmlClassifierSpec",
]


@dataclass(frozen=True)
class ObjectInfo:
    """One object (file) under a target. ``key`` is relative to the target root, '/'-separated."""

    key: str
    size: int
    modified: float  # seconds since the epoch


class ObjectSource(Protocol):
    """A listing and a reader over one target root: a local folder, an embedded bucket prefix
    or an S3-compatible store. ``uri(key)`` gives the address a table or partition location
    uses (``s3://bucket/prefix/key`` or ``file:///…``)."""

    @property
    def root_uri(self) -> str: ...

    def list(self) -> Iterator[ObjectInfo]: ...

    def open(self, key: str) -> BinaryIO: ...

    def uri(self, key: str) -> str: ...


# Custom classifiers, as the crawler applies them (the API's shapes are converted at the edge).
@dataclass(frozen=True)
class GrokClassifierSpec:
    name: str
    classification: str
    grok_pattern: str
    custom_patterns: str | None = None


@dataclass(frozen=True)
class CsvClassifierSpec:
    name: str
    delimiter: str = ","
    quote_symbol: str = '"'
    contains_header: Literal["UNKNOWN", "PRESENT", "ABSENT"] = "UNKNOWN"
    header: tuple[str, ...] | None = None
    disable_value_trimming: bool = False
    allow_single_column: bool = False
    custom_datatype_configured: bool = False
    custom_datatypes: tuple[str, ...] = ()
    serde: str | None = None  # "OpenCSVSerDe" | "LazySimpleSerDe" | "None"


@dataclass(frozen=True)
class JsonClassifierSpec:
    name: str
    json_path: str


@dataclass(frozen=True)
class XmlClassifierSpec:
    name: str
    classification: str
    row_tag: str


CustomClassifier = GrokClassifierSpec | CsvClassifierSpec | JsonClassifierSpec | XmlClassifierSpec


@dataclass(frozen=True)
class KnownTable:
    """A table an earlier crawl of this target made, as the catalog holds it. An incremental
    crawl decides new folders against these: a new folder under a known table's folder is a
    partition of it, and a folder above known tables stays split, so a new folder next to
    them becomes a table of its own."""

    name: str  # before TablePrefix
    location: str  # the table's URI: a folder ending in "/", or one file
    partition_keys: tuple[str, ...] = ()
    classification: str = ""


@dataclass(frozen=True)
class CrawlOptions:
    """Settings of one crawler that change what inference decides."""

    classifiers: tuple[CustomClassifier, ...] = ()
    exclusions: tuple[str, ...] = ()  # Glue glob patterns, relative to the target root
    sample_size: int | None = None  # files sampled per leaf folder (S3Target.SampleSize)
    table_level: int | None = None  # Grouping.TableLevelConfiguration (1 = the bucket)
    combine_compatible_schemas: bool = False  # Grouping.TableGroupingPolicy
    # Only objects under these folders ('/'-separated, from the target root) are looked at
    # (RecrawlPolicy CRAWL_NEW_FOLDERS_ONLY).
    only_folders: frozenset[str] | None = None
    # The tables earlier crawls made under this target (CRAWL_NEW_FOLDERS_ONLY).
    known_tables: tuple[KnownTable, ...] = ()


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    type: str  # a Hive type string: int, bigint, double, string, struct<a:int>, array<string>…
    comment: str | None = None


@dataclass(frozen=True)
class PartitionPlan:
    values: tuple[str, ...]
    location: str  # the partition folder's URI, ending in "/"
    object_count: int
    size: int
    columns: tuple[ColumnPlan, ...]  # the partition's own schema (Glue stores it per partition)
    # The partition's own parameters: the table's, with this partition's record/object counts.
    parameters: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """One thing the crawl decided and why, in words a person can check."""

    kind: str  # "classified", "grouped", "split", "partitioned", "skipped", "merged", …
    subject: str  # the folder, file or table it is about
    reason: str
    similarity: float | None = None


@dataclass(frozen=True)
class TablePlan:
    name: str  # before TablePrefix; unique within the plan
    location: str  # the table root URI, ending in "/" (a file URI for a single-file table)
    classification: str  # csv, json, parquet, orc, avro, xml, or a custom classification
    columns: tuple[ColumnPlan, ...]
    partition_keys: tuple[ColumnPlan, ...]
    partitions: tuple[PartitionPlan, ...]
    input_format: str
    output_format: str
    serde_library: str
    serde_parameters: Mapping[str, str]
    parameters: Mapping[str, str]  # classification, compressionType, recordCount, sizeKey, …
    compressed: bool = False
    object_keys: tuple[str, ...] = ()  # the objects the table was built from (for --explain)


@dataclass(frozen=True)
class SkippedObject:
    key: str
    reason: str


@dataclass
class TargetPlan:
    """Everything one target yielded."""

    root_uri: str
    tables: list[TablePlan] = field(default_factory=list)
    skipped: list[SkippedObject] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
