"""Crawls run by a real server: a local folder and an embedded-bucket prefix become catalog
tables and partitions; recrawls add what is new; every crawl explains itself in its log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.crawls import (
    ROLE,
    crawl,
    crawl_succeeded,
    crawler_log,
    new_crawler,
    wait_for_crawler,
)
from tests.support.jdbc_database import JdbcDatabase
from tests.support.postgres import PostgresServer
from tests.support.server import RunningServer


def _write_orders(root: Path, year: str, rows: int = 3) -> None:
    folder = root / f"year={year}"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id,amount,customer"] + [f"{i},{i * 1.5},c{i}" for i in range(rows)]
    (folder / "part-0.csv").write_text("\n".join(lines) + "\n")


def test_local_folder_with_hive_partitions(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    data = tmp_path / "orders"
    _write_orders(data, "2023")
    _write_orders(data, "2024")
    database = new_crawler(
        glue,
        unique_name,
        TablePrefix="raw_",
        Targets={"S3Targets": [{"Path": str(data)}]},
    )
    last = crawl_succeeded(glue, unique_name)

    table = glue.get_table(DatabaseName=database, Name="raw_orders")["Table"]
    columns = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
    assert columns == [("id", "bigint"), ("amount", "double"), ("customer", "string")]
    assert table["PartitionKeys"] == [{"Name": "year", "Type": "string"}]
    assert table["Parameters"]["UPDATED_BY_CRAWLER"] == unique_name
    assert table["Parameters"]["classification"] == "csv"
    assert table["StorageDescriptor"]["Location"] == data.as_uri() + "/"
    partitions = glue.get_partitions(DatabaseName=database, TableName="raw_orders")["Partitions"]
    assert sorted(p["StorageDescriptor"]["Location"] for p in partitions) == [
        data.as_uri() + "/year=2023/",
        data.as_uri() + "/year=2024/",
    ]

    crawls = glue.list_crawls(CrawlerName=unique_name)["Crawls"]
    assert [c["State"] for c in crawls] == ["COMPLETED"]
    summary = json.loads(crawls[0]["Summary"])
    assert summary == {"TABLE": {"ADD": {"Count": 1}}, "PARTITION": {"ADD": {"Count": 2}}}
    metrics = glue.get_crawler_metrics(CrawlerNameList=[unique_name])["CrawlerMetricsList"][0]
    assert (metrics["TablesCreated"], metrics["TablesUpdated"]) == (1, 0)
    assert metrics["LastRuntimeSeconds"] > 0

    log = crawler_log(server, unique_name)
    assert any(f"+ table {database}.raw_orders" in line for line in log)
    assert all(line.startswith(f"[{last['MessagePrefix']}]") for line in log)

    # A new folder: the recrawl adds its partition and leaves the table as it is.
    _write_orders(data, "2025")
    crawl_succeeded(glue, unique_name)
    partitions = glue.get_partitions(DatabaseName=database, TableName="raw_orders")["Partitions"]
    assert sorted(p["Values"][0] for p in partitions) == ["2023", "2024", "2025"]
    assert glue.get_table(DatabaseName=database, Name="raw_orders")["Table"]["VersionId"] == "0"
    newest = glue.list_crawls(CrawlerName=unique_name, MaxResults=1)["Crawls"][0]
    assert json.loads(newest["Summary"]) == {"PARTITION": {"ADD": {"Count": 1}}}
    completed = glue.list_crawls(
        CrawlerName=unique_name,
        Filters=[{"FieldName": "STATE", "FilterOperator": "EQ", "FieldValue": "COMPLETED"}],
    )["Crawls"]
    assert len(completed) == 2

    # The data is gone: DeleteBehavior DELETE_FROM_DATABASE removes the crawler's table.
    glue.update_crawler(
        Name=unique_name,
        SchemaChangePolicy={"DeleteBehavior": "DELETE_FROM_DATABASE"},
    )
    for path in sorted(data.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    crawl_succeeded(glue, unique_name)
    with pytest.raises(ClientError) as exc:
        glue.get_table(DatabaseName=database, Name="raw_orders")
    assert exc.value.response["Error"]["Code"] == "EntityNotFoundException"
    metrics = glue.get_crawler_metrics(CrawlerNameList=[unique_name])["CrawlerMetricsList"][0]
    assert metrics["TablesDeleted"] == 1


def test_embedded_bucket_prefix(server: RunningServer, glue: Any, unique_name: str) -> None:
    events = server.data_dir / "buckets" / "lake" / unique_name / "events"
    events.mkdir(parents=True)
    records = [{"id": i, "kind": "click", "meta": {"x": i}} for i in range(5)]
    (events / "a.json").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    database = new_crawler(
        glue,
        unique_name,
        Targets={"S3Targets": [{"Path": f"s3://lake/{unique_name}/events"}]},
    )
    crawl_succeeded(glue, unique_name)
    table = glue.get_table(DatabaseName=database, Name="events")["Table"]
    assert table["StorageDescriptor"]["Location"] == f"s3://lake/{unique_name}/events/"
    assert table["Parameters"]["classification"] == "json"
    types = {c["Name"]: c["Type"] for c in table["StorageDescriptor"]["Columns"]}
    assert types == {"id": "bigint", "kind": "string", "meta": "struct<x:bigint>"}


def test_stop_cancels_a_crawl(server: RunningServer, glue: Any, unique_name: str) -> None:
    # Enough files that the crawl is still reading when StopCrawler arrives.
    root = server.data_dir / "buckets" / "big" / unique_name
    for day in range(200):
        folder = root / f"day={day:03d}"
        folder.mkdir(parents=True)
        for part in range(10):
            (folder / f"p{part}.csv").write_text("a,b\n1,x\n2,y\n")
    database = new_crawler(
        glue,
        unique_name,
        Targets={"S3Targets": [{"Path": f"s3://big/{unique_name}"}]},
    )
    glue.start_crawler(Name=unique_name)
    running = glue.get_crawler(Name=unique_name)["Crawler"]
    assert running["State"] == "RUNNING"
    with pytest.raises(ClientError) as exc:
        glue.start_crawler(Name=unique_name)
    assert exc.value.response["Error"]["Code"] == "CrawlerRunningException"
    with pytest.raises(ClientError) as exc:
        glue.update_crawler(Name=unique_name, TablePrefix="x")
    assert exc.value.response["Error"]["Code"] == "CrawlerRunningException"
    glue.stop_crawler(Name=unique_name)
    with pytest.raises(ClientError) as exc:
        glue.stop_crawler(Name=unique_name)
    assert exc.value.response["Error"]["Code"] in (
        "CrawlerStoppingException",
        "CrawlerNotRunningException",  # it may have stopped already
    )
    last = wait_for_crawler(glue, unique_name)["LastCrawl"]
    assert last["Status"] == "CANCELLED"
    assert glue.get_tables(DatabaseName=database)["TableList"] == []
    assert glue.list_crawls(CrawlerName=unique_name)["Crawls"][0]["State"] == "STOPPED"


def _crawler(glue: Any, name: str, database: str, **members: Any) -> None:
    glue.create_crawler(Name=name, Role=ROLE, DatabaseName=database, **members)


def test_incremental_catalog_target_and_threshold(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    data = tmp_path / "orders"
    _write_orders(data, "2023")
    database = "db_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    targets = {"S3Targets": [{"Path": str(data)}]}

    # CRAWL_NEW_FOLDERS_ONLY: the second crawl reads only the folder that is new.
    incremental = unique_name + "-inc"
    _crawler(
        glue,
        incremental,
        database,
        Targets=targets,
        RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
    )
    crawl_succeeded(glue, incremental)
    _write_orders(data, "2024")
    (data / "year=2023" / "part-0.csv").write_text("completely,different\nx,y\nz,w\n")
    crawl_succeeded(glue, incremental)
    assert any(
        "only new folders were read: year=2024" in m for m in crawler_log(server, incremental)
    )
    partitions = glue.get_partitions(DatabaseName=database, TableName="orders")["Partitions"]
    assert sorted(p["Values"][0] for p in partitions) == ["2023", "2024"]
    table = glue.get_table(DatabaseName=database, Name="orders")["Table"]
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == [
        "id",
        "amount",
        "customer",
    ]
    _write_orders(data, "2023")

    # A catalog target re-crawls the table's location: it adds the new partition, creates
    # nothing else.
    _write_orders(data, "2025")
    catalog = unique_name + "-cat"
    _crawler(
        glue,
        catalog,
        database,
        Targets={"CatalogTargets": [{"DatabaseName": database, "Tables": ["orders"]}]},
        SchemaChangePolicy={"DeleteBehavior": "LOG"},
    )
    crawl_succeeded(glue, catalog)
    partitions = glue.get_partitions(DatabaseName=database, TableName="orders")["Partitions"]
    assert sorted(p["Values"][0] for p in partitions) == ["2023", "2024", "2025"]
    assert [t["Name"] for t in glue.get_tables(DatabaseName=database)["TableList"]] == ["orders"]

    # TableThreshold: more tables than allowed fails the crawl, writing nothing.
    other = tmp_path / "two"
    for name in ("a", "b"):
        (other / name).mkdir(parents=True)
        (other / name / "x.json").write_text(json.dumps({name: 1, "n": "v"}) + "\n")
    limited = unique_name + "-lim"
    config = {"Version": 1.0, "CrawlerOutput": {"Tables": {"TableThreshold": 1}}}
    _crawler(
        glue,
        limited,
        database,
        Targets={"S3Targets": [{"Path": str(other)}]},
        TablePrefix="lim_",
        Configuration=json.dumps(config),
    )
    last = crawl(glue, limited)
    assert last["Status"] == "FAILED"
    assert "Table Threshold value = 1, Tables detected - 2" in last["ErrorMessage"]
    names = [t["Name"] for t in glue.get_tables(DatabaseName=database)["TableList"]]
    assert not [n for n in names if n.startswith("lim_")]


def test_jdbc_target_through_a_catalog_connection(
    glue: Any, postgres: PostgresServer, unique_name: str
) -> None:
    name = "src_" + unique_name
    postgres.create_database(name)
    source = JdbcDatabase(postgres.port, name)
    source.execute(
        "CREATE SCHEMA sales; CREATE TABLE sales.orders (id bigint, total numeric(12,2));"
        "CREATE TABLE sales.tmp_scratch (x int); CREATE TABLE public.other (y int);"
    )
    connection = "pg-" + unique_name
    glue.create_connection(
        ConnectionInput={
            "Name": connection,
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": f"jdbc:postgresql://127.0.0.1:{postgres.port}/postgres",
                "USERNAME": "openglue",
                "PASSWORD": "unused",
            },
        }
    )
    database = "db_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    jdbc = {"ConnectionName": connection, "Path": f"{name}/sales/%", "Exclusions": ["tmp_*"]}
    _crawler(glue, unique_name, database, Targets={"JdbcTargets": [jdbc]})
    last = crawl_succeeded(glue, unique_name)
    tables = glue.get_tables(DatabaseName=database)["TableList"]
    assert [t["Name"] for t in tables] == [f"{name}_sales_orders"]
    table = tables[0]
    assert table["StorageDescriptor"]["Location"] == f"{name}.sales.orders"
    assert "InputFormat" not in table["StorageDescriptor"]
    assert table["Parameters"]["classification"] == "postgresql"
    assert table["Parameters"]["connectionName"] == connection
    types = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
    assert types == [("id", "bigint"), ("total", "decimal(12,2)")]

    # A missing connection fails the crawl and says which.
    glue.update_crawler(
        Name=unique_name, Targets={"JdbcTargets": [{**jdbc, "ConnectionName": "nope"}]}
    )
    last = crawl(glue, unique_name)
    assert last["Status"] == "FAILED" and "nope" in last["ErrorMessage"]


def test_custom_classifiers_come_first(glue: Any, tmp_path: Path, unique_name: str) -> None:
    pipes = tmp_path / "pipes"
    pipes.mkdir()
    (pipes / "a.txt").write_text("name|city\nann|oslo\nbob|rome\n")
    logs = tmp_path / "applogs"
    logs.mkdir()
    (logs / "app.log").write_text(
        "2024-01-02T03:04:05 INFO started worker\n2024-01-02T03:04:06 WARN slow disk\n"
    )
    csv_name, grok_name = unique_name + "-pipes", unique_name + "-grok"
    glue.create_classifier(
        CsvClassifier={"Name": csv_name, "Delimiter": "|", "ContainsHeader": "PRESENT"}
    )
    glue.create_classifier(
        GrokClassifier={
            "Name": grok_name,
            "Classification": "applog",
            "GrokPattern": "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:message}",
        }
    )
    database = "db_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    _crawler(
        glue,
        unique_name,
        database,
        Classifiers=[grok_name, csv_name],
        Targets={"S3Targets": [{"Path": str(pipes)}, {"Path": str(logs)}]},
    )
    crawl_succeeded(glue, unique_name)
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName=database)["TableList"]}
    assert sorted(tables) == ["applogs", "pipes"]
    pipe_table = tables["pipes"]
    assert pipe_table["Parameters"]["delimiter"] == "|"
    assert [c["Name"] for c in pipe_table["StorageDescriptor"]["Columns"]] == ["name", "city"]
    log_table = tables["applogs"]
    assert log_table["Parameters"]["classification"] == "applog"
    columns = [c["Name"] for c in log_table["StorageDescriptor"]["Columns"]]
    assert columns == ["ts", "level", "message"]
