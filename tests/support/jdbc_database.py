"""A PostgreSQL database of the test server, seen as a JDBC source: its URL, options a Glue
script would pass, and SQL through psycopg to set up and check tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from tests.support.postgres import PostgresServer


@dataclass(frozen=True)
class JdbcDatabase:
    port: int
    name: str

    @property
    def url(self) -> str:
        return f"jdbc:postgresql://127.0.0.1:{self.port}/{self.name}"

    def options(self, **more: Any) -> dict[str, Any]:
        """Glue connection_options for this database (the test cluster trusts any password)."""
        return {"url": self.url, "user": "openglue", "password": "unused", **more}

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conninfo = f"host=127.0.0.1 port={self.port} user=openglue dbname={self.name}"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def items_database(postgres: PostgresServer) -> JdbcDatabase:
    """A fresh database with an ``items`` table of 20 rows (id primary key 1…20)."""
    name = "jdbc_" + uuid.uuid4().hex[:8]
    postgres.create_database(name)
    database = JdbcDatabase(postgres.port, name)
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), seen timestamp)"
    )
    database.execute(
        "INSERT INTO items SELECT i, 'item' || i, i * 1.25, timestamp '2024-01-01' + i * interval"
        " '1 hour' FROM generate_series(1, 20) i"
    )
    return database
