"""JdbcTargets crawled against the suite's real PostgreSQL server: include paths, exclusions,
the type mapping, the tables Glue would write, and connection failures as Glue errors."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from openglue.crawler.jdbc_target import plan_jdbc_target
from openglue.crawler.plan import TablePlan, TargetPlan
from openglue.errors import AccessDeniedException, EntityNotFoundException, InvalidInputException
from tests.support.jdbc_database import JdbcDatabase
from tests.support.postgres import PostgresServer

SETUP = """
CREATE SCHEMA sales;
CREATE DOMAIN positive_money AS numeric(12,2) CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE public.everything (
    c_smallint smallint, c_int integer, c_serial serial, c_bigint bigint, c_real real,
    c_double double precision, c_numeric numeric(10,2), c_numeric_free numeric,
    c_numeric_huge numeric(50,4), c_money positive_money, c_bool boolean, c_text text,
    c_varchar varchar(20), c_char char(3), c_date date, c_ts timestamp,
    c_tstz timestamptz, c_time time, c_interval interval, c_bytea bytea, c_uuid uuid,
    c_json json, c_jsonb jsonb, c_ints integer[], c_texts text[], c_bit bit(1),
    c_bits bit(8), c_mood mood, c_inet inet
);
CREATE TABLE public.hr_people (id int PRIMARY KEY, name text);
CREATE TABLE public.hr_salaries (id int, amount numeric(8,2));
CREATE TABLE public.events_old (id bigint);
CREATE TABLE "public"."MixedCase" (id int);
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer text, total numeric(12,2),
                           placed date);
COMMENT ON COLUMN sales.orders.total IS 'gross, in EUR';
CREATE TABLE sales.measures (at date, value double precision) PARTITION BY RANGE (at);
CREATE TABLE sales.measures_2024 PARTITION OF sales.measures
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW sales.big_orders AS SELECT id, total FROM sales.orders WHERE total > 100;
CREATE MATERIALIZED VIEW sales.order_days AS SELECT placed, count(*) AS n FROM sales.orders
    GROUP BY placed;
"""


@pytest.fixture(scope="module")
def shop(postgres: PostgresServer) -> JdbcDatabase:
    name = "shop_" + uuid.uuid4().hex[:8]
    postgres.create_database(name)
    database = JdbcDatabase(postgres.port, name)
    database.execute(SETUP)
    return database


def connection(port: int, url_database: str = "openglue", **properties: str) -> dict[str, Any]:
    """A catalog Connection as GetConnection answers it; the URL's database deliberately
    differs from the crawled one, as the include path names the database."""
    return {
        "Name": "shop-pg",
        "ConnectionType": "JDBC",
        "ConnectionProperties": {
            "JDBC_CONNECTION_URL": f"jdbc:postgresql://127.0.0.1:{port}/{url_database}",
            "USERNAME": "openglue",
            "PASSWORD": "unused",
            **properties,
        },
    }


def crawl(shop: JdbcDatabase, path: str, *exclusions: str, **kwargs: Any) -> TargetPlan:
    return plan_jdbc_target(connection(shop.port), path.format(db=shop.name), exclusions, **kwargs)


def names(plan: TargetPlan) -> list[str]:
    return [t.name for t in plan.tables]


def by_name(plan: TargetPlan, name: str) -> TablePlan:
    return next(t for t in plan.tables if t.name == name)


def test_schema_wildcard_catalogs_the_schemas_tables_as_glue_does(shop: JdbcDatabase) -> None:
    plan = crawl(shop, "{db}/sales/%")
    db = shop.name
    assert names(plan) == [
        f"{db}_sales_big_orders",
        f"{db}_sales_measures",
        f"{db}_sales_order_days",
        f"{db}_sales_orders",
    ]
    orders = by_name(plan, f"{db}_sales_orders")
    assert orders.location == f"{db}.sales.orders"
    assert orders.classification == "postgresql"
    assert orders.parameters == {
        "classification": "postgresql",
        "compressionType": "none",
        "typeOfData": "table",
        "connectionName": "shop-pg",
    }
    assert [(c.name, c.type) for c in orders.columns] == [
        ("id", "bigint"),
        ("customer", "string"),
        ("total", "decimal(12,2)"),
        ("placed", "date"),
    ]
    assert orders.partition_keys == () and orders.partitions == ()
    assert orders.input_format == orders.serde_library == ""
    assert plan.root_uri == f"{db}.sales."
    view = by_name(plan, f"{db}_sales_big_orders")
    assert view.parameters["typeOfData"] == "view"
    assert by_name(plan, f"{db}_sales_order_days").parameters["typeOfData"] == "view"
    # The partitioned table is listed once, through its parent.
    assert [(c.name, c.type) for c in by_name(plan, f"{db}_sales_measures").columns] == [
        ("at", "date"),
        ("value", "double"),
    ]
    explained = {d.subject: d.reason for d in plan.decisions if d.kind == "table"}
    assert "total numeric(12,2)→decimal(12,2)" in explained[f"{db}_sales_orders"]
    assert "matches include path" in explained[f"{db}_sales_big_orders"]


def test_types_map_to_hive_types(shop: JdbcDatabase) -> None:
    plan = crawl(shop, "{db}/public/everything")
    assert names(plan) == [f"{shop.name}_public_everything"]
    assert {c.name: c.type for c in plan.tables[0].columns} == {
        "c_smallint": "smallint",
        "c_int": "int",
        "c_serial": "int",
        "c_bigint": "bigint",
        "c_real": "float",
        "c_double": "double",
        "c_numeric": "decimal(10,2)",
        "c_numeric_free": "decimal(38,18)",
        "c_numeric_huge": "string",
        "c_money": "decimal(12,2)",  # a domain is typed by its base type
        "c_bool": "boolean",
        "c_text": "string",
        "c_varchar": "string",
        "c_char": "string",
        "c_date": "date",
        "c_ts": "timestamp",
        "c_tstz": "timestamp",
        "c_time": "string",
        "c_interval": "string",
        "c_bytea": "binary",
        "c_uuid": "string",
        "c_json": "string",
        "c_jsonb": "string",
        "c_ints": "array<int>",
        "c_texts": "array<string>",
        "c_bit": "boolean",
        "c_bits": "binary",
        "c_mood": "string",
        "c_inet": "string",
    }
    assert [c.name for c in plan.tables[0].columns][:3] == ["c_smallint", "c_int", "c_serial"]


def test_database_wildcard_spans_every_schema(shop: JdbcDatabase) -> None:
    plan = crawl(shop, "{db}/%")
    db = shop.name
    assert names(plan) == [
        f"{db}_public_MixedCase",
        f"{db}_public_events_old",
        f"{db}_public_everything",
        f"{db}_public_hr_people",
        f"{db}_public_hr_salaries",
        f"{db}_sales_big_orders",
        f"{db}_sales_measures",
        f"{db}_sales_order_days",
        f"{db}_sales_orders",
    ]
    assert plan.root_uri == f"{db}."
    assert crawl(shop, "{db}/%/%").tables == plan.tables


def test_table_wildcards_and_case_sensitivity(shop: JdbcDatabase) -> None:
    assert names(crawl(shop, "{db}/public/hr%")) == [
        f"{shop.name}_public_hr_people",
        f"{shop.name}_public_hr_salaries",
    ]
    assert names(crawl(shop, "{db}/%/%orders")) == [
        f"{shop.name}_sales_big_orders",
        f"{shop.name}_sales_orders",
    ]
    # '_' is not a wildcard: only the table named exactly hr_people.
    assert names(crawl(shop, "{db}/public/hr_people")) == [f"{shop.name}_public_hr_people"]
    assert names(crawl(shop, "{db}/public/MixedCase")) == [f"{shop.name}_public_MixedCase"]
    missed = crawl(shop, "{db}/public/mixedcase")
    assert missed.tables == []
    [empty] = [d for d in missed.decisions if d.kind == "empty"]
    assert "case-sensitive" in empty.reason and "public, sales" in empty.reason


def test_exclusions_are_globs_relative_to_the_include_path(shop: JdbcDatabase) -> None:
    plan = crawl(shop, "{db}/public/%", "hr*", "**_old", "[A-Z]*")
    assert names(plan) == [f"{shop.name}_public_everything"]
    skipped = {s.key: s.reason for s in plan.skipped}
    assert skipped == {
        f"{shop.name}/public/MixedCase": "excluded by pattern '[A-Z]*'",
        f"{shop.name}/public/events_old": "excluded by pattern '**_old'",
        f"{shop.name}/public/hr_people": "excluded by pattern 'hr*'",
        f"{shop.name}/public/hr_salaries": "excluded by pattern 'hr*'",
    }
    # Below db/% a pattern sees schema/table; '*' stays within one level.
    wide = crawl(shop, "{db}/%", "public/*", "*orders")
    assert [t.location.split(".")[1] for t in wide.tables] == ["sales"] * 4
    deep = crawl(shop, "{db}/%", "public/*", "**orders")
    assert names(deep) == [f"{shop.name}_sales_measures", f"{shop.name}_sales_order_days"]
    # The full database/schema/table path works too.
    full = crawl(shop, "{db}/sales/%", f"{shop.name}/sales/orders")
    assert f"{shop.name}_sales_orders" not in names(full) and len(full.tables) == 3


def test_comments_only_with_additional_metadata(shop: JdbcDatabase) -> None:
    plain = crawl(shop, "{db}/sales/orders")
    assert [c.comment for c in plain.tables[0].columns] == [None] * 4
    commented = crawl(shop, "{db}/sales/orders", additional_metadata=["COMMENTS"])
    assert [c.comment for c in commented.tables[0].columns] == [None, None, "gross, in EUR", None]


def test_only_tables_the_user_may_read(shop: JdbcDatabase) -> None:
    role = "reader_" + uuid.uuid4().hex[:6]
    shop.execute(f"CREATE ROLE {role} LOGIN")
    shop.execute(f"GRANT USAGE ON SCHEMA sales TO {role}")
    shop.execute(f"GRANT SELECT ON sales.orders, sales.big_orders TO {role}")
    plan = plan_jdbc_target(connection(shop.port, USERNAME=role), f"{shop.name}/%", (), ())
    assert names(plan) == [f"{shop.name}_sales_big_orders", f"{shop.name}_sales_orders"]


def test_host_port_database_properties_instead_of_a_url(shop: JdbcDatabase) -> None:
    conn = {
        "Name": "by-parts",
        "ConnectionType": "POSTGRESQL",
        "ConnectionProperties": {
            "HOST": "127.0.0.1",
            "PORT": str(shop.port),
            "DATABASE": shop.name,
            "USERNAME": "openglue",
            "PASSWORD": "x",
        },
    }
    plan = plan_jdbc_target(conn, f"{shop.name}/sales/orders")
    assert plan.tables[0].parameters["connectionName"] == "by-parts"


def test_unknown_user_is_access_denied(shop: JdbcDatabase) -> None:
    with pytest.raises(AccessDeniedException) as caught:
        plan_jdbc_target(connection(shop.port, USERNAME="nobody"), f"{shop.name}/%")
    message = caught.value.message
    assert "shop-pg" in message and "'nobody'" in message and "USERNAME and PASSWORD" in message
    assert "unused" not in message  # never the password


def test_missing_database_is_entity_not_found(shop: JdbcDatabase) -> None:
    with pytest.raises(EntityNotFoundException, match=r"nosuchdb.*does not exist"):
        plan_jdbc_target(connection(shop.port), "nosuchdb/public/%")


def test_unreachable_server_says_where_it_tried(shop: JdbcDatabase) -> None:
    refused = connection(shop.port)
    refused["ConnectionProperties"]["JDBC_CONNECTION_URL"] = "jdbc:postgresql://127.0.0.1:1/x"
    with pytest.raises(InvalidInputException, match=r"127\.0\.0\.1:1.*(refused|connect)"):
        plan_jdbc_target(refused, f"{shop.name}/%")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgresql://127.0.0.1/db", "does not start with 'jdbc:'"),
        ("jdbc:postgresql://127.0.0.1:99999/db", "port '99999'"),
        ("jdbc:postgresql:/127.0.0.1/db", "'//' must follow"),
        ("jdbc:sqlserver://h:1433;databaseName=db", "sqlserver database"),
        ("jdbc:db2://h:50000/db", "'db2' is not a database vendor"),
    ],
)
def test_bad_urls_fail_before_connecting(url: str, fragment: str) -> None:
    conn = connection(1)
    conn["ConnectionProperties"]["JDBC_CONNECTION_URL"] = url
    with pytest.raises(InvalidInputException) as caught:
        plan_jdbc_target(conn, "db/public/%")
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("db", "names a database but no tables"),
        ("db%/public/%", "database part cannot hold"),
        ("db//orders", "not of the form database/schema/table"),
        ("db/a/b/c", "not of the form database/schema/table"),
    ],
)
def test_bad_include_paths(path: str, fragment: str) -> None:
    with pytest.raises(InvalidInputException) as caught:
        plan_jdbc_target(connection(1), path)
    assert fragment in caught.value.message


def test_bad_exclusion_and_unusable_connections() -> None:
    with pytest.raises(InvalidInputException, match="never closed"):
        plan_jdbc_target(connection(1), "db/public/%", ["[abc"])
    no_url = {"Name": "c", "ConnectionType": "JDBC", "ConnectionProperties": {"USERNAME": "u"}}
    with pytest.raises(InvalidInputException, match="has no JDBC_CONNECTION_URL"):
        plan_jdbc_target(no_url, "db/public/%")
    secret = connection(1, SECRET_ID="prod/db")
    del secret["ConnectionProperties"]["PASSWORD"]
    with pytest.raises(InvalidInputException, match="Secrets Manager"):
        plan_jdbc_target(secret, "db/public/%")
