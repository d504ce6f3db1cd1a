"""JDBC URLs and include paths read into their parts, and type spellings mapped to Hive types
(pure functions; the crawls themselves are tested against real servers)."""

from __future__ import annotations

import pytest

from openglue.crawler.jdbc_paths import parse_include_path
from openglue.crawler.jdbc_types import mysql_to_hive, postgres_to_hive
from openglue.crawler.jdbc_url import JdbcUrl, parse_jdbc_url
from openglue.errors import InvalidInputException


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "jdbc:postgresql://db.example.com:6543/sales?sslmode=require&user=etl",
            JdbcUrl(
                "postgresql", "db.example.com", 6543, "sales", {"sslmode": "require", "user": "etl"}
            ),
        ),
        ("jdbc:postgresql://pg/sales", JdbcUrl("postgresql", "pg", 5432, "sales")),
        ("jdbc:postgresql://pg:5433/", JdbcUrl("postgresql", "pg", 5433, "")),
        ("jdbc:postgresql:sales", JdbcUrl("postgresql", "localhost", 5432, "sales")),
        ("jdbc:postgresql://[::1]:5440/a%20b", JdbcUrl("postgresql", "::1", 5440, "a b")),
        ("jdbc:postgresql://h1:5001,h2:5002/db", JdbcUrl("postgresql", "h1", 5001, "db")),
        ("JDBC:MySQL://my:3307/shop", JdbcUrl("mysql", "my", 3307, "shop")),
        ("jdbc:mariadb://maria/shop", JdbcUrl("mysql", "maria", 3306, "shop")),
        ("jdbc:redshift://rs:5439/dev", JdbcUrl("redshift", "rs", 5439, "dev")),
        (
            "jdbc:sqlserver://ms:1433;databaseName=hr;encrypt=true",
            JdbcUrl("sqlserver", "ms", 1433, "hr", {"databaseName": "hr", "encrypt": "true"}),
        ),
        ("jdbc:oracle:thin:@//ora:1522/ORCLPDB", JdbcUrl("oracle", "ora", 1522, "ORCLPDB")),
        ("jdbc:oracle:thin:@ora:1521:orcl", JdbcUrl("oracle", "ora", 1521, "orcl")),
    ],
)
def test_jdbc_urls(url: str, expected: JdbcUrl) -> None:
    assert parse_jdbc_url(url) == expected


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "does not start with 'jdbc:'"),
        ("jdbc:postgresql://:5432/db", "names no host"),
        ("jdbc:postgresql://h:port/db", "port 'port'"),
        ("jdbc:postgresql://[::1/db", "never closed"),
        ("jdbc:oracle:oci:scott/tiger@db", "Oracle URLs look like"),
        ("jdbc::whatever", "names no database vendor"),
    ],
)
def test_bad_jdbc_urls(url: str, fragment: str) -> None:
    with pytest.raises(InvalidInputException) as caught:
        parse_jdbc_url(url)
    assert fragment in caught.value.message and "jdbc:postgresql://host:5432/database" in (
        caught.value.message
    )


def test_include_paths() -> None:
    pg = parse_include_path("sales/public/%", has_schemas=True)
    assert (pg.database, pg.schema, pg.table, pg.root) == ("sales", "public", "%", "sales.public.")
    assert pg.matches("public", "orders") and not pg.matches("Public", "orders")
    assert pg.relative("public", "orders") == "orders"
    every = parse_include_path("/sales/%/", has_schemas=True)
    assert (every.schema, every.table, every.root) == ("%", "%", "sales.")
    assert every.relative("hr", "people") == "hr/people"
    one_schema = parse_include_path("sales/hr", has_schemas=True)
    assert (one_schema.schema, one_schema.table) == ("hr", "%")
    exact = parse_include_path("sales/hr/people", has_schemas=True)
    assert exact.root == "sales.hr.people" and exact.relative("hr", "people") == "people"
    assert exact.matches("hr", "people") and not exact.matches("hr", "peoples")
    infix = parse_include_path("sales/h%r/p%e", has_schemas=True)
    assert infix.matches("hr", "pe") and infix.matches("h.x.r", "people")
    assert not infix.matches("hrx", "people")
    assert infix.relative("hxr", "pxe") == "hxr/pxe" and infix.root == "sales.h"
    my = parse_include_path("shop/ord%", has_schemas=False)
    assert (my.database, my.schema, my.table, my.root) == ("shop", None, "ord%", "shop.ord")
    assert my.matches(None, "orders") and my.full(None, "orders") == "shop/orders"
    assert parse_include_path("shop/a_b", has_schemas=False).matches(None, "a_b")
    assert not parse_include_path("shop/a_b", has_schemas=False).matches(None, "axb")


@pytest.mark.parametrize(
    ("native", "hive"),
    [
        ("integer", "int"),
        ("numeric(5,0)", "decimal(5,0)"),
        ("numeric(7)", "decimal(7,0)"),
        ("numeric", "decimal(38,18)"),
        ("numeric(39,2)", "string"),
        ("character varying(20)", "string"),
        ("timestamp(3) without time zone", "timestamp"),
        ("timestamp with time zone", "timestamp"),
        ("time without time zone", "string"),
        ("numeric(4,1)[]", "array<decimal(4,1)>"),
        ("integer[]", "array<int>"),
        ("bit varying(5)", "binary"),
        ("oid", "bigint"),
        ("point", "string"),
    ],
)
def test_postgres_types(native: str, hive: str) -> None:
    assert postgres_to_hive(native) == hive


@pytest.mark.parametrize(
    ("data_type", "column_type", "hive"),
    [
        ("tinyint", "tinyint(4)", "tinyint"),
        ("tinyint", "tinyint(1)", "boolean"),
        ("tinyint", "tinyint(3) unsigned", "smallint"),
        ("mediumint", "mediumint(8) unsigned", "int"),
        ("int", "int(10) unsigned", "bigint"),
        ("bigint", "bigint(20) unsigned", "decimal(20,0)"),
        ("decimal", "decimal(10,2) unsigned", "decimal(10,2)"),
        ("decimal", "decimal(65,30)", "string"),
        ("DATETIME", "DATETIME(6)", "timestamp"),
        ("set", "set('a','b')", "string"),
        ("longtext", "longtext", "string"),
        ("varbinary", "varbinary(16)", "binary"),
        ("bit", "bit(1)", "boolean"),
        ("bit", "bit(64)", "binary"),
        ("geometry", "geometry", "string"),
    ],
)
def test_mysql_types(data_type: str, column_type: str, hive: str) -> None:
    assert mysql_to_hive(data_type, column_type) == hive
