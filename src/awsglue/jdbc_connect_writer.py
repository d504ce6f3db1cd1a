"""Writing to PostgreSQL from a Spark Connect engine (Sail), where no JDBC sink exists.

A missing table is created first, from this process, with the column types classic Spark's
PostgreSQL dialect gives, so both engines leave the same table. Then every partition of the
frame is written by the engine's Python workers (``mapInArrow``): its Arrow batches become
CSV text (vectorized, by pyarrow) streamed into one ``COPY … FROM STDIN`` through psycopg.
As with Spark's own JDBC sink, each partition is one transaction: a failed write can leave
the partitions that finished before it.

MySQL has no such path (no MySQL driver ships with OpenGlue): writing it needs the classic
engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from awsglue import jdbc_sql
from awsglue.jdbc_options import JdbcSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType

__all__ = ["postgres_type", "save_postgresql"]

log = logging.getLogger("awsglue.jdbc")


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


def _csv_text(batch: Any, binary: list[str]) -> bytes:
    """One Arrow batch as CSV lines PostgreSQL's ``COPY … (FORMAT csv)`` reads back exactly."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    for name in binary:  # bytea's hex input form: \x followed by the bytes
        index = batch.schema.get_field_index(name)
        values = batch.column(index).to_pylist()
        hexed = [None if v is None else "\\x" + v.hex() for v in values]
        batch = batch.set_column(index, name, pa.array(hexed, pa.string()))
    # Every value quoted: PostgreSQL reads only an unquoted empty field as NULL, so empty
    # strings stay empty strings.
    options = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")
    text = io.BytesIO()
    pa_csv.write_csv(batch, text, options)
    return text.getvalue()


def _copy_partitions(
    arguments: dict[str, Any], statement: str, binary: list[str]
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The ``mapInArrow`` function that COPYs one partition's batches in one transaction (it
    runs in the engine's Python workers); it yields the number of rows written."""

    def copy_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import psycopg
        import pyarrow as pa

        written = 0
        with (
            psycopg.connect(**arguments) as connection,
            connection.cursor().copy(statement) as copy,
        ):
            for batch in batches:
                copy.write(_csv_text(batch, binary))
                written += batch.num_rows
        yield pa.RecordBatch.from_pydict({"written": [written]})

    return copy_partition


def save_postgresql(frame: DataFrame, spec: JdbcSpec) -> None:
    """Append ``frame`` to ``spec.dbtable``, creating the table when it is missing."""
    try:
        import psycopg
    except ImportError as error:
        raise RuntimeError(
            "writing PostgreSQL from a Spark Connect engine needs psycopg (pip install"
            " 'openglue[postgres]'), or run the job on the classic engine (OPENGLUE_ENGINE=spark)"
        ) from error
    from pyspark.sql import functions as F
    from pyspark.sql.types import BinaryType

    vendor = spec.vendor
    fields = frame.schema.fields
    columns = ", ".join(jdbc_sql.quote(vendor, f.name) for f in fields)
    definitions = ", ".join(
        f"{jdbc_sql.quote(vendor, f.name)} {postgres_type(f.dataType)}" for f in fields
    )
    arguments = _connect_arguments(spec)
    with psycopg.connect(**arguments) as connection:
        connection.execute(f"CREATE TABLE IF NOT EXISTS {spec.dbtable} ({definitions})")
    binary = [f.name for f in fields if isinstance(f.dataType, BinaryType)]
    statement = f"COPY {spec.dbtable} ({columns}) FROM STDIN (FORMAT csv)"
    counts = frame.mapInArrow(_copy_partitions(arguments, statement, binary), "written long").agg(
        F.sum("written")
    )
    log.info("wrote %s rows to %s", counts.collect()[0][0] or 0, spec.dbtable)
