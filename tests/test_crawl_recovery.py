"""A server killed mid-crawl: the next server on the same data dir ends the crawl FAILED and
the crawler is READY again, instead of RUNNING for ever."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from tests.support.server import start_server


def test_a_crawl_cut_short_by_a_crash_ends_failed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    root = data_dir / "buckets" / "big" / "events"
    for day in range(200):
        folder = root / f"day={day:03d}"
        folder.mkdir(parents=True)
        for part in range(10):
            (folder / f"p{part}.csv").write_text("a,b\n1,x\n2,y\n")
    first = start_server(data_dir)
    glue: Any = first.client()
    glue.create_database(DatabaseInput={"Name": "lake"})
    glue.create_crawler(
        Name="events",
        Role="r",
        DatabaseName="lake",
        Targets={"S3Targets": [{"Path": "s3://big/events"}]},
    )
    glue.start_crawler(Name="events")
    assert glue.get_crawler(Name="events")["Crawler"]["State"] == "RUNNING"
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    first.stop()

    second = start_server(data_dir)
    try:
        glue = second.client()
        crawler = glue.get_crawler(Name="events")["Crawler"]
        assert crawler["State"] == "READY"
        assert crawler["LastCrawl"]["Status"] == "FAILED"
        assert "server stopped" in crawler["LastCrawl"]["ErrorMessage"]
        assert [c["State"] for c in glue.list_crawls(CrawlerName="events")["Crawls"]] == ["FAILED"]
        glue.start_crawler(Name="events")  # and it can crawl again
    finally:
        second.stop()
