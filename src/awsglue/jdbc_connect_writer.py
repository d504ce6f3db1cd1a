"""Writing to PostgreSQL from a Spark Connect engine (Sail), where no JDBC sink exists.

The rows stream to this process (``toLocalIterator``) and go to the table with one
``COPY … FROM STDIN`` through psycopg, in a single transaction: the table gets all of them or,
when anything fails, none. A missing table is created first from the frame's schema with the
column types classic Spark's PostgreSQL dialect gives, so both engines leave the same table.
With the embedded Sail the engine runs in this process anyway; with a remote ``sc://``
endpoint the data crosses the client, which suits the small-to-medium loads Glue jobs send
to a database.

MySQL has no such path (no MySQL driver ships with OpenGlue): writing it needs the classic
engine.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from awsglue import jdbc_sql
from awsglue.jdbc_options import JdbcSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType

__all__ = ["postgres_type", "save_postgresql"]


def postgres_type(data_type: DataType) -> str:
    """The column type classic Spark's PostgreSQL dialect creates for a Spark type."""
    from pyspark.sql import types as T

    simple: list[tuple[type[Any], str]] = [
        (T.BooleanType, "BOOLEAN"),
        (T.ByteType, "SMALLINT"),
        (T.ShortType, "SMALLINT"),
        (T.IntegerType, "INTEGER"),
        (T.LongType, "BIGINT"),
        (T.FloatType, "FLOAT4"),
        (T.DoubleType, "FLOAT8"),
        (T.StringType, "TEXT"),
        (T.BinaryType, "BYTEA"),
        (T.DateType, "DATE"),
        (T.TimestampNTZType, "TIMESTAMP"),
        (T.TimestampType, "TIMESTAMP WITH TIME ZONE"),  # Spark 4's dialect: an instant
    ]
    for kind, name in simple:
        if isinstance(data_type, kind):
            return name
    if isinstance(data_type, T.DecimalType):
        return f"NUMERIC({data_type.precision},{data_type.scale})"
    raise ValueError(
        f"a {data_type.simpleString()} column cannot be written to PostgreSQL; convert it"
        " (e.g. to a JSON string with to_json) before writing"
    )


def _connect_arguments(spec: JdbcSpec) -> dict[str, Any]:
    """psycopg connection arguments for a ``jdbc:postgresql://host:port/db?k=v`` URL."""
    rest = spec.url.split("://", 1)[1]
    address, _, query = rest.partition("?")
    hostport, _, database = address.partition("/")
    host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    arguments: dict[str, Any] = {"host": host or "localhost", "port": int(port or 5432)}
    if database:
        arguments["dbname"] = unquote(database)
    params = dict(parse_qsl(query))
    arguments["user"] = spec.user or params.get("user", "")
    arguments["password"] = spec.password or params.get("password", "")
    if "sslmode" in params:
        arguments["sslmode"] = params["sslmode"]
    return {key: value for key, value in arguments.items() if value != ""}


def _same(value: Any) -> Any:
    return value


def _instant(value: Any) -> Any:
    # PySpark hands timestamps over as naive datetimes in this process's local time; made
    # aware, they reach a timestamptz column as the same instant whatever the server's zone.
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.astimezone()
    return value


def save_postgresql(frame: DataFrame, spec: JdbcSpec) -> None:
    """Append ``frame`` to ``spec.dbtable`` (created when missing) in one transaction."""
    try:
        import psycopg
    except ImportError as error:
        raise RuntimeError(
            "writing PostgreSQL from a Spark Connect engine needs psycopg (pip install"
            " 'openglue[postgres]'), or run the job on the classic engine (OPENGLUE_ENGINE=spark)"
        ) from error
    vendor = spec.vendor
    fields = frame.schema.fields
    columns = ", ".join(jdbc_sql.quote(vendor, f.name) for f in fields)
    definitions = ", ".join(
        f"{jdbc_sql.quote(vendor, f.name)} {postgres_type(f.dataType)}" for f in fields
    )
    from pyspark.sql.types import TimestampType

    fixes = [_instant if isinstance(f.dataType, TimestampType) else _same for f in fields]
    with psycopg.connect(**_connect_arguments(spec)) as connection:
        connection.execute(f"CREATE TABLE IF NOT EXISTS {spec.dbtable} ({definitions})")
        with connection.cursor().copy(f"COPY {spec.dbtable} ({columns}) FROM STDIN") as copy:
            for row in frame.toLocalIterator():
                copy.write_row([fix(value) for fix, value in zip(fixes, row, strict=True)])
