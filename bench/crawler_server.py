"""The crawler benchmark's server section: crawls as a user sees them, through a real server.

A client (boto3) creates a crawler on a real ``openglue server`` process and times
StartCrawler → GetCrawler showing READY with LastCrawl SUCCEEDED, polling every 20 ms: the
inference, the catalog writes (tables and every partition), the crawl log and history, and
the API round trips. Each first crawl uses a fresh crawler and database, so it creates
everything; the recrawls re-read everything (CRAWL_EVERYTHING) or find nothing new
(CRAWL_NEW_FOLDERS_ONLY). A one-file crawl is the baseline: the fixed cost of any crawl.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.server import start_server

ROLE = "arn:aws:iam::123456789012:role/Bench"
_POLL = 0.02


@dataclass(frozen=True)
class ServerRow:
    label: str
    files: int
    seconds: tuple[float, float]  # best, worst, as the client sees them
    server_seconds: float  # the best run's duration as the server recorded it
    tables: int
    partitions: int


def _crawl(glue: Any, name: str) -> tuple[float, float]:
    """Seconds from StartCrawler to READY as the client sees it, and the crawl's own
    duration as the server recorded it (ListCrawls StartTime → EndTime)."""
    started = time.perf_counter()
    glue.start_crawler(Name=name)
    while True:
        crawler = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY" and "LastCrawl" in crawler:
            elapsed = time.perf_counter() - started
            last = crawler["LastCrawl"]
            if last["Status"] != "SUCCEEDED":
                raise RuntimeError(f"crawl of {name} ended {last['Status']}: {last}")
            crawls = glue.list_crawls(CrawlerName=name)["Crawls"]
            latest = max(crawls, key=lambda c: c["StartTime"])  # the crawl just timed
            return elapsed, (latest["EndTime"] - latest["StartTime"]).total_seconds()
        time.sleep(_POLL)


def _catalog_size(glue: Any, database: str) -> tuple[int, int]:
    tables = glue.get_tables(DatabaseName=database)["TableList"]
    partitions = 0
    for table in tables:
        pages = glue.get_paginator("get_partitions").paginate(
            DatabaseName=database, TableName=table["Name"]
        )
        partitions += sum(len(page["Partitions"]) for page in pages)
    return len(tables), partitions


def _crawler(glue: Any, name: str, path: Path, incremental: bool = False) -> str:
    glue.create_database(DatabaseInput={"Name": name})
    members: dict[str, Any] = {}
    if incremental:
        members["RecrawlPolicy"] = {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"}
    glue.create_crawler(
        Name=name,
        Role=ROLE,
        DatabaseName=name,
        Targets={"S3Targets": [{"Path": str(path)}]},
        **members,
    )
    return name


def _row(
    label: str, files: int, samples: list[tuple[float, float]], size: tuple[int, int]
) -> ServerRow:
    best, worst = min(samples), max(samples)
    return ServerRow(label, files, (best[0], worst[0]), best[1], *size)


def server_crawls(target: Path, files: int, tiny: Path, repeat: int, data: Path) -> list[ServerRow]:
    """Timings through a server whose store lives in ``data``; ``tiny`` holds one file."""
    server = start_server(data)
    server.drain()
    try:
        glue = server.client()
        baseline = [_crawl(glue, _crawler(glue, f"tiny{run}", tiny)) for run in range(repeat)]
        rows = [_row("one file (baseline)", 1, baseline, _catalog_size(glue, "tiny0"))]
        first = [_crawl(glue, _crawler(glue, f"first{run}", target)) for run in range(repeat)]
        rows.append(_row("first crawl", files, first, _catalog_size(glue, "first0")))
        again = [_crawl(glue, "first0") for _ in range(repeat)]
        rows.append(_row("recrawl, CRAWL_EVERYTHING", files, again, _catalog_size(glue, "first0")))
        name = _crawler(glue, "incremental", target, incremental=True)
        _crawl(glue, name)
        nothing = [_crawl(glue, name) for _ in range(repeat)]
        rows.append(
            _row("recrawl, new folders only, none", files, nothing, _catalog_size(glue, name))
        )
        return rows
    finally:
        server.stop()


def print_server_rows(rows: list[ServerRow], repeat: int) -> None:
    print(
        f"\nCrawls through a real server: StartCrawler → READY with LastCrawl SUCCEEDED "
        f"(boto3, polling GetCrawler every {_POLL * 1000:.0f} ms), {repeat} runs each\n"
    )
    header = (
        "crawl",
        "files",
        "StartCrawler → READY, best / worst (s)",
        "crawl as recorded by the server, best run (s)",
        "tables",
        "partitions",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        best, worst = row.seconds
        print(
            f"| {row.label} | {row.files:,} | {best:.2f} / {worst:.2f}"
            f" | {row.server_seconds:.2f} | {row.tables} | {row.partitions} |"
        )
