"""A StartCrawler that arrives while the server is stopping is refused and leaves no trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from openglue.errors import CrawlerStoppingException
from openglue.services import build_services
from openglue.settings import ServerSettings


def test_a_crawl_started_while_closing_is_refused_and_the_crawler_stays_ready(
    tmp_path: Path,
) -> None:
    services = build_services(ServerSettings(data_dir=tmp_path / "data"))
    try:
        (tmp_path / "files").mkdir()
        services.databases.create({"Name": "db"})
        services.crawlers.create(
            {
                "Name": "late",
                "Role": "r",
                "DatabaseName": "db",
                "Targets": {"S3Targets": [{"Path": str(tmp_path / "files")}]},
            }
        )
        services.crawl_runner.close()
        with pytest.raises(CrawlerStoppingException, match="server is stopping"):
            services.crawl_runner.start("late")
        record = services.crawlers.get("late")
        assert record.state == "READY"
    finally:
        services.close()
