"""The ``mysql`` connection type against a real MariaDB server: reads on both engines, writes
on classic Spark, and bookmarks on the primary key MySQL's information_schema reports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from awsglue import bookmarks
from awsglue.bookmarks import ENABLE, DisabledBookmarks, InMemoryBookmarks
from tests.support.mariadb import MariaDBServer, start_mariadb


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaDBServer]:
    server = start_mariadb()
    yield server
    server.stop()


@pytest.fixture
def database(mariadb: MariaDBServer) -> str:
    name = "shop_" + uuid.uuid4().hex[:8]
    mariadb.execute(f"CREATE DATABASE {name}")
    mariadb.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, status varchar(20), total decimal(8,2))",
        name,
    )
    mariadb.execute(
        "INSERT INTO orders VALUES (1, 'completed', 10.50), (2, 'it''s \\\\ odd', 3.00),"
        " (3, NULL, 7.25)",
        name,
    )
    return name


def _options(mariadb: MariaDBServer, database: str, **more: Any) -> dict[str, Any]:
    return {"url": mariadb.url(database), "user": "root", "password": "", **more}


def test_mysql_table_is_read(glue_context: Any, mariadb: MariaDBServer, database: str) -> None:
    frame = glue_context.create_dynamic_frame.from_options(
        "mysql", _options(mariadb, database, dbtable="orders")
    )
    rows = sorted((r["id"], r["status"], str(r["total"])) for r in frame.toDF().collect())
    assert rows == [(1, "completed", "10.50"), (2, "it's \\ odd", "3.00"), (3, None, "7.25")]


def test_mysql_parallel_read_and_bookmarks(
    glue_context: Any, mariadb: MariaDBServer, database: str
) -> None:
    state = InMemoryBookmarks("job", ENABLE, store={})
    bookmarks.activate(state)
    options = _options(mariadb, database, dbtable="orders", hashfield="status", hashpartitions=2)
    try:

        def run() -> list[int]:
            frame = glue_context.create_dynamic_frame.from_options(
                "mysql", options, transformation_ctx="orders"
            )
            ids = sorted(r["id"] for r in frame.toDF().collect())
            state.commit()
            return ids

        assert run() == [1, 2, 3]
        mariadb.execute("INSERT INTO orders VALUES (4, 'new', 1.00)", database)
        assert run() == [4]
    finally:
        bookmarks.activate(DisabledBookmarks())


def test_mysql_write_on_classic_spark(
    spark_glue_context: Any, mariadb: MariaDBServer, database: str
) -> None:
    from awsglue.dynamicframe import DynamicFrame

    df = spark_glue_context.spark_session.createDataFrame([(7, "x")], "id int, label string")
    spark_glue_context.write_dynamic_frame.from_options(
        DynamicFrame.fromDF(df, spark_glue_context, "out"),
        "mysql",
        _options(mariadb, database, dbtable="labels"),
    )
    assert mariadb.execute("SELECT id, label FROM labels", database) == [("7", "x")]
