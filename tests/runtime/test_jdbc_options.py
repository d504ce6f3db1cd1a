"""JDBC options, SQL text and driver jars, without a database or Spark: what a script's options
resolve to and the exact SQL bookmarks and parallel reads send."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from awsglue import jdbc_sql
from awsglue.engine import resolve_engine
from awsglue.jdbc_drivers import JARS_ENV, classic_confs, driver_jars
from awsglue.jdbc_options import (
    VENDORS,
    JdbcOptionError,
    spec_from_options,
    uses_connection,
    with_database,
)

PG, MY = VENDORS["postgresql"], VENDORS["mysql"]
URL = "jdbc:postgresql://h:5432/shop"


def test_options_resolve_to_a_spec() -> None:
    spec = spec_from_options(
        "postgresql",
        {
            "url": URL,
            "dbtable": "public.orders",
            "user": "u",
            "password": "p",
            "hashfield": "id",
            "hashpartitions": "3",
            "jobBookmarkKeys": '["a", "b"]',
            "jobBookmarkKeysSortOrder": "DESC",
            "fetchsize": 500,
        },
    )
    assert (spec.vendor, spec.dbtable, spec.query) == (PG, "public.orders", "")
    assert (spec.hashfield, spec.hashpartitions) == ("id", 3)
    assert (spec.bookmark_keys, spec.bookmark_order) == (("a", "b"), "desc")
    assert spec.engine_options() == {
        "url": URL,
        "driver": "org.postgresql.Driver",
        "fetchsize": "500",
        "user": "u",
        "password": "p",
    }
    assert spec.source == "public.orders"


def test_query_connection_and_database() -> None:
    connection = {"fullUrl": "jdbc:mysql://m:3306/a", "user": "cu", "password": "cp"}
    spec = spec_from_options(
        "mysql", {"query": "SELECT 1;", "database": "b", "user": "mine"}, connection
    )
    assert (spec.vendor, spec.url) == (MY, "jdbc:mysql://m:3306/b")
    assert (spec.user, spec.password) == ("mine", "cp")  # the script's options win
    assert spec.source == "(SELECT 1) openglue_query"
    assert spec_from_options("jdbc", {"url": "jdbc:mariadb://m/x", "dbtable": "t"}).vendor == MY
    assert spec_from_options("postgresql", {"url": URL, "dbtable": "t"}).bookmark_keys == ()
    assert (
        with_database("jdbc:postgresql://h:1/a?ssl=true", "b") == "jdbc:postgresql://h:1/b?ssl=true"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "jdbc:oracle:thin:@h:1521/x", "dbtable": "t"}, "use postgresql or mysql"),
        ({"url": "postgresql://h/x", "dbtable": "t"}, "not a JDBC URL"),
        ({"url": URL}, "'dbtable'"),
        ({"dbtable": "t"}, "needs 'url'"),
        ({"url": URL, "dbtable": "t", "hashfield": "c", "hashpartitions": "x"}, "hashpartitions"),
        ({"url": URL, "dbtable": "t", "hashpartitions": -1}, "at least 1"),
    ],
)
def test_bad_options_say_what_to_change(options: dict[str, str], message: str) -> None:
    with pytest.raises(JdbcOptionError, match=message):
        spec_from_options("postgresql", options)


def test_connection_options_need_a_name() -> None:
    assert uses_connection({"connectionName": "c"}) == ""  # only with useConnectionProperties
    assert uses_connection({"useConnectionProperties": "true", "connectionName": "c"}) == "c"
    with pytest.raises(JdbcOptionError, match="connectionName"):
        uses_connection({"useConnectionProperties": True})


def test_compound_key_conditions() -> None:
    keys, numeric = ["grp", "seq"], [False, True]
    assert jdbc_sql.after(PG, keys, ["b", "1"], numeric, "asc") == (
        """(("grp" > 'b') OR ("grp" = 'b' AND "seq" > 1))"""
    )
    assert jdbc_sql.up_to(PG, keys, ["b", "1"], numeric, "desc") == (
        """(("grp" > 'b') OR ("grp" = 'b' AND "seq" > 1) OR ("grp" = 'b' AND "seq" = 1))"""
    )
    assert jdbc_sql.after(MY, ["k"], ["it's \\"], [False], "asc") == "((`k` > 'it''s \\\\'))"
    with pytest.raises(ValueError, match="not a number"):
        jdbc_sql.literal(PG, "1; DROP TABLE t", True)


def test_hash_predicates_cover_every_row() -> None:
    spec = spec_from_options("mysql", {"url": "jdbc:mysql://m/x", "dbtable": "t"})
    assert jdbc_sql.hash_predicates(spec) == []
    field = spec_from_options(
        "mysql", {"url": "jdbc:mysql://m/x", "dbtable": "t", "hashfield": "c", "hashpartitions": 2}
    )
    assert jdbc_sql.hash_predicates(field) == [
        "(ABS(MOD(CRC32(`c`), 2)) = 0 OR CRC32(`c`) IS NULL)",
        "ABS(MOD(CRC32(`c`), 2)) = 1",
    ]


def test_driver_jars_default_and_override(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    jar = tmp_path / "ojdbc.jar"
    jar.write_bytes(b"")
    with caplog.at_level(logging.WARNING, "awsglue.jdbc"):
        assert driver_jars({JARS_ENV: f"{jar},{tmp_path / 'missing.jar'}"}) == [str(jar)]
    assert "missing.jar" in caplog.text
    assert driver_jars({JARS_ENV: ""}) == []
    assert classic_confs({JARS_ENV: str(jar)}, {"spark.jars": "/a.jar"}) == {
        "spark.jars": f"/a.jar,{jar}"
    }
    assert "spark.jars" not in classic_confs({JARS_ENV: ""}, {})


def test_classic_sessions_get_the_installed_drivers() -> None:
    installed = driver_jars({})
    assert installed, "the set-up installs libpostgresql-jdbc-java and libmariadb-java"
    spec = resolve_engine({"OPENGLUE_ENGINE": "spark"}, ["--conf", "spark.jars=/x.jar"])
    assert spec.confs["spark.jars"].split(",") == ["/x.jar", *installed]
    assert "spark.jars" not in resolve_engine({"OPENGLUE_ENGINE": "sail"}, []).confs
