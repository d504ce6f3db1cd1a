"""The seed Glue script, unchanged, run as a job by a server whose ``s3://`` is a real
S3-protocol server (moto's), on each engine.

The catalog table ``ecommerce_data.orders`` points at ``s3://my-app-bucket/orders/`` on the
endpoint; the server is told about the endpoint the AWS way (``AWS_ENDPOINT_URL_S3`` in its
environment, credentials by flag) and its job processes inherit it. The completed orders must
land on the endpoint as snappy Parquet.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.runtime.test_seed_job import COLUMNS, ORDERS_CSV, SCRIPT
from tests.support.jobs import log_file, wait_for_run
from tests.support.s3_server import S3Server
from tests.support.server import start_server

BUCKET = "my-app-bucket"


def _create_orders_table(glue: Any) -> None:
    glue.create_database(DatabaseInput={"Name": "ecommerce_data"})
    parameters = {"classification": "csv", "delimiter": ",", "skip.header.line.count": "1"}
    glue.create_table(
        DatabaseName="ecommerce_data",
        TableInput={
            "Name": "orders",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": parameters,
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in COLUMNS],
                "Location": f"s3://{BUCKET}/orders/",
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                    "Parameters": {"separatorChar": ",", "quoteChar": '"'},
                },
                "Parameters": parameters,
            },
        },
    )


def _fresh_bucket(s3_server: S3Server) -> None:
    client = s3_server.client()
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET)
    for key in s3_server.keys(BUCKET):
        client.delete_object(Bucket=BUCKET, Key=key)
    s3_server.put_objects(BUCKET, {"orders/orders-2024-03.csv": ORDERS_CSV})


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["spark", "sail"])
def test_seed_job_reads_and_writes_an_s3_endpoint(
    s3_server: S3Server, tmp_path: Path, engine: str
) -> None:
    _fresh_bucket(s3_server)
    server = start_server(
        tmp_path / "data",
        "--s3-access-key-id",
        s3_server.access_key,
        "--s3-secret-access-key",
        s3_server.secret_key,
        env={"AWS_ENDPOINT_URL_S3": s3_server.endpoint_url, "OPENGLUE_ENGINE": engine},
    )
    try:
        glue = server.client()
        _create_orders_table(glue)
        glue.create_job(
            Name="transform_orders_job",
            Role="tester",
            Command={"Name": "glueetl", "ScriptLocation": str(SCRIPT)},
        )
        run_id = glue.start_job_run(JobName="transform_orders_job")["JobRunId"]
        run = wait_for_run(glue, "transform_orders_job", run_id, timeout=300)
        errors = log_file(server.data_dir, run_id, "error", shell=False)
        detail = errors.read_text()[-4000:] if errors.exists() else run.get("ErrorMessage")
        assert run["JobRunState"] == "SUCCEEDED", detail
    finally:
        server.stop()

    keys = s3_server.keys(BUCKET, "orders_cleaned/")
    assert keys and all(key.endswith(".parquet") for key in keys), keys
    files = [pq.ParquetFile(io.BytesIO(s3_server.get(BUCKET, key))) for key in keys]
    assert {f.metadata.row_group(0).column(0).compression for f in files} == {"SNAPPY"}
    rows = sorted(
        (row for f in files for row in f.read().to_pylist()), key=lambda row: row["order_id"]
    )
    assert [row["order_id"] for row in rows] == [1001, 1003, 1005]
    assert {row["status"] for row in rows} == {"completed"}
    assert rows[1]["note"] == "leave at door, ring twice" and rows[2]["note"] is None
    # Nothing was written to the embedded buckets: s3:// meant the endpoint.
    assert not (tmp_path / "data" / "buckets" / BUCKET).exists()
