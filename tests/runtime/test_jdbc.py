"""JDBC sources and sinks against a real PostgreSQL, on both engines: from_options, parallel
reads, writes, and bookmarks on key columns."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from awsglue import bookmarks
from awsglue.bookmarks import ENABLE, DisabledBookmarks, InMemoryBookmarks
from awsglue.jdbc_engine import JdbcEngineError
from tests.support.jdbc_database import JdbcDatabase, items_database
from tests.support.postgres import PostgresServer


@pytest.fixture(scope="module")
def db(postgres: PostgresServer) -> JdbcDatabase:
    return items_database(postgres)


@pytest.fixture
def table(db: JdbcDatabase) -> str:
    return "t_" + uuid.uuid4().hex[:8]


@pytest.fixture
def state() -> Iterator[InMemoryBookmarks]:
    """Bookmarks enabled for a fresh job, with state in a store of its own."""
    current = InMemoryBookmarks("job_" + uuid.uuid4().hex[:6], ENABLE, store={})
    bookmarks.activate(current)
    yield current
    bookmarks.activate(DisabledBookmarks())


def _ids(frame: Any) -> list[int]:
    from awsglue.dynamicframe import DynamicFrame

    data = frame.toDF() if isinstance(frame, DynamicFrame) else frame
    return sorted(row["id"] for row in data.collect())


def test_table_is_read_by_options(glue_context: Any, db: JdbcDatabase) -> None:
    frame = glue_context.create_dynamic_frame.from_options(
        connection_type="postgresql", connection_options=db.options(dbtable="public.items")
    )
    df = frame.toDF()
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    assert types["id"] == "int"
    assert types["name"] == "string"
    assert types["seen"] == "timestamp"
    assert types["price"] == "decimal(10,2)"
    rows = sorted(df.collect(), key=lambda r: r["id"])
    expected = db.execute("SELECT id, name, price, seen FROM items ORDER BY id")
    assert [(r["id"], r["name"], r["price"], r["seen"]) for r in rows] == expected


def test_query_and_data_frame_reader(glue_context: Any, db: JdbcDatabase) -> None:
    df = glue_context.create_data_frame.from_options(
        "postgresql", db.options(query="SELECT id, name FROM items WHERE id % 5 = 0")
    )
    assert _ids(df) == [5, 10, 15, 20]
    assert df.columns == ["id", "name"]


@pytest.mark.parametrize(
    "split", [{"hashfield": "name", "hashpartitions": "3"}, {"hashexpression": "id"}]
)
def test_parallel_read_returns_each_row_once(
    glue_context: Any, db: JdbcDatabase, split: dict[str, str]
) -> None:
    db.execute("INSERT INTO items (id, name) VALUES (1000, NULL) ON CONFLICT DO NOTHING")
    try:
        frame = glue_context.create_dynamic_frame.from_options(
            "postgresql", db.options(dbtable="items", **split)
        )
        expected = [row[0] for row in db.execute("SELECT id FROM items ORDER BY id")]
        assert _ids(frame) == expected  # none lost (the NULL hash too), none twice
    finally:
        db.execute("DELETE FROM items WHERE id = 1000")


WRITTEN_SCHEMA = (
    "id int, label string, amount decimal(10,2), ratio double, ok boolean, day date,"
    " at timestamp, raw binary"
)


def test_write_creates_then_appends(glue_context: Any, db: JdbcDatabase, table: str) -> None:
    from awsglue.dynamicframe import DynamicFrame

    at = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456)
    data = [
        (1, "a", Decimal("1.50"), 0.25, True, datetime.date(2024, 5, 6), at, b"\x00\\,\xff"),
        (2, 'it\'s "quoted",\nover two lines', None, None, None, None, None, None),
        (3, "", None, None, None, None, None, None),
    ]
    df = glue_context.spark_session.createDataFrame(data, WRITTEN_SCHEMA)
    frame = DynamicFrame.fromDF(df, glue_context, "out")
    sink_options = db.options(dbtable=f"public.{table}")
    errors = glue_context.write_dynamic_frame.from_options(frame, "postgresql", sink_options)
    assert errors.count() == 0
    glue_context.write_dynamic_frame.from_options(frame, "postgresql", sink_options)
    rows = db.execute(f"SELECT * FROM {table} ORDER BY id")
    # Spark 4 writes timestamps as instants (timestamptz); psycopg gives them back aware.
    first = (*data[0][:-2], at.replace(tzinfo=datetime.UTC), data[0][-1])
    assert rows == [first, first, data[1], data[1], data[2], data[2]]
    types = db.execute(
        "SELECT column_name, data_type, numeric_precision, numeric_scale"
        " FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    # What classic Spark's PostgreSQL dialect creates; the Connect path must create the same.
    assert types == [
        ("id", "integer", 32, 0),
        ("label", "text", None, None),
        ("amount", "numeric", 10, 2),
        ("ratio", "double precision", 53, None),
        ("ok", "boolean", None, None),
        ("day", "date", None, None),
        ("at", "timestamp with time zone", None, None),
        ("raw", "bytea", None, None),
    ]


def test_mysql_write_on_sail_says_to_use_the_classic_engine(sail_glue_context: Any) -> None:
    from awsglue.dynamicframe import DynamicFrame

    df = sail_glue_context.spark_session.createDataFrame([(1,)], "id int")
    frame = DynamicFrame.fromDF(df, sail_glue_context, "out")
    options = {"url": "jdbc:mysql://127.0.0.1:1/db", "dbtable": "t"}
    with pytest.raises(JdbcEngineError, match="OPENGLUE_ENGINE=spark"):
        sail_glue_context.write_dynamic_frame.from_options(frame, "mysql", options)


def test_bad_options_are_explained(spark_glue_context: Any, db: JdbcDatabase) -> None:
    from awsglue.jdbc_options import JdbcOptionError

    read = spark_glue_context.create_dynamic_frame.from_options
    with pytest.raises(JdbcOptionError, match="needs 'url'"):
        read("postgresql", {"dbtable": "items"})
    with pytest.raises(JdbcOptionError, match="'dbtable'"):
        read("postgresql", {"url": db.url})
    with pytest.raises(JdbcOptionError, match="does not match"):
        read("mysql", db.options(dbtable="items"))
    with pytest.raises(JdbcOptionError, match="'asc' or 'desc'"):
        read("postgresql", db.options(dbtable="items", jobBookmarkKeysSortOrder="up"))


# -- bookmarks -----------------------------------------------------------------------------------


def test_bookmark_on_the_primary_key_reads_only_new_rows(
    glue_context: Any, db: JdbcDatabase, table: str, state: InMemoryBookmarks
) -> None:
    db.execute(f"CREATE TABLE {table} (id bigint PRIMARY KEY, v text)")
    db.execute(f"INSERT INTO {table} SELECT i, 'v' FROM generate_series(1, 5) i")

    def run() -> list[int]:
        frame = glue_context.create_dynamic_frame.from_options(
            "postgresql", db.options(dbtable=table), transformation_ctx="src"
        )
        ids = _ids(frame)
        state.commit()
        return ids

    assert run() == [1, 2, 3, 4, 5]
    element = state.get("src")
    assert element is not None
    assert json.loads(element["keys"]) == ["id"]
    assert json.loads(element["values"]) == ["5"]
    assert run() == []  # nothing new
    db.execute(f"INSERT INTO {table} SELECT i, 'v' FROM generate_series(6, 8) i")
    assert run() == [6, 7, 8]


def test_bookmark_keys_compound_and_descending(
    glue_context: Any, db: JdbcDatabase, table: str, state: InMemoryBookmarks
) -> None:
    db.execute(f"CREATE TABLE {table} (id int, grp text, seq int)")
    db.execute(f"INSERT INTO {table} VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 1)")
    options = db.options(dbtable=table, jobBookmarkKeys=["grp", "seq"])

    def read(opts: dict[str, Any], ctx: str) -> list[int]:
        frame = glue_context.create_dynamic_frame.from_options(
            "postgresql", opts, transformation_ctx=ctx
        )
        ids = _ids(frame)
        state.commit()
        return ids

    assert read(options, "asc") == [1, 2, 3]
    # Past ('b', 1): ('b', 2) and ('c', 0) are new, ('a', 9) is not.
    db.execute(f"INSERT INTO {table} VALUES (4, 'a', 9), (5, 'b', 2), (6, 'c', 0)")
    assert read(options, "asc") == [5, 6]

    desc = db.options(dbtable=table, jobBookmarkKeys="seq", jobBookmarkKeysSortOrder="desc")
    assert read(desc, "desc") == [1, 2, 3, 4, 5, 6]
    db.execute(f"INSERT INTO {table} VALUES (7, 'z', -1), (8, 'z', 5)")
    assert read(desc, "desc") == [7]  # only keys below the least one seen


def test_bookmark_is_staged_not_saved_until_commit(
    glue_context: Any, db: JdbcDatabase, table: str, state: InMemoryBookmarks
) -> None:
    db.execute(f"CREATE TABLE {table} (id int PRIMARY KEY)")
    db.execute(f"INSERT INTO {table} VALUES (1), (2)")
    read = glue_context.create_dynamic_frame.from_options
    assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="s")) == [1, 2]
    # No commit (the run failed): the next run reads the same rows again.
    assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="s")) == [1, 2]
    assert state.get("s") is None


def test_no_bookmark_without_ctx_or_when_disabled(
    spark_glue_context: Any, db: JdbcDatabase, table: str, state: InMemoryBookmarks
) -> None:
    db.execute(f"CREATE TABLE {table} (id int PRIMARY KEY)")
    db.execute(f"INSERT INTO {table} VALUES (1), (2)")
    read = spark_glue_context.create_dynamic_frame.from_options
    assert _ids(read("postgresql", db.options(dbtable=table))) == [1, 2]
    state.commit()
    assert _ids(read("postgresql", db.options(dbtable=table))) == [1, 2]
    bookmarks.activate(DisabledBookmarks())
    for _ in range(2):
        assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="x")) == [
            1,
            2,
        ]


def test_bookmark_on_a_table_without_key_reads_everything(
    spark_glue_context: Any, db: JdbcDatabase, table: str, state: InMemoryBookmarks
) -> None:
    db.execute(f"CREATE TABLE {table} (id int)")
    db.execute(f"INSERT INTO {table} VALUES (1), (2)")
    read = spark_glue_context.create_dynamic_frame.from_options
    for _ in range(2):
        assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="k")) == [
            1,
            2,
        ]
        state.commit()
    with pytest.raises(ValueError, match="not a column"):
        read(
            "postgresql",
            db.options(dbtable=table, jobBookmarkKeys=["nope"]),
            transformation_ctx="k2",
        )


def test_pause_between_runs_reads_the_rows_between_their_marks(
    spark_glue_context: Any, db: JdbcDatabase, table: str
) -> None:
    from awsglue.bookmarks import PAUSE
    from awsglue.server_bookmarks import ServerBookmarks

    db.execute(f"CREATE TABLE {table} (id int PRIMARY KEY)")
    db.execute(f"INSERT INTO {table} SELECT generate_series(1, 10)")

    def entry(mark: str | None) -> dict[str, str]:
        element = {"jsonClass": "JDBCBookmarkState", "keys": '["id"]', "sortOrder": "asc"}
        state = {"src": {**element, "values": json.dumps([mark])}} if mark else {}
        return {"JobBookmark": json.dumps(state)}

    read = spark_glue_context.create_dynamic_frame.from_options
    # --job-bookmark-from a run that had read up to 3, --job-bookmark-to one that read up to 7.
    bookmarks.activate(ServerBookmarks("j", PAUSE, None, None, lower=entry("3"), upper=entry("7")))
    try:
        assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="src")) == [
            4,
            5,
            6,
            7,
        ]
        # A "to" run that had not read this source: nothing is read.
        bookmarks.activate(
            ServerBookmarks("j", PAUSE, None, None, lower=entry(None), upper=entry(None))
        )
        assert _ids(read("postgresql", db.options(dbtable=table), transformation_ctx="src")) == []
    finally:
        bookmarks.activate(DisabledBookmarks())
