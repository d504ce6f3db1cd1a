"""The seed Glue script, unchanged, against a real server, on each engine.

As on AWS: a crawler-made ``ecommerce_data.orders`` table over CSV files in
``s3://my-app-bucket/orders/``; the script (``examples/transform_orders_job.py``) runs as its
own process with the Glue endpoint in ``AWS_ENDPOINT_URL`` and writes the completed orders as
Parquet to ``s3://my-app-bucket/orders_cleaned/`` — here the server's embedded bucket.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.support.server import RunningServer, start_server

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "transform_orders_job.py"

ORDERS_CSV = """\
order_id,customer_id,status,amount,currency,created_at,country,note
1001,c-1,completed,25.50,USD,2024-03-01 10:15:00,US,"gift wrap, please"
1002,c-2,pending,12.00,EUR,2024-03-01 11:00:00,DE,
1003,c-1,completed,7.25,USD,2024-03-02 09:30:00,US,"leave at door, ring twice"
1004,c-3,cancelled,99.99,GBP,2024-03-02 12:45:00,GB,"changed mind"
1005,c-4,completed,150.00,EUR,2024-03-03 08:05:00,FR,
1006,c-5,Completed,3.10,USD,2024-03-03 18:20:00,US,"capital C is not completed"
"""
COLUMNS = [
    ("order_id", "bigint"),
    ("customer_id", "string"),
    ("status", "string"),
    ("amount", "double"),
    ("currency", "string"),
    ("created_at", "timestamp"),
    ("country", "string"),
    ("note", "string"),
]


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("seed-server"))
    orders = running.data_dir / "buckets" / "my-app-bucket" / "orders"
    orders.mkdir(parents=True)
    (orders / "orders-2024-03.csv").write_text(ORDERS_CSV)
    glue = running.client()
    glue.create_database(DatabaseInput={"Name": "ecommerce_data"})
    parameters = {"classification": "csv", "delimiter": ",", "skip.header.line.count": "1"}
    glue.create_table(
        DatabaseName="ecommerce_data",
        TableInput={
            "Name": "orders",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {**parameters, "UPDATED_BY_CRAWLER": "orders_crawler"},
            "PartitionKeys": [],
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in COLUMNS],
                "Location": "s3://my-app-bucket/orders/",
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                    "Parameters": {"separatorChar": ",", "quoteChar": '"'},
                },
                "Parameters": parameters,
            },
        },
    )
    yield running
    running.stop()


def job_environment(server: RunningServer, engine: str) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "SPARK_", "PYSPARK_SUBMIT", "OPENGLUE_"))
    }
    return {
        **inherited,
        "AWS_ENDPOINT_URL": server.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "OPENGLUE_HOME": str(server.data_dir),
        "OPENGLUE_ENGINE": engine,
    }


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["spark", "sail"])
def test_seed_script_writes_the_completed_orders(
    seeded_server: RunningServer, engine: str, record_property: Any
) -> None:
    output = seeded_server.data_dir / "buckets" / "my-app-bucket" / "orders_cleaned"
    shutil.rmtree(output, ignore_errors=True)  # the sink appends, as Glue's does
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--JOB_NAME", "transform_orders_job"],
        env=job_environment(seeded_server, engine),
        capture_output=True,
        text=True,
        timeout=300,
    )
    record_property("wall_seconds", round(time.monotonic() - started, 1))
    assert result.returncode == 0, result.stderr[-4000:]
    files = sorted(p.name for p in output.iterdir())
    assert files and all(name.endswith(".snappy.parquet") for name in files), files
    table = pq.read_table(output)
    assert table.column_names == [name for name, _ in COLUMNS]
    rows = sorted(table.to_pylist(), key=lambda row: row["order_id"])
    assert [row["order_id"] for row in rows] == [1001, 1003, 1005]
    assert {row["status"] for row in rows} == {"completed"}
    assert rows[0]["amount"] == 25.5 and rows[1]["note"] == "leave at door, ring twice"
    assert rows[2]["note"] is None
    assert str(rows[0]["created_at"]).startswith("2024-03-01 10:15:00")
