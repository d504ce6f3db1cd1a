"""JDBC sources and sinks of a GlueContext: PostgreSQL and MySQL by options, through catalog
Connections, and as catalog tables a crawler made from a database.

A read goes: options → ``JdbcSpec`` (``jdbc_options``, credentials from ``jdbc_connections``)
→ bookmark conditions (``jdbc_bookmarks``, when the job tracks bookmarks and the read has a
``transformation_ctx``) → one query per ``hashpartitions`` slice when the read is split
(``hashfield`` / ``hashexpression``) → the engine (``jdbc_engine``).

Catalog tables: crawlers record a JDBC table with its ``connectionName`` and a ``Location`` of
``database.schema.table`` (PostgreSQL) or ``database.table`` (MySQL); the connection gives the
URL and credentials, the location the table and the database to point the URL at. The
catalog's column types are applied to what is read, as for files. ``hashfield``,
``hashexpression`` and ``hashpartitions`` may be table parameters; ``additional_options``
override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import TYPE_CHECKING, Any

from awsglue import bookmarks, jdbc_bookmarks, jdbc_engine, jdbc_sql
from awsglue.catalog import CatalogTable
from awsglue.jdbc_connections import connection_conf
from awsglue.jdbc_options import (
    VENDORS,
    JdbcOptionError,
    JdbcSpec,
    is_jdbc,
    spec_from_options,
    uses_connection,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from awsglue.context import GlueContext

__all__ = [
    "is_jdbc",
    "is_jdbc_table",
    "read",
    "read_catalog",
    "read_options",
    "resolve",
    "write_catalog",
    "write_jdbc_conf",
    "write_options",
]

_TABLE_PARAMETERS = ("hashfield", "hashexpression", "hashpartitions")


def resolve(
    glue_context: GlueContext,
    connection_type: str,
    options: Mapping[str, Any],
    catalog_id: str | None = None,
) -> JdbcSpec:
    """The spec of ``options``, with the catalog Connection they name (if any) looked up."""
    name = uses_connection(options)
    connection = connection_conf(glue_context.glue_client, name, catalog_id) if name else None
    return spec_from_options(connection_type, options, connection)


def read(glue_context: GlueContext, spec: JdbcSpec, transformation_ctx: str = "") -> DataFrame:
    """The rows of the spec's source this run should process."""
    session = glue_context.spark_session
    state = bookmarks.active()
    plan = jdbc_bookmarks.BookmarkPlan((), None)
    if state.tracking and transformation_ctx:
        plan = jdbc_bookmarks.plan_read(session, spec, transformation_ctx, state)
    slices = jdbc_sql.hash_predicates(spec)
    if not plan.where and not slices:
        frame = jdbc_engine.load(session, spec)
    else:
        queries = [
            jdbc_sql.select(spec.source, "*", [*plan.where, *([piece] if piece else [])])
            for piece in slices or [""]
        ]
        frames = [jdbc_engine.load(session, spec, query) for query in queries]
        frame = reduce(lambda left, right: left.unionByName(right), frames)
    if plan.element is not None:
        state.update(transformation_ctx, plan.element)
    return jdbc_engine.as_declared(session, spec, frame)


def read_options(
    glue_context: GlueContext,
    connection_type: str,
    options: Mapping[str, Any],
    transformation_ctx: str = "",
) -> DataFrame:
    return read(glue_context, resolve(glue_context, connection_type, options), transformation_ctx)


def write_options(
    glue_context: GlueContext, frame: DataFrame, connection_type: str, options: Mapping[str, Any]
) -> None:
    jdbc_engine.save(frame, resolve(glue_context, connection_type, options))


def write_jdbc_conf(
    glue_context: GlueContext,
    frame: DataFrame,
    catalog_connection: str,
    options: Mapping[str, Any],
    catalog_id: str | None = None,
) -> None:
    """``write_dynamic_frame.from_jdbc_conf``: the connection's URL and credentials, the
    options' ``dbtable`` (and ``database``, which replaces the one in the URL)."""
    conf = connection_conf(glue_context.glue_client, catalog_connection, catalog_id)
    spec = spec_from_options(conf["vendor"], options, conf)
    jdbc_engine.save(frame, spec)


# -- catalog tables ------------------------------------------------------------------------------


def is_jdbc_table(table: CatalogTable) -> bool:
    """Whether the catalog table lives in a JDBC database rather than in files."""
    return table.classification in VENDORS or (
        bool(table.parameters.get("connectionName"))
        and table.parameters.get("typeOfData", "") == "table"
    )


def _table_options(table: CatalogTable, additional: Mapping[str, Any]) -> dict[str, Any]:
    connection = table.parameters.get("connectionName", "")
    if not connection:
        raise JdbcOptionError(
            f"catalog table {table.qualified_name} is a {table.classification} table but has"
            " no 'connectionName' parameter naming the catalog connection to reach it"
        )
    parts = table.location.split(".")
    if len(parts) == 3:  # database.schema.table
        where = {"database": parts[0], "dbtable": f"{parts[1]}.{parts[2]}"}
    elif len(parts) == 2 and table.classification == "mysql":  # database.table
        where = {"database": parts[0], "dbtable": parts[1]}
    else:
        where = {"dbtable": table.location}
    options = {k: table.parameters[k] for k in _TABLE_PARAMETERS if k in table.parameters}
    return {
        **options,
        **additional,
        **where,
        "useConnectionProperties": "true",
        "connectionName": connection,
    }


def read_catalog(
    glue_context: GlueContext,
    table: CatalogTable,
    additional_options: Mapping[str, Any],
    transformation_ctx: str = "",
    catalog_id: str | None = None,
) -> DataFrame:
    from awsglue.sources import _conform, spark_schema

    options = _table_options(table, additional_options)
    spec = resolve(glue_context, table.classification, options, catalog_id)
    frame = read(glue_context, spec, transformation_ctx)
    return _conform(frame, spark_schema(table.columns)) if table.columns else frame


def write_catalog(
    glue_context: GlueContext,
    frame: DataFrame,
    table: CatalogTable,
    additional_options: Mapping[str, Any],
    catalog_id: str | None = None,
) -> None:
    options = _table_options(table, additional_options)
    jdbc_engine.save(frame, resolve(glue_context, table.classification, options, catalog_id))
