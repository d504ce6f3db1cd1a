"""The seed job's world for the benchmarks: orders CSV in an embedded bucket, the
``ecommerce_data.orders`` table over it (as a crawler makes it), and how to run the seed script
(``examples/transform_orders_job.py``) directly against the same server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from tests.support.server import RunningServer

from bench.orders_data import CATALOG_COLUMNS, Dataset

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "transform_orders_job.py"
JOB_NAME = "transform_orders_job"
BUCKET = "my-app-bucket"


def input_dir(data_dir: Path) -> Path:
    return data_dir / "buckets" / BUCKET / "orders"


def output_dir(data_dir: Path) -> Path:
    return data_dir / "buckets" / BUCKET / "orders_cleaned"


def stage(server: RunningServer, dataset: Dataset) -> None:
    """Put the dataset's files in the server's bucket (hard links: no copy of the data) and
    describe them in the catalog."""
    folder = input_dir(server.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for source in dataset.files:
        target = folder / source.name
        try:
            os.link(source, target)
        except OSError:  # another file system
            shutil.copyfile(source, target)
    glue = server.client()
    glue.create_database(DatabaseInput={"Name": "ecommerce_data"})
    parameters = {"classification": "csv", "delimiter": ",", "skip.header.line.count": "1"}
    glue.create_table(
        DatabaseName="ecommerce_data",
        TableInput={
            "Name": "orders",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": parameters,
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in CATALOG_COLUMNS],
                "Location": f"s3://{BUCKET}/orders/",
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


def clear_output(data_dir: Path) -> None:
    """The seed's sink appends, as Glue's does: each timed run starts from nothing."""
    shutil.rmtree(output_dir(data_dir), ignore_errors=True)


def output_rows(folder: Path) -> int:
    """Rows in the Parquet files under ``folder`` (from their footers)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in folder.rglob("*.parquet"))


def direct_environment(server: RunningServer, engine: str) -> dict[str, str]:
    """What a user sets to run the seed script by hand against ``server``."""
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


def server_environment(engine: str) -> dict[str, Any]:
    """The environment of a server whose job runs use ``engine``."""
    return {"OPENGLUE_ENGINE": engine}
