"""A crawl of an S3-compatible endpoint (a real S3-protocol server): a server started with
--s3-endpoint-url lists and reads s3:// targets there, and locations stay s3:// addresses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.crawls import crawl_succeeded
from tests.support.s3_server import S3Server
from tests.support.server import start_server


def test_crawl_on_an_s3_endpoint(tmp_path: Path, s3_server: S3Server, s3_bucket: str) -> None:
    s3_server.put_objects(
        s3_bucket,
        {
            f"raw/events/day={day}/part-0.json": "\n".join(
                json.dumps({"id": i, "kind": "view"}) for i in range(3)
            )
            + "\n"
            for day in ("01", "02")
        },
    )
    server = start_server(tmp_path / "data", *s3_server.server_args())
    try:
        glue: Any = server.client()
        glue.create_database(DatabaseInput={"Name": "lake"})
        glue.create_crawler(
            Name="events",
            Role="r",
            DatabaseName="lake",
            Targets={"S3Targets": [{"Path": f"s3://{s3_bucket}/raw/events"}]},
        )
        crawl_succeeded(glue, "events")
        table = glue.get_table(DatabaseName="lake", Name="events")["Table"]
        assert table["StorageDescriptor"]["Location"] == f"s3://{s3_bucket}/raw/events/"
        assert table["PartitionKeys"] == [{"Name": "day", "Type": "string"}]
        partitions = glue.get_partitions(DatabaseName="lake", TableName="events")["Partitions"]
        assert sorted(p["StorageDescriptor"]["Location"] for p in partitions) == [
            f"s3://{s3_bucket}/raw/events/day=01/",
            f"s3://{s3_bucket}/raw/events/day=02/",
        ]
        assert not (tmp_path / "data" / "buckets" / s3_bucket).exists()  # not the local buckets
    finally:
        server.stop()
