"""Helpers for black-box crawler tests: running a crawl to its end and reading its log."""

from __future__ import annotations

import time
from typing import Any

from tests.support.server import RunningServer

ROLE = "arn:aws:iam::123456789012:role/Crawler"


def wait_for_crawler(glue: Any, name: str, timeout: float = 60) -> dict[str, Any]:
    """Poll GetCrawler until the crawler is READY again; the crawler."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        crawler: dict[str, Any] = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY":
            return crawler
        time.sleep(0.05)
    raise AssertionError(f"crawler {name} did not finish in {timeout}s")


def crawl(glue: Any, name: str) -> dict[str, Any]:
    """Start a crawl and wait for it to end, however it ends; its LastCrawl."""
    glue.start_crawler(Name=name)
    last: dict[str, Any] = wait_for_crawler(glue, name)["LastCrawl"]
    return last


def crawl_succeeded(glue: Any, name: str) -> dict[str, Any]:
    """``crawl``, failing the test (with the crawl's error) unless it SUCCEEDED."""
    last = crawl(glue, name)
    assert last["Status"] == "SUCCEEDED", last.get("ErrorMessage")
    return last


def crawler_log(server: RunningServer, stream: str) -> list[str]:
    """The messages of one crawl's log stream (CloudWatch Logs, /aws-glue/crawlers)."""
    events = server.client("logs").get_log_events(
        logGroupName="/aws-glue/crawlers", logStreamName=stream, startFromHead=True
    )["events"]
    return [e["message"] for e in events]


def new_crawler(glue: Any, name: str, **members: Any) -> str:
    """Create the database ``db_<name>`` and the crawler ``name`` that catalogs into it
    (``members``: Targets, TablePrefix … as CreateCrawler takes them); the database's name."""
    database = "db_" + name
    glue.create_database(DatabaseInput={"Name": database})
    glue.create_crawler(Name=name, Role=ROLE, DatabaseName=database, **members)
    return database
