"""JDBC through the Data Catalog of a real ``openglue server``: catalog Connections
(``extract_jdbc_conf``, ``useConnectionProperties``, ``from_jdbc_conf``) and tables a crawler
would make from a PostgreSQL database (``from_catalog`` both ways)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from awsglue import bookmarks
from awsglue.bookmarks import ENABLE, DisabledBookmarks, InMemoryBookmarks
from awsglue.jdbc_options import JdbcOptionError
from tests.support.jdbc_database import JdbcDatabase, items_database
from tests.support.postgres import PostgresServer
from tests.support.server import RunningServer, start_server

CATALOG_COLUMNS = [
    ("id", "int"),
    ("name", "string"),
    ("price", "decimal(10,2)"),
    ("seen", "timestamp"),
]


@pytest.fixture(scope="module")
def catalog_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("jdbc-catalog-server"))
    yield running
    running.stop()


@pytest.fixture
def glue(catalog_server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The catalog client; the runtime finds the same server through the AWS variables."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", catalog_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return catalog_server.client()


@pytest.fixture(scope="module")
def db(postgres: PostgresServer) -> JdbcDatabase:
    return items_database(postgres)


@pytest.fixture
def connection(glue: Any, db: JdbcDatabase) -> str:
    """A JDBC catalog connection to the server's default database ``openglue`` — not ``db``:
    the tables' locations and the ``database`` option must pick the database."""
    name = "pg_" + uuid.uuid4().hex[:8]
    glue.create_connection(
        ConnectionInput={
            "Name": name,
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": f"jdbc:postgresql://127.0.0.1:{db.port}/openglue",
                "USERNAME": "openglue",
                "PASSWORD": "s3cret",
            },
        }
    )
    return name


def _catalog_table(glue: Any, connection: str, db: JdbcDatabase, table: str) -> str:
    """A catalog table as Glue's crawlers record a PostgreSQL table; returns its database."""
    database = "db_" + uuid.uuid4().hex[:8]
    glue.create_database(DatabaseInput={"Name": database})
    parameters = {"classification": "postgresql", "connectionName": connection}
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": f"{db.name}_public_{table}",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {**parameters, "typeOfData": "table"},
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in CATALOG_COLUMNS],
                "Location": f"{db.name}.public.{table}",
                "Parameters": parameters,
            },
        },
    )
    return database


def test_extract_jdbc_conf_answers_as_glue(
    spark_glue_context: Any, glue: Any, connection: str, db: JdbcDatabase
) -> None:
    conf = spark_glue_context.extract_jdbc_conf(connection)
    assert conf["url"] == f"jdbc:postgresql://127.0.0.1:{db.port}"
    assert conf["fullUrl"] == f"jdbc:postgresql://127.0.0.1:{db.port}/openglue"
    assert (conf["user"], conf["password"], conf["vendor"]) == ("openglue", "s3cret", "postgresql")
    with pytest.raises(ClientError, match="EntityNotFoundException"):
        spark_glue_context.extract_jdbc_conf("no_such_connection")


def test_connection_without_usable_credentials_is_refused(
    spark_glue_context: Any, glue: Any
) -> None:
    name = "secret_" + uuid.uuid4().hex[:6]
    glue.create_connection(
        ConnectionInput={
            "Name": name,
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": "jdbc:postgresql://127.0.0.1:1/x",
                "SECRET_ID": "prod/db",
            },
        }
    )
    with pytest.raises(JdbcOptionError, match="Secrets Manager"):
        spark_glue_context.extract_jdbc_conf(name)


def test_read_with_connection_properties(
    glue_context: Any, glue: Any, connection: str, db: JdbcDatabase
) -> None:
    frame = glue_context.create_dynamic_frame.from_options(
        connection_type="postgresql",
        connection_options={
            "useConnectionProperties": "true",
            "connectionName": connection,
            "database": db.name,
            "dbtable": "public.items",
        },
    )
    assert frame.count() == 20


def test_from_catalog_reads_a_crawled_jdbc_table_with_its_types(
    glue_context: Any, glue: Any, connection: str, db: JdbcDatabase
) -> None:
    database = _catalog_table(glue, connection, db, "items")
    frame = glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name=f"{db.name}_public_items"
    )
    df = frame.toDF()
    assert df.schema.simpleString() == (
        "struct<id:int,name:string,price:decimal(10,2),seen:timestamp>"
    )
    rows = sorted(df.collect(), key=lambda r: r["id"])
    expected = db.execute("SELECT id, name, price, seen FROM items ORDER BY id")
    assert [tuple(r) for r in rows] == expected


def test_from_catalog_bookmarks_with_additional_options(
    spark_glue_context: Any, glue: Any, connection: str, db: JdbcDatabase
) -> None:
    table = "b_" + uuid.uuid4().hex[:8]
    db.execute(f"CREATE TABLE {table} (id int, name text, price numeric(10,2), seen timestamp)")
    db.execute(f"INSERT INTO {table} (id, name) VALUES (1, 'a'), (2, 'b')")
    database = _catalog_table(glue, connection, db, table)
    state = InMemoryBookmarks("job", ENABLE, store={})
    bookmarks.activate(state)
    try:

        def run() -> list[int]:
            frame = spark_glue_context.create_dynamic_frame.from_catalog(
                database=database,
                table_name=f"{db.name}_public_{table}",
                transformation_ctx="catalog_src",
                additional_options={"jobBookmarkKeys": ["id"]},
            )
            ids = sorted(row["id"] for row in frame.toDF().collect())
            state.commit()
            return ids

        assert run() == [1, 2]
        db.execute(f"INSERT INTO {table} (id, name) VALUES (3, 'c')")
        assert run() == [3]
    finally:
        bookmarks.activate(DisabledBookmarks())


def test_writes_through_connection_and_catalog(
    glue_context: Any, glue: Any, connection: str, db: JdbcDatabase
) -> None:
    from awsglue.dynamicframe import DynamicFrame

    table = "w_" + uuid.uuid4().hex[:8]
    db.execute(f"CREATE TABLE {table} (id int, name text, price numeric(10,2), seen timestamp)")
    session = glue_context.spark_session
    frame = DynamicFrame.fromDF(
        session.createDataFrame([(1, "a")], "id int, name string"), glue_context, "f"
    )
    glue_context.write_dynamic_frame.from_jdbc_conf(
        frame,
        catalog_connection=connection,
        connection_options={"dbtable": table, "database": db.name},
    )
    database = _catalog_table(glue, connection, db, table)
    more = DynamicFrame.fromDF(
        session.createDataFrame([(2, "b")], "id int, name string"), glue_context, "g"
    )
    glue_context.write_dynamic_frame.from_catalog(
        more, database=database, table_name=f"{db.name}_public_{table}"
    )
    assert db.execute(f"SELECT id, name FROM {table} ORDER BY id") == [(1, "a"), (2, "b")]


def test_postgresql_connection_with_host_port_and_database(
    glue_context: Any, glue: Any, db: JdbcDatabase
) -> None:
    name = "native_" + uuid.uuid4().hex[:6]
    glue.create_connection(
        ConnectionInput={
            "Name": name,
            "ConnectionType": "POSTGRESQL",
            "ConnectionProperties": {
                "HOST": "127.0.0.1",
                "PORT": str(db.port),
                "DATABASE": db.name,
                "USERNAME": "openglue",
                "PASSWORD": "x",
            },
        }
    )
    assert glue_context.extract_jdbc_conf(name)["fullUrl"] == db.url
    frame = glue_context.create_dynamic_frame.from_options(
        "postgresql",
        {"useConnectionProperties": "true", "connectionName": name, "dbtable": "items"},
    )
    assert frame.count() == 20
