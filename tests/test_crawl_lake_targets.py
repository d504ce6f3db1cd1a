"""DeltaTargets and IcebergTargets through a real server: tables catalogued from their log and
metadata, recrawls that follow new commits, and definitions OpenGlue cannot honour refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.crawler.lake_fixtures import (
    ORDERS_SCHEMA,
    PROTOCOL,
    add_action,
    iceberg_field,
    iceberg_v2,
    metadata_action,
    write_commit,
    write_json,
)
from tests.support.crawls import ROLE, crawl_succeeded, new_crawler
from tests.support.server import RunningServer


def _columns(table: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]


def test_delta_and_iceberg_tables_from_their_metadata(
    glue: Any, tmp_path: Path, unique_name: str
) -> None:
    orders = tmp_path / "delta" / "orders"
    write_commit(
        orders,
        0,
        [
            PROTOCOL,
            metadata_action(ORDERS_SCHEMA, ["day"]),
            add_action("day=2024-01-01/part-0.parquet", 100, "2024-01-01", 5),
        ],
    )
    clicks = tmp_path / "iceberg" / "clicks"
    fields = [iceberg_field(1, "id", "long"), iceberg_field(3, "ts", "timestamptz")]
    write_json(clicks / "metadata" / "v1.metadata.json", iceberg_v2(clicks.as_uri(), [fields]))
    database = new_crawler(
        glue,
        unique_name,
        Targets={
            "DeltaTargets": [{"DeltaTables": [str(orders)], "CreateNativeDeltaTable": True}],
            "IcebergTargets": [{"Paths": [str(tmp_path / "iceberg")], "MaximumTraversalDepth": 2}],
        },
    )
    crawl_succeeded(glue, unique_name)

    delta = glue.get_table(DatabaseName=database, Name="orders")["Table"]
    assert delta["Parameters"]["classification"] == "delta"
    assert delta["Parameters"]["UPDATED_BY_CRAWLER"] == unique_name
    assert delta["StorageDescriptor"]["Location"] == orders.as_uri() + "/"
    assert delta["PartitionKeys"] == [{"Name": "day", "Type": "date"}]
    assert ("amount", "decimal(10,2)") in _columns(delta)
    iceberg = glue.get_table(DatabaseName=database, Name="clicks")["Table"]
    assert iceberg["TableType"] == "EXTERNAL_TABLE"
    assert iceberg["Parameters"]["table_type"] == "ICEBERG"
    v1 = clicks.as_uri() + "/metadata/v1.metadata.json"
    assert iceberg["Parameters"]["metadata_location"] == v1
    assert iceberg["StorageDescriptor"]["Location"] == clicks.as_uri()
    assert _columns(iceberg) == [("id", "bigint"), ("ts", "timestamp")]

    # New commits: a Delta column added, an Iceberg table version with a new schema.
    evolved = ORDERS_SCHEMA.replace(
        '{"name": "day"', '{"name": "note", "type": "string", "nullable": true}, {"name": "day"'
    )
    write_commit(orders, 1, [metadata_action(evolved, ["day"])])
    newer = [*fields, iceberg_field(4, "referrer", "string")]
    write_json(
        clicks / "metadata" / "v2.metadata.json", iceberg_v2(clicks.as_uri(), [fields, newer], v1)
    )
    (clicks / "metadata" / "version-hint.text").write_text("2")
    crawl_succeeded(glue, unique_name)
    delta = glue.get_table(DatabaseName=database, Name="orders")["Table"]
    assert _columns(delta)[-1] == ("note", "string")
    iceberg = glue.get_table(DatabaseName=database, Name="clicks")["Table"]
    assert iceberg["Parameters"]["metadata_location"].endswith("/metadata/v2.metadata.json")
    assert iceberg["Parameters"]["previous_metadata_location"] == v1
    assert _columns(iceberg)[-1] == ("referrer", "string")


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (
            {"DeltaTargets": [{"DeltaTables": ["/data/t"], "WriteManifest": True}]},
            "does not write Delta symlink manifests",
        ),
        ({"DeltaTargets": [{"CreateNativeDeltaTable": True}]}, "needs DeltaTables"),
        ({"IcebergTargets": [{"Paths": ["relative/path"]}]}, "absolute local path"),
        (
            {"IcebergTargets": [{"Paths": ["s3://b/p"], "MaximumTraversalDepth": 25}]},
            "MaximumTraversalDepth 25 is out of range",
        ),
    ],
)
def test_lake_targets_refused_with_a_reason(
    glue: Any, unique_name: str, targets: dict[str, Any], message: str
) -> None:
    with pytest.raises(ClientError) as caught:
        glue.create_crawler(Name=unique_name, Role=ROLE, Targets=targets)
    assert caught.value.response["Error"]["Code"] == "InvalidInputException"
    assert message in caught.value.response["Error"]["Message"]


def test_lake_tables_in_an_embedded_bucket(
    server: RunningServer, glue: Any, unique_name: str
) -> None:
    lake = server.data_dir / "buckets" / "lake" / unique_name
    write_commit(
        lake / "delta" / "orders",
        0,
        [PROTOCOL, metadata_action(ORDERS_SCHEMA, ["day"])],
    )
    location = f"s3://lake/{unique_name}/iceberg/clicks"
    fields = [iceberg_field(1, "id", "long")]
    write_json(
        lake / "iceberg" / "clicks" / "metadata" / "00001-3f1e2d.metadata.json",
        iceberg_v2(location, [fields]),
    )
    database = new_crawler(
        glue,
        unique_name,
        TablePrefix="lake_",
        Targets={
            # A folder holding Delta tables, not a table itself.
            "DeltaTargets": [{"DeltaTables": [f"s3://lake/{unique_name}/delta"]}],
            "IcebergTargets": [{"Paths": [f"s3://lake/{unique_name}/iceberg"]}],
        },
    )
    crawl_succeeded(glue, unique_name)
    delta = glue.get_table(DatabaseName=database, Name="lake_orders")["Table"]
    assert delta["StorageDescriptor"]["Location"] == f"s3://lake/{unique_name}/delta/orders/"
    assert delta["Parameters"]["objectCount"] == "0"
    iceberg = glue.get_table(DatabaseName=database, Name="lake_clicks")["Table"]
    assert iceberg["StorageDescriptor"]["Location"] == location
    assert iceberg["Parameters"]["metadata_location"] == (
        location + "/metadata/00001-3f1e2d.metadata.json"
    )
