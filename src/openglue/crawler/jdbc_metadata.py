"""Reading a database's tables, views and columns: the only step of a JDBC crawl that talks to
the database. No data is read, only the catalog (``pg_catalog`` for PostgreSQL,
``information_schema`` for MySQL), in one query.

PostgreSQL is read through psycopg (OpenGlue's PostgreSQL store driver, the ``postgres``
extra); MySQL through PyMySQL when it is installed, else through connectorx, which the ETL
runtime's JDBC reads already bring. A connection failure becomes a Glue error whose message
says where the crawl tried to connect and what the server answered.
"""

from __future__ import annotations

import importlib
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from openglue.crawler.jdbc_source import JdbcEndpoint
from openglue.errors import (
    AccessDeniedException,
    EntityNotFoundException,
    GlueError,
    InvalidInputException,
)

__all__ = ["RawColumn", "Relation", "read_relations"]

_CONNECT_TIMEOUT = 10  # seconds: an unreachable host fails the crawl instead of hanging it


@dataclass(frozen=True)
class RawColumn:
    name: str
    native_type: str  # as the database spells it: numeric(10,2), int(10) unsigned, text[]
    data_type: str  # the base name: numeric, int, text (MySQL's DATA_TYPE; PostgreSQL's too)
    comment: str | None = None


@dataclass(frozen=True)
class Relation:
    schema: str | None  # None for databases without schemas (MySQL)
    name: str
    is_view: bool
    columns: tuple[RawColumn, ...]


# Tables (ordinary, partitioned, foreign), views and materialized views the user may read;
# partitions of a partitioned table are reached through their parent, as Glue lists them.
_POSTGRES_SQL = """
SELECT n.nspname, c.relname, c.relkind IN ('v', 'm'), a.attname,
       format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid),
                   CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END),
       col_description(c.oid, a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY n.nspname, c.relname, a.attnum
"""

# Read from SCHEMATA outwards so that a missing database yields no row at all and one
# without tables a single row of NULLs. The crawl connects without naming the database: a
# connection to a missing one is retried by connectorx's pool for half a minute.
_MYSQL_SQL = """
SELECT c.TABLE_NAME, t.TABLE_TYPE = 'VIEW', c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE,
       c.COLUMN_COMMENT
FROM information_schema.SCHEMATA s
LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.SCHEMA_NAME
LEFT JOIN information_schema.TABLES t
  ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE s.SCHEMA_NAME = '{database}'
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
"""


def _relations(rows: Sequence[Sequence[Any]]) -> list[Relation]:
    """Rows of (schema, table, is_view, column, native type, base type, comment), ordered by
    table, folded into relations."""
    out: list[Relation] = []
    current: tuple[Any, ...] | None = None
    columns: list[RawColumn] = []
    for schema, table, is_view, column, native, base, comment in rows:
        key = (schema, table, bool(is_view))
        if key != current:
            if current is not None:
                out.append(Relation(current[0], current[1], current[2], tuple(columns)))
            current, columns = key, []
        columns.append(RawColumn(str(column), str(native), str(base), comment or None))
    if current is not None:
        out.append(Relation(current[0], current[1], current[2], tuple(columns)))
    return out


def _failure(endpoint: JdbcEndpoint, database: str, error: Exception) -> GlueError:
    detail = re.sub(r"\s+", " ", str(error)).strip()
    detail = detail.removeprefix("connection failed: ")
    message = (
        f"Crawler could not read connection {endpoint.connection_name} "
        f"({endpoint.describe(database)}): {detail}"
    )
    lowered = detail.lower()
    if "database" in lowered and ("does not exist" in lowered or "unknown database" in lowered):
        return EntityNotFoundException(message)
    if any(
        sign in lowered
        for sign in ("authentication failed", "access denied", 'role "', "pg_hba.conf")
    ):
        return AccessDeniedException(message + "; check the connection's USERNAME and PASSWORD")
    return InvalidInputException(message)


def _read_postgres(endpoint: JdbcEndpoint, database: str) -> list[Relation]:
    try:
        import psycopg
    except ImportError:
        raise InvalidInputException(
            "Crawling PostgreSQL needs the psycopg driver; install it with "
            "pip install 'openglue[postgres]'"
        ) from None
    options: dict[str, Any] = {"sslmode": "require"} if endpoint.require_ssl else {}
    try:
        with psycopg.connect(
            host=endpoint.host,
            port=endpoint.port,
            dbname=database,
            user=endpoint.user or None,
            password=endpoint.password or None,
            connect_timeout=_CONNECT_TIMEOUT,
            application_name="openglue-crawler",
            autocommit=True,
            **options,
        ) as connection:
            rows = connection.execute(_POSTGRES_SQL).fetchall()
    except psycopg.Error as error:
        raise _failure(endpoint, database, error) from None
    return _relations([(s, t, v, c, native, native, m) for s, t, v, c, native, m in rows])


def _reachable(endpoint: JdbcEndpoint, database: str) -> None:
    """Fail fast on a closed port or an unknown host, which connectorx's pool would retry."""
    try:
        socket.create_connection((endpoint.host, endpoint.port), _CONNECT_TIMEOUT).close()
    except OSError as error:
        raise _failure(endpoint, database, error) from None


def _mysql_rows(endpoint: JdbcEndpoint, database: str) -> list[tuple[Any, ...]]:
    if "'" in database or "\\" in database:
        raise InvalidInputException(f"MySQL database name {database!r} holds a quote or backslash")
    sql = _MYSQL_SQL.format(database=database)
    try:
        pymysql: Any = importlib.import_module("pymysql")
    except ImportError:
        pymysql = None
    if pymysql is not None:
        try:
            with (
                pymysql.connect(
                    host=endpoint.host,
                    port=endpoint.port,
                    user=endpoint.user,
                    password=endpoint.password,
                    connect_timeout=_CONNECT_TIMEOUT,
                    ssl={"ssl": {}} if endpoint.require_ssl else None,
                ) as connection,
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
                return list(cursor.fetchall())
        except pymysql.Error as error:
            raise _failure(endpoint, database, error) from None
    try:
        connectorx: Any = importlib.import_module("connectorx")
    except ImportError:
        raise InvalidInputException(
            "Crawling MySQL needs a MySQL driver; install PyMySQL (pip install pymysql)"
        ) from None
    _reachable(endpoint, database)
    credentials = f"{quote(endpoint.user, safe='')}:{quote(endpoint.password, safe='')}"
    url = f"mysql://{credentials}@{endpoint.host}:{endpoint.port}"
    if endpoint.require_ssl:
        url += "?require_ssl=true"  # the Rust mysql driver's spelling
    try:
        table = connectorx.read_sql(url, sql, return_type="arrow")
    except Exception as error:  # connectorx raises plain RuntimeErrors from Rust
        raise _failure(endpoint, database, error) from None
    return list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True))


def _read_mysql(endpoint: JdbcEndpoint, database: str) -> list[Relation]:
    rows = _mysql_rows(endpoint, database)
    if not rows:
        raise _failure(endpoint, database, LookupError(f"Unknown database '{database}'"))
    return _relations(
        [(None, t, bool(v), c, native, base, m) for t, v, c, native, base, m in rows if t]
    )


def read_relations(endpoint: JdbcEndpoint, database: str) -> list[Relation]:
    """Every table and view of ``database`` the connection's user may read, with columns in
    their order, sorted by schema and name."""
    if endpoint.vendor == "postgresql":
        found = _read_postgres(endpoint, database)
    else:
        found = _read_mysql(endpoint, database)
    # By code point, not by the database's collation: the same tables, the same order.
    return sorted(found, key=lambda r: (r.schema or "", r.name))
