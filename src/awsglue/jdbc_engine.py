"""Reading and writing a JDBC database on the process's engine.

Classic Spark uses its own ``jdbc`` data source with the driver jars of ``jdbc_drivers``; the
driver class is always named (``org.postgresql.Driver``…) because jars added with
``spark.jars`` are not visible to ``java.sql.DriverManager``'s own lookup.

On Spark Connect (Sail) the ``jdbc`` format is the Python data source pysail ships
(``pysail.spark.datasource.jdbc``, reading through connectorx into Arrow), registered on the
session before its first use. It reads only: PostgreSQL tables are written by
``jdbc_connect_writer`` instead, and writing MySQL there fails with a message that says to use
the classic engine. It gives PostgreSQL ``timestamp`` columns as ``timestamp_ntz``,
and every decimal as ``decimal(38,10)``; they are cast to ``timestamp`` and to the table's
declared ``decimal(p,s)`` (from information_schema), as classic Spark (and Glue) reads them.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from awsglue import jdbc_sql
from awsglue.engine import is_connect_session
from awsglue.jdbc_options import JdbcSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["JdbcEngineError", "as_declared", "load", "save"]

_registered: weakref.WeakSet[Any] = weakref.WeakSet()


class JdbcEngineError(RuntimeError):
    """The engine cannot do this JDBC operation; the message says what to change."""


def _register_sail_source(session: SparkSession) -> None:
    if session in _registered:
        return
    try:
        from pysail.spark.datasource.jdbc import JdbcDataSource
    except ImportError as error:
        raise JdbcEngineError(
            "JDBC on Spark Connect engines needs connectorx (pip install 'pysail[jdbc]'):"
            f" {error}; or run the job on the classic engine (OPENGLUE_ENGINE=spark)"
        ) from error
    session.dataSource.register(JdbcDataSource)
    _registered.add(session)


def _connect_options(spec: JdbcSpec) -> dict[str, str]:
    options = spec.engine_options()
    options.pop("driver", None)  # connectorx picks its driver from the URL
    return options


def _timestamps_as_classic(frame: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampNTZType, TimestampType

    from awsglue.field_paths import quote

    if not any(isinstance(f.dataType, TimestampNTZType) for f in frame.schema.fields):
        return frame
    return frame.select(
        *[
            F.col(quote(f.name)).cast(TimestampType()).alias(f.name)
            if isinstance(f.dataType, TimestampNTZType)
            else F.col(quote(f.name))
            for f in frame.schema.fields
        ]
    )


def load(session: SparkSession, spec: JdbcSpec, query: str = "") -> DataFrame:
    """The rows of ``query`` (SQL on the spec's database) or, without one, of the spec's
    table or query."""
    connect = is_connect_session(session)
    if connect:
        _register_sail_source(session)
    options = _connect_options(spec) if connect else spec.engine_options()
    if query:
        options["query"] = query
    elif spec.query:
        options["query"] = spec.query
    else:
        options["dbtable"] = spec.dbtable
    frame = session.read.format("jdbc").options(**options).load()
    return _timestamps_as_classic(frame) if connect else frame


def _declared_decimals(session: SparkSession, spec: JdbcSpec) -> dict[str, tuple[int, int]]:
    text = spec.vendor.text_type
    query = (
        f"SELECT CAST(c.column_name AS {text}) AS name, CAST(c.numeric_precision AS {text}) AS p,"
        f" CAST(c.numeric_scale AS {text}) AS s FROM information_schema.columns c"
        " WHERE c.data_type IN ('numeric', 'decimal') AND c.numeric_precision IS NOT NULL"
        f" AND {jdbc_sql.is_table(spec.vendor, spec.dbtable, 'c')}"
    )
    rows = load(session, spec, query).collect()
    return {str(row[0]).lower(): (int(row[1]), int(row[2] or 0)) for row in rows}


def as_declared(session: SparkSession, spec: JdbcSpec, frame: DataFrame) -> DataFrame:
    """On Connect engines, the decimal columns of a table read with their declared precision
    and scale (connectorx widens them all); ``frame`` unchanged elsewhere."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DecimalType

    from awsglue.field_paths import quote

    if not is_connect_session(session) or not spec.dbtable:
        return frame
    decimals = [f for f in frame.schema.fields if isinstance(f.dataType, DecimalType)]
    declared = _declared_decimals(session, spec) if decimals else {}
    if not declared:
        return frame
    columns = []
    for f in frame.schema.fields:
        found = declared.get(f.name.lower()) if isinstance(f.dataType, DecimalType) else None
        column = F.col(quote(f.name))
        columns.append(column.cast(DecimalType(*found)).alias(f.name) if found else column)
    return frame.select(*columns)


def save(frame: DataFrame, spec: JdbcSpec) -> None:
    """Append ``frame`` to the spec's table (created when missing, as Spark does)."""
    if not spec.dbtable:
        raise JdbcEngineError("a JDBC sink needs 'dbtable' (the table to write to)")
    if is_connect_session(frame.sparkSession):
        if spec.vendor.name == "postgresql":
            from awsglue.jdbc_connect_writer import save_postgresql

            save_postgresql(frame, spec)
            return
        raise JdbcEngineError(
            f"writing to a {spec.vendor.name} table ({spec.dbtable}) is not supported on Spark"
            " Connect engines (Sail reads JDBC but has no JDBC sink; OpenGlue writes PostgreSQL"
            " itself); run the job on the classic engine (OPENGLUE_ENGINE=spark)"
        )
    options = {**spec.engine_options(), "dbtable": spec.dbtable}
    frame.write.format("jdbc").options(**options).mode("append").save()
