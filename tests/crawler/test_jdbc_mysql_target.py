"""JdbcTargets on a real MariaDB server (MySQL's protocol): two-level include paths, MySQL's
types, views, and a missing database, read through the driver the server has."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from openglue.crawler.jdbc_target import plan_jdbc_target
from openglue.errors import EntityNotFoundException, InvalidInputException
from tests.support.mariadb import MariaDBServer, start_mariadb


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaDBServer]:
    server = start_mariadb()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shop(mariadb: MariaDBServer) -> str:
    name = "shop_" + uuid.uuid4().hex[:8]
    mariadb.execute(f"CREATE DATABASE {name}")
    mariadb.execute(
        "CREATE TABLE orders (id bigint unsigned PRIMARY KEY, paid tinyint(1), qty smallint,"
        " n int, big bigint, small_u int unsigned, note varchar(20) COMMENT 'free text',"
        " total decimal(8,2), ratio double, f float, placed date, at datetime, stamp timestamp"
        " NULL, raw blob, kind enum('a','b'), y year, flags bit(4), one bit(1), doc json)",
        name,
    )
    mariadb.execute("CREATE TABLE order_lines (order_id bigint, sku char(8))", name)
    mariadb.execute("CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE paid", name)
    return name


def connection(mariadb: MariaDBServer) -> dict[str, Any]:
    return {
        "Name": "shop-mysql",
        "ConnectionType": "JDBC",
        "ConnectionProperties": {
            "JDBC_CONNECTION_URL": mariadb.url("mysql"),
            "USERNAME": "root",
            "PASSWORD": "unused",
        },
    }


def test_mysql_tables_views_and_types(mariadb: MariaDBServer, shop: str) -> None:
    plan = plan_jdbc_target(connection(mariadb), f"{shop}/%", (), ["COMMENTS"])
    assert [t.name for t in plan.tables] == [
        f"{shop}_order_lines",
        f"{shop}_orders",
        f"{shop}_paid_orders",
    ]
    orders = plan.tables[1]
    assert orders.location == f"{shop}.orders"
    assert orders.parameters == {
        "classification": "mysql",
        "compressionType": "none",
        "typeOfData": "table",
        "connectionName": "shop-mysql",
    }
    assert [(c.name, c.type) for c in orders.columns] == [
        ("id", "decimal(20,0)"),
        ("paid", "boolean"),
        ("qty", "smallint"),
        ("n", "int"),
        ("big", "bigint"),
        ("small_u", "bigint"),
        ("note", "string"),
        ("total", "decimal(8,2)"),
        ("ratio", "double"),
        ("f", "float"),
        ("placed", "date"),
        ("at", "timestamp"),
        ("stamp", "timestamp"),
        ("raw", "binary"),
        ("kind", "string"),
        ("y", "int"),
        ("flags", "binary"),
        ("one", "boolean"),
        ("doc", "string"),
    ]
    assert orders.columns[6].comment == "free text"
    assert plan.tables[2].parameters["typeOfData"] == "view"
    assert plan.root_uri == f"{shop}."


def test_mysql_paths_and_exclusions(mariadb: MariaDBServer, shop: str) -> None:
    conn = connection(mariadb)
    assert [t.name for t in plan_jdbc_target(conn, f"{shop}/order%").tables] == [
        f"{shop}_order_lines",
        f"{shop}_orders",
    ]
    plan = plan_jdbc_target(conn, f"{shop}/%", ["*_*"])
    assert [t.name for t in plan.tables] == [f"{shop}_orders"]
    assert sorted(s.key for s in plan.skipped) == [f"{shop}/order_lines", f"{shop}/paid_orders"]
    with pytest.raises(InvalidInputException, match="not of the form database/table"):
        plan_jdbc_target(conn, f"{shop}/public/%")


def test_mysql_missing_database(mariadb: MariaDBServer) -> None:
    with pytest.raises(EntityNotFoundException, match=r"shop-mysql.*Unknown database 'nodb'"):
        plan_jdbc_target(connection(mariadb), "nodb/%")


def test_mysql_closed_port_fails_fast(mariadb: MariaDBServer) -> None:
    conn = connection(mariadb)
    conn["ConnectionProperties"]["JDBC_CONNECTION_URL"] = "jdbc:mysql://127.0.0.1:1/x"
    with pytest.raises(InvalidInputException, match=r"mysql at 127\.0\.0\.1:1.*refused"):
        plan_jdbc_target(conn, "x/%")
