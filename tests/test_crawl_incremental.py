"""CRAWL_NEW_FOLDERS_ONLY through a real server: new folders are decided against the tables
the first crawl made — a new partition folder adds a partition, a new dataset folder next to
the tables becomes a table of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.crawls import crawl_succeeded, crawler_log, new_crawler
from tests.support.server import RunningServer


def _csv(path: Path, header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "\n".join(f"{i},{i}.5,v{i}" for i in range(3)) + "\n")


def _tables(glue: Any, database: str) -> dict[str, list[str]]:
    return {
        t["Name"]: [k["Name"] for k in t.get("PartitionKeys") or []]
        for t in glue.get_tables(DatabaseName=database)["TableList"]
    }


def _partitions(glue: Any, database: str, table: str) -> list[tuple[str, str]]:
    found = glue.get_partitions(DatabaseName=database, TableName=table)["Partitions"]
    return sorted((p["Values"][0], p["StorageDescriptor"]["Location"]) for p in found)


def test_new_folders_become_partitions_or_tables(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    data = tmp_path / "lake"
    _csv(data / "sales" / "year=2023" / "a.csv", "id,amount,note")
    (data / "customers").mkdir(parents=True)
    (data / "customers" / "c.json").write_text(json.dumps({"customer": "x", "city": "y"}) + "\n")
    database = new_crawler(
        glue,
        unique_name,
        TablePrefix="raw_",
        Targets={"S3Targets": [{"Path": str(data)}]},
        RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
    )
    crawl_succeeded(glue, unique_name)
    assert _tables(glue, database) == {"raw_customers": [], "raw_sales": ["year"]}

    # A new partition folder of an existing table, and a new dataset next to the tables.
    _csv(data / "sales" / "year=2024" / "b.csv", "id,amount,note")
    _csv(data / "returns" / "r.csv", "order,refund,reason")
    last = crawl_succeeded(glue, unique_name)
    assert _tables(glue, database) == {
        "raw_customers": [],
        "raw_returns": [],
        "raw_sales": ["year"],
    }
    assert _partitions(glue, database, "raw_sales") == [
        ("2023", data.as_uri() + "/sales/year=2023/"),
        ("2024", data.as_uri() + "/sales/year=2024/"),
    ]
    returns = glue.get_table(DatabaseName=database, Name="raw_returns")["Table"]
    assert returns["StorageDescriptor"]["Location"] == data.as_uri() + "/returns/"
    assert [c["Name"] for c in returns["StorageDescriptor"]["Columns"]] == [
        "order",
        "refund",
        "reason",
    ]
    crawls = glue.list_crawls(CrawlerName=unique_name)["Crawls"]
    latest = max(crawls, key=lambda c: c["StartTime"])
    assert json.loads(latest["Summary"]) == {
        "TABLE": {"ADD": {"Count": 1}},
        "PARTITION": {"ADD": {"Count": 1}},
    }
    lines = crawler_log(server, last["LogStream"])
    assert any("only new folders were read: returns, sales/year=2024" in m for m in lines)
    assert any("the folder of table sales from an earlier crawl" in m for m in lines)

    # Nothing new: nothing read, nothing changed.
    last = crawl_succeeded(glue, unique_name)
    assert any("CHANGE none" in m for m in crawler_log(server, last["LogStream"]))
    assert len(_tables(glue, database)) == 3
