"""Tables shaped by crawler inference read back through ``from_catalog`` with the right rows.

The golden fixtures are planned with ``plan_target``, stored through boto3 as a crawl stores
them, and read by our ``awsglue`` on the Sail engine: the SerDe, delimiter, quoting, header and
partition parameters the plan carries are what makes this read right.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from openglue.crawler.infer import plan_target
from openglue.crawler.plan import CrawlOptions
from openglue.crawler.table_input import partition_input, table_input
from openglue.storage.local_objects import LocalObjectSource
from tests.crawler.golden import FIXTURES
from tests.support.server import RunningServer, start_server


@pytest.fixture(scope="module")
def crawl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("crawl-read"))
    yield running
    running.stop()


@pytest.fixture
def glue(crawl_server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_ENDPOINT_URL", crawl_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("OPENGLUE_HOME", str(crawl_server.data_dir))
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    return crawl_server.client()


def _crawl_into_catalog(glue: Any, server: RunningServer, fixture: str, database: str) -> None:
    prefix = f"{database}/{fixture}"
    folder = server.data_dir / "buckets" / "lake" / prefix
    shutil.copytree(FIXTURES / fixture / "tree", folder)
    plan = plan_target(LocalObjectSource(folder, f"s3://lake/{prefix}/"), CrawlOptions())
    for table in plan.tables:
        stored = table_input(table, table.name, "test-crawler", None)
        glue.create_table(DatabaseName=database, TableInput=stored)
        inputs = [
            partition_input(table, p, stored, inherit_from_table=False) for p in table.partitions
        ]
        if inputs:
            glue.batch_create_partition(
                DatabaseName=database, TableName=table.name, PartitionInputList=inputs
            )


def test_crawled_csv_and_json_tables_read_back(
    sail_glue_context: Any, glue: Any, crawl_server: RunningServer
) -> None:
    database = "crawled_" + uuid.uuid4().hex[:8]
    glue.create_database(DatabaseInput={"Name": database})
    _crawl_into_catalog(glue, crawl_server, "csv_hive_partitions", database)
    _crawl_into_catalog(glue, crawl_server, "unnamed_partitions", database)

    orders = sail_glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name="csv_hive_partitions"
    ).toDF()
    rows = sorted(orders.collect(), key=lambda row: row["order_id"])
    # the header line is skipped, the quoted comma stays inside its value, partitions are columns
    assert len(rows) == 7
    assert (rows[5]["customer"], rows[5]["amount"], rows[5]["year"], rows[5]["month"]) == (
        "frank, jr",
        8.5,
        "2024",
        "01",
    )
    assert rows[0]["paid"] is True

    events = sail_glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name="unnamed_partitions"
    ).toDF()
    found = sorted((r["id"], r["v"], r["partition_0"], r["partition_1"]) for r in events.collect())
    assert found == [
        (1, "a", "2023", "12"),
        (2, "b", "2024", "01"),
        (3, "c", "2024", "02"),
        (4, "d", "2024", "02"),
    ]


def test_crawled_xml_table_reads_with_its_row_tag(
    spark_glue_context: Any, glue: Any, crawl_server: RunningServer
) -> None:
    # The crawler keeps the row element in the table's parameters; from_catalog must pass it on.
    database = "crawled_" + uuid.uuid4().hex[:8]
    glue.create_database(DatabaseInput={"Name": database})
    _crawl_into_catalog(glue, crawl_server, "xml_builtin", database)

    books = spark_glue_context.create_dynamic_frame.from_catalog(
        database=database, table_name="xml_builtin"
    ).toDF()
    titles = sorted((r["author"], r["title"]) for r in books.collect())
    assert titles == [("Gambardella", "XML Guide"), ("Ralls", "Midnight Rain")]
