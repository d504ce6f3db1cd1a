"""from_catalog / write…from_catalog against a real ``openglue server``, on both engines."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.support.server import RunningServer, start_server

CSV_SERDE = {
    "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
    "Parameters": {"separatorChar": ";", "quoteChar": '"'},
}
PARQUET_SERDE = {
    "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    "Parameters": {"serialization.format": "1"},
}
JSON_SERDE = {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe", "Parameters": {}}


@pytest.fixture(scope="module")
def catalog_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("catalog-server"))
    yield running
    running.stop()


@pytest.fixture
def glue(catalog_server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The catalog client; the runtime finds the same server through the AWS variables."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", catalog_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("OPENGLUE_HOME", str(catalog_server.data_dir))
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    return catalog_server.client()


@pytest.fixture
def database(glue: Any) -> str:
    name = "db_" + uuid.uuid4().hex[:8]
    glue.create_database(DatabaseInput={"Name": name})
    return name


def bucket(server: RunningServer, key: str) -> Path:
    path = server.data_dir / "buckets" / "lake" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_table(
    glue: Any,
    database: str,
    name: str,
    columns: list[tuple[str, str]],
    serde: dict[str, Any],
    classification: str,
    location: str,
    partition_keys: list[tuple[str, str]] | None = None,
    parameters: dict[str, str] | None = None,
) -> None:
    params = {"classification": classification, **(parameters or {})}
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": name,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": params,
            "PartitionKeys": [{"Name": n, "Type": t} for n, t in partition_keys or []],
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in columns],
                "Location": location,
                "SerdeInfo": serde,
                "Parameters": params,
            },
        },
    )


def test_csv_table_is_read_with_the_catalog_types(
    glue_context: Any, glue: Any, database: str, catalog_server: RunningServer
) -> None:
    folder = bucket(catalog_server, f"{database}/people")
    (folder / "a.csv").write_text(
        'id;name;score;seen\n1;"Smith; J";2.5;2024-01-05 10:00:00\n2;B;x;\n'
    )
    columns = [("id", "bigint"), ("name", "string"), ("score", "double"), ("seen", "timestamp")]
    create_table(
        glue, database, "people", columns, CSV_SERDE, "csv", f"s3://lake/{database}/people/",
        parameters={"skip.header.line.count": "1"},
    )  # fmt: skip
    frame = glue_context.create_dynamic_frame.from_catalog(database=database, table_name="people")
    assert frame.name == "people"
    assert frame.toDF().schema.simpleString() == (
        "struct<id:bigint,name:string,score:double,seen:timestamp>"
    )
    rows = sorted(frame.toDF().collect(), key=lambda r: r["id"])
    assert (rows[0]["id"], rows[0]["name"], rows[0]["score"]) == (1, "Smith; J", 2.5)
    assert str(rows[0]["seen"]) == "2024-01-05 10:00:00"
    assert rows[1]["score"] is None  # not a number: null, as Glue's typed read gives
    df = glue_context.create_data_frame.from_catalog(database=database, table_name="people")
    assert df.count() == 2
    schema = glue_context.get_catalog_schema_as_spark_schema(database, "people")
    assert [f.name for f in schema.fields] == ["id", "name", "score", "seen"]


def _partitioned_parquet(glue: Any, database: str, server: RunningServer) -> None:
    root = f"s3://lake/{database}/events/"
    create_table(
        glue, database, "events", [("id", "int"), ("kind", "string")], PARQUET_SERDE, "parquet",
        root, partition_keys=[("year", "int"), ("month", "string")],  # catalog names are lowercase
    )  # fmt: skip
    for index, (year, month) in enumerate([(2023, "12"), (2024, "01"), (2024, "02")]):
        folder = bucket(server, f"{database}/events/year={year}/month={month}")
        table = pa.table({"id": [index * 10, index * 10 + 1], "Kind": ["a", "b"]})
        pq.write_table(table, folder / "part-0.parquet")
        glue.create_partition(
            DatabaseName=database,
            TableName="events",
            PartitionInput={
                "Values": [str(year), month],
                "StorageDescriptor": {"Location": f"{root}year={year}/month={month}/"},
            },
        )
    # Reading this partition would fail: only a predicate that prunes it lets the read work.
    (bucket(server, f"{database}/events/year=2023/month=12") / "bad.parquet").write_text("junk")


def test_partitioned_table_reads_only_the_selected_partitions(
    glue_context: Any, glue: Any, database: str, catalog_server: RunningServer
) -> None:
    _partitioned_parquet(glue, database, catalog_server)
    frame = glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name="events", push_down_predicate="year == 2024"
    )
    df = frame.toDF()
    assert df.schema.simpleString() == "struct<id:int,kind:string,year:int,month:string>"
    rows = sorted((r["id"], r["kind"], r["year"], r["month"]) for r in df.collect())
    assert rows == [
        (10, "a", 2024, "01"),
        (11, "b", 2024, "01"),
        (20, "a", 2024, "02"),
        (21, "b", 2024, "02"),
    ]
    # A predicate the catalog cannot evaluate is evaluated by Spark over the partition values.
    functions = glue_context.create_dynamic_frame.from_catalog(
        database=database,
        table_name="events",
        push_down_predicate="year > 2023 and substring(month, 2, 1) = '2'",
    )
    assert sorted(r["id"] for r in functions.toDF().collect()) == [20, 21]
    nothing = glue_context.create_dynamic_frame.from_catalog(
        database=database,
        table_name="events",
        additional_options={"catalogPartitionPredicate": "year = 1999"},
    )
    assert nothing.count() == 0 and nothing.toDF().columns == ["id", "kind", "year", "month"]


def test_json_columns_match_the_catalog_whatever_their_case(
    glue_context: Any, glue: Any, database: str, catalog_server: RunningServer
) -> None:
    folder = bucket(catalog_server, f"{database}/clicks")
    lines = [{"clickId": 1, "Page": "/", "extra": True}, {"clickId": 2, "Page": "/b"}]
    (folder / "a.json").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    columns = [("clickid", "bigint"), ("page", "string"), ("referrer", "string")]
    create_table(
        glue, database, "clicks", columns, JSON_SERDE, "json", f"s3://lake/{database}/clicks"
    )
    frame = glue_context.create_dynamic_frame.from_catalog(database=database, table_name="clicks")
    assert frame.toDF().columns == ["clickid", "page", "referrer"]
    assert sorted(tuple(r) for r in frame.toDF().collect()) == [(1, "/", None), (2, "/b", None)]


def test_write_to_a_csv_table_follows_its_columns_and_partitions(
    glue_context: Any, glue: Any, database: str, catalog_server: RunningServer
) -> None:
    columns = [("id", "int"), ("name", "string")]
    create_table(
        glue, database, "out", columns, CSV_SERDE, "csv", f"s3://lake/{database}/out/",
        partition_keys=[("day", "string")], parameters={"skip.header.line.count": "1"},
    )  # fmt: skip
    frame = glue_context.create_dynamic_frame.from_rdd(
        [("x", 1, "d1"), ("y", 2, "d2")], "rows", "name string, id int, day string"
    )
    glue_context.write_dynamic_frame.from_catalog(
        frame=frame,
        database=database,
        table_name="out",
        additional_options={"enableUpdateCatalog": True},
    )
    folder = catalog_server.data_dir / "buckets" / "lake" / database / "out"
    written = sorted(p for p in folder.rglob("*.csv"))
    assert [p.parent.name for p in written] == ["day=d1", "day=d2"]
    assert written[0].read_text().splitlines() == ["id;name", "1;x"]  # table order, delimiter
    partitions = glue.get_partitions(DatabaseName=database, TableName="out")["Partitions"]
    assert sorted(p["Values"] for p in partitions) == [["d1"], ["d2"]]
    back = glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name="out", push_down_predicate="day = 'd2'"
    )
    assert [tuple(r) for r in back.toDF().collect()] == [(2, "y", "d2")]


def test_sink_with_update_catalog_creates_the_table(
    glue_context: Any, glue: Any, database: str
) -> None:
    frame = glue_context.create_dynamic_frame.from_rdd(
        [(1, 2.5, "a"), (2, 3.5, "b")], "rows", "id bigint, amount double, region string"
    )
    sink = glue_context.getSink(
        connection_type="s3",
        path=f"s3://lake/{database}/made/",
        enableUpdateCatalog=True,
        partitionKeys=["region"],
    )
    sink.setFormat("glueparquet")
    sink.setCatalogInfo(catalogDatabase=database, catalogTableName="made")
    sink.writeFrame(frame)
    table = glue.get_table(DatabaseName=database, Name="made")["Table"]
    assert [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]] == [
        ("id", "bigint"),
        ("amount", "double"),
    ]
    assert table["PartitionKeys"] == [{"Name": "region", "Type": "string"}]
    back = glue_context.create_dynamic_frame.from_catalog(database=database, table_name="made")
    assert sorted(tuple(r) for r in back.toDF().collect()) == [(1, 2.5, "a"), (2, 3.5, "b")]


def test_a_missing_table_is_the_catalogs_error(glue_context: Any, glue: Any, database: str) -> None:
    with pytest.raises(Exception, match="EntityNotFoundException"):
        glue_context.create_dynamic_frame.from_catalog(database=database, table_name="nope")
