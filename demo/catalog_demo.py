"""OpenGlue demo: a Data Catalog for an orders dataset, driven through boto3.

Starts ``openglue server`` on a free port with a throwaway data directory, then does what a
crawler and an ETL job would do to the catalog: a database, a partitioned CSV table, one
partition per month of 2024, and a partition query with an expression. Stops the server with
SIGTERM at the end. Run it with ``./scripts/demo``.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

DATABASE = "ecommerce_data"
TABLE = "orders"
LOCATION = "s3://my-app-bucket/orders/"
COLUMNS = [
    ("order_id", "bigint"),
    ("customer_id", "bigint"),
    ("status", "string"),
    ("amount", "double"),
    ("currency", "string"),
    ("created_at", "string"),
    ("country", "string"),
    ("note", "string"),
]
PARTITION_KEYS = [("year", "string"), ("month", "string")]
EXPRESSION = "year = '2024' AND month >= '06'"

# What a Glue crawler writes for a CSV folder with a header row (reference §5.6).
CSV_PARAMETERS = {
    "classification": "csv",
    "compressionType": "none",
    "typeOfData": "file",
    "delimiter": ",",
    "skip.header.line.count": "1",
    "areColumnsQuoted": "false",
    "columnsOrdered": "true",
}
STORAGE_DESCRIPTOR: dict[str, Any] = {
    "Columns": [{"Name": name, "Type": kind} for name, kind in COLUMNS],
    "Location": LOCATION,
    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    "Compressed": False,
    "NumberOfBuckets": -1,
    "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        "Parameters": {"field.delim": ","},
    },
    "StoredAsSubDirectories": False,
    "Parameters": CSV_PARAMETERS,
}


class DemoError(Exception):
    pass


class Server:
    """``openglue server --port 0`` as a child process, ready once it prints its endpoint."""

    def __init__(self, data_dir: Path) -> None:
        command = [sys.executable, "-m", "openglue", "server", "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self.url = self._wait_for_endpoint(timeout=60)
        # Keep reading so a chatty server never blocks on a full pipe.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _wait_for_endpoint(self, timeout: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith("AWS_ENDPOINT_URL="):
                return line.strip().split("=", 1)[1]
        self.process.kill()
        self.process.wait()
        raise DemoError("the server did not start:\n" + "".join(self.output))

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self) -> int:
        """SIGTERM, then wait; returns the exit code (killing it if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        return self.process.returncode


def step(number: int, text: str) -> None:
    print(f"\n{number}. {text}")


def show(text: str) -> None:
    print(f"   {text}")


def run(glue: Any) -> None:
    step(2, f"CreateDatabase {DATABASE}")
    glue.create_database(
        DatabaseInput={"Name": DATABASE, "Description": "Orders, customers and payments"}
    )
    names = [db["Name"] for db in glue.get_databases()["DatabaseList"]]
    show(f"GetDatabases now lists: {', '.join(names)}")

    step(3, f"CreateTable {DATABASE}.{TABLE} (CSV, partitioned by year and month)")
    glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": TABLE,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": CSV_PARAMETERS,
            "StorageDescriptor": STORAGE_DESCRIPTOR,
            "PartitionKeys": [{"Name": name, "Type": kind} for name, kind in PARTITION_KEYS],
        },
    )
    table = glue.get_table(DatabaseName=DATABASE, Name=TABLE)["Table"]
    sd = table["StorageDescriptor"]
    show(f"GetTable: {table['Name']} at {sd['Location']}")
    show(f"  SerDe  {sd['SerdeInfo']['SerializationLibrary']}")
    show(f"  format {sd['InputFormat']}")
    columns = ", ".join(f"{c['Name']} {c['Type']}" for c in sd["Columns"])
    for number, line in enumerate(textwrap.wrap(columns, 70)):
        show(("  columns " if number == 0 else " " * 10) + line)
    keys = table["PartitionKeys"]
    show("  partitioned by " + ", ".join(f"{k['Name']} {k['Type']}" for k in keys))

    step(4, "BatchCreatePartition: one partition per month of 2024")
    partitions: list[dict[str, Any]] = []
    for month in (f"{m:02d}" for m in range(1, 13)):
        descriptor = copy.deepcopy(STORAGE_DESCRIPTOR)
        descriptor["Location"] = f"{LOCATION}year=2024/month={month}/"
        partitions.append({"Values": ["2024", month], "StorageDescriptor": descriptor})
    answer = glue.batch_create_partition(
        DatabaseName=DATABASE, TableName=TABLE, PartitionInputList=partitions
    )
    if answer.get("Errors"):
        raise DemoError(f"BatchCreatePartition reported errors: {answer['Errors']}")
    show(f"created {len(partitions)} partitions, no errors")
    show(f"first: {partitions[0]['StorageDescriptor']['Location']}")
    show(f"last:  {partitions[-1]['StorageDescriptor']['Location']}")

    step(5, f'GetPartitions with Expression "{EXPRESSION}"')
    pages = glue.get_paginator("get_partitions").paginate(
        DatabaseName=DATABASE, TableName=TABLE, Expression=EXPRESSION
    )
    found = sorted(tuple(p["Values"]) for page in pages for p in page["Partitions"])
    for values in found:
        show(f"year={values[0]} month={values[1]}")
    expected = [("2024", f"{m:02d}") for m in range(6, 13)]
    if found != expected:
        raise DemoError(f"expected the partitions {expected}, got {found}")
    show(f"{len(found)} of {len(partitions)} partitions match")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="openglue-demo-") as tmp:
        step(1, "Starting `openglue server --port 0` with a temporary data directory")
        server = Server(Path(tmp))
        show(f"ready: AWS_ENDPOINT_URL={server.url}")
        glue = boto3.client(
            "glue",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
            config=Config(retries={"max_attempts": 1}),
        )
        failure = None
        try:
            run(glue)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            failure = f"{error.get('Code')}: {error.get('Message')}"
        except DemoError as exc:
            failure = str(exc)

        step(6, "Stopping the server with SIGTERM")
        code = server.stop()
        last = server.output[-1].strip() if server.output else "(no output)"
        show(f"exit code {code}; its last line: {last}")
        if failure is None and code != 0:
            failure = f"the server exited with code {code}:\n{''.join(server.output)}"
    if failure is not None:
        print(f"\nThe demo failed: {failure}", file=sys.stderr)
        return 1
    print(
        "\nDone. To keep a server running: .venv/bin/openglue server, then point any AWS SDK at "
        "it, e.g.\n  AWS_ENDPOINT_URL=http://127.0.0.1:4599 aws glue get-databases"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    sys.exit(main())
