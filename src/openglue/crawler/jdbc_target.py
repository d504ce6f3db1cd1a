"""One JdbcTarget crawled into a ``TargetPlan``: the tables and views its include path matches,
catalogued as Glue's JDBC crawler catalogs them.

Glue names a JDBC table ``<database>_<schema>_<table>`` (``<database>_<table>`` for MySQL),
gives it the Location ``<database>.<schema>.<table>`` (``<database>.<table>``), no input or
output format and no SerDe library, and the parameters ``classification`` (``postgresql`` |
``mysql``), ``compressionType`` ``none``, ``typeOfData`` (``table`` | ``view``) and
``connectionName``; the ETL runtime's ``from_catalog`` reads the table back through that
connection. The crawl connects to the database the include path names (which may differ from
the one in the connection's URL) and reads only metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openglue.crawler.jdbc_metadata import Relation, read_relations
from openglue.crawler.jdbc_paths import (
    IncludePath,
    compile_exclusions,
    excluded_by,
    parse_include_path,
)
from openglue.crawler.jdbc_source import CRAWLED_VENDORS, JdbcEndpoint, endpoint_of
from openglue.crawler.jdbc_types import mysql_to_hive, postgres_to_hive
from openglue.crawler.plan import ColumnPlan, Decision, SkippedObject, TablePlan, TargetPlan

__all__ = ["plan_jdbc_target", "plan_relations"]

# JdbcTarget.EnableAdditionalMetadata: COMMENTS keeps column comments; RAWTYPES (the native
# type as a column parameter) has no place in a ColumnPlan and is noted as not kept.
COMMENTS = "COMMENTS"
RAWTYPES = "RAWTYPES"


def _hive_type(vendor: str, native: str, data_type: str) -> str:
    return postgres_to_hive(native) if vendor == "postgresql" else mysql_to_hive(data_type, native)


def _table(
    relation: Relation, include: IncludePath, endpoint: JdbcEndpoint, comments: bool
) -> TablePlan:
    names = [include.database, *([relation.schema] if relation.schema is not None else [])]
    names.append(relation.name)
    columns = tuple(
        ColumnPlan(
            column.name,
            _hive_type(endpoint.vendor, column.native_type, column.data_type),
            column.comment if comments else None,
        )
        for column in relation.columns
    )
    parameters = {
        "classification": endpoint.vendor,
        "compressionType": "none",
        "typeOfData": "view" if relation.is_view else "table",
        "connectionName": endpoint.connection_name,
    }
    return TablePlan(
        name="_".join(names),
        location=".".join(names),
        classification=endpoint.vendor,
        columns=columns,
        partition_keys=(),
        partitions=(),
        # Glue leaves these unset on JDBC tables; the reader goes by classification.
        input_format="",
        output_format="",
        serde_library="",
        serde_parameters={},
        parameters=parameters,
        object_keys=("/".join(names),),
    )


def plan_relations(
    relations: Sequence[Relation],
    include: IncludePath,
    exclusions: Sequence[str],
    endpoint: JdbcEndpoint,
    additional_metadata: Sequence[str] = (),
) -> TargetPlan:
    """The plan for ``relations`` (a database's tables and views): those the include path
    matches and no exclusion drops. Pure: reads nothing."""
    excluding = compile_exclusions(exclusions)
    plan = TargetPlan(root_uri=include.root)
    comments = COMMENTS in additional_metadata
    if RAWTYPES in additional_metadata:
        reason = (
            "EnableAdditionalMetadata RAWTYPES: native types are not kept as column "
            "parameters; the table decisions below show each native type"
        )
        plan.decisions.append(Decision("ignored", include.raw, reason))
    seen = 0
    for relation in relations:
        if not include.matches(relation.schema, relation.name):
            continue
        seen += 1
        path = include.full(relation.schema, relation.name)
        pattern = excluded_by(include, excluding, relation.schema, relation.name)
        if pattern is not None:
            plan.skipped.append(SkippedObject(path, f"excluded by pattern {pattern!r}"))
            continue
        table = _table(relation, include, endpoint, comments)
        plan.tables.append(table)
        kind = "view" if relation.is_view else "table"
        typed = ", ".join(
            f"{raw.name} {raw.native_type}→{col.type}"
            for raw, col in zip(relation.columns, table.columns, strict=True)
        )
        plan.decisions.append(
            Decision("table", table.name, f"{endpoint.vendor} {kind} {path} matches include "
                     f"path {include.raw}: {len(table.columns)} columns ({typed})")
        )  # fmt: skip
    if not seen:
        plan.decisions.append(Decision("empty", include.raw, _nothing_matched(relations, include)))
    return plan


def _nothing_matched(relations: Sequence[Relation], include: IncludePath) -> str:
    if not relations:
        return f"database {include.database} has no table or view the connection's user can read"
    if include.schema is None:
        return f"no table or view of database {include.database} matches {include.table!r}"
    schemas = sorted({r.schema or "" for r in relations})
    return (
        f"no table or view matches; names are case-sensitive, and database "
        f"{include.database} has the schemas {', '.join(schemas)}"
    )


def plan_jdbc_target(
    connection: Mapping[str, Any],
    path: str,
    exclusions: Sequence[str] = (),
    additional_metadata: Sequence[str] = (),
) -> TargetPlan:
    """Crawl one JdbcTarget. ``connection`` is the catalog Connection it names, in the shape
    GetConnection answers with its password (``openglue.catalog.connections.to_aws``);
    ``path``, ``exclusions`` and ``additional_metadata`` are the target's ``Path``,
    ``Exclusions`` and ``EnableAdditionalMetadata``.

    Raises ``InvalidInputException`` for a connection, path or exclusion that cannot be used,
    ``AccessDeniedException`` when the database refuses the credentials and
    ``EntityNotFoundException`` when the include path's database does not exist; each message
    says what to fix and suits the crawl's ``LastCrawl.ErrorMessage``."""
    endpoint = endpoint_of(connection)
    include = parse_include_path(path, has_schemas=CRAWLED_VENDORS[endpoint.vendor])
    compile_exclusions(exclusions)  # a bad pattern fails before the database is contacted
    relations = read_relations(endpoint, include.database)
    return plan_relations(relations, include, exclusions, endpoint, additional_metadata)
