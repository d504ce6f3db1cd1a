"""OpenGlue demo: an orders dataset cataloged and transformed, driven through boto3.

Starts ``openglue server`` on a free port with a throwaway data directory, writes raw orders
CSV into the embedded bucket ``s3://my-app-bucket/orders/``, crawls it into the catalog (a
crawler finds one CSV table partitioned by year and month, one partition per month of 2024,
and says why), queries the partitions with an expression, runs the seed guide's ETL script
unchanged as the Glue
job ``transform_orders_job`` (StartJobRun, polling GetJobRun), and checks the Parquet it wrote
to ``s3://my-app-bucket/orders_cleaned/``. Stops the server with SIGTERM at the end. Run it
with ``./scripts/demo``. The job runs on the Sail engine unless OPENGLUE_ENGINE says otherwise.
"""

from __future__ import annotations

import csv
import os
import random
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
CRAWLER = "orders_crawler"


ROOT = Path(__file__).resolve().parent.parent
SEED_SCRIPT = ROOT / "examples" / "transform_orders_job.py"
JOB = "transform_orders_job"
ROWS_PER_MONTH = 200
STATUSES = ("completed", "completed", "completed", "pending", "cancelled")


class DemoError(Exception):
    pass


def write_raw_orders(data_dir: Path) -> int:
    """One CSV per month under the embedded bucket; returns how many orders are completed."""
    rng = random.Random(20240601)
    completed = 0
    for month in range(1, 13):
        folder = data_dir / "buckets" / "my-app-bucket" / "orders" / f"year=2024/month={month:02d}"
        folder.mkdir(parents=True)
        with open(folder / "part-00000.csv", "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in COLUMNS])
            for index in range(ROWS_PER_MONTH):
                status = rng.choice(STATUSES)
                completed += status == "completed"
                writer.writerow([
                    month * 10_000 + index, rng.randint(1, 5000), status,
                    f"{rng.randint(100, 50_000) / 100:.2f}", "USD",
                    f"2024-{month:02d}-{rng.randint(1, 28):02d}T12:00:00", "US",
                    rng.choice(["leave at door, ring bell", "fragile", "gift wrap please"]),
                ])  # fmt: skip
    return completed


class Server:
    """``openglue server --port 0`` as a child process, ready once it prints its endpoint."""

    def __init__(self, data_dir: Path) -> None:
        command = [sys.executable, "-m", "openglue", "server", "--port", "0"]
        # Job runs inherit the server's environment: Sail starts in about half a second.
        env = {"OPENGLUE_ENGINE": "sail", **os.environ}
        self.process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
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


def run_seed_job(glue: Any, data_dir: Path, completed: int) -> None:
    step(6, f"CreateJob {JOB} (glueetl: the seed guide's script, unchanged) and StartJobRun")
    glue.create_job(
        Name=JOB,
        Role="arn:aws:iam::123456789012:role/GlueDemo",
        Command={"Name": "glueetl", "ScriptLocation": str(SEED_SCRIPT), "PythonVersion": "3"},
        GlueVersion="5.0",
    )
    run_id = glue.start_job_run(JobName=JOB)["JobRunId"]
    show(f"JobRunId {run_id}")
    last = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job_run = glue.get_job_run(JobName=JOB, RunId=run_id)["JobRun"]
        if job_run["JobRunState"] != last:
            last = job_run["JobRunState"]
            show(f"GetJobRun: {last}")
        if last in ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"):
            break
        time.sleep(0.2)
    if last != "SUCCEEDED":
        raise DemoError(f"the job ended {last}: {job_run.get('ErrorMessage', '')}")
    show(f"ExecutionTime {job_run.get('ExecutionTime', 0)} s")

    step(7, "Reading back s3://my-app-bucket/orders_cleaned/ (Parquet)")
    import pyarrow.dataset as ds  # installed with the Spark runtime

    output = data_dir / "buckets" / "my-app-bucket" / "orders_cleaned"
    table = ds.dataset(output, format="parquet").to_table()
    statuses = set(table.column("status").to_pylist())
    show(f"{table.num_rows} rows, statuses {sorted(statuses)}")
    show(f"raw orders: {12 * ROWS_PER_MONTH}, of which completed: {completed}")
    if table.num_rows != completed or statuses != {"completed"}:
        raise DemoError(f"expected {completed} completed orders, found {table.num_rows}")


def run(glue: Any) -> None:
    step(2, f"CreateDatabase {DATABASE}")
    glue.create_database(
        DatabaseInput={"Name": DATABASE, "Description": "Orders, customers and payments"}
    )
    names = [db["Name"] for db in glue.get_databases()["DatabaseList"]]
    show(f"GetDatabases now lists: {', '.join(names)}")

    step(3, f"CreateCrawler {CRAWLER} over {LOCATION}, StartCrawler, poll GetCrawler")
    glue.create_crawler(
        Name=CRAWLER,
        Role="arn:aws:iam::123456789012:role/GlueCrawler",
        DatabaseName=DATABASE,
        Targets={"S3Targets": [{"Path": LOCATION}]},
    )
    glue.start_crawler(Name=CRAWLER)
    deadline = time.monotonic() + 60
    while (crawler := glue.get_crawler(Name=CRAWLER)["Crawler"])["State"] != "READY":
        if time.monotonic() > deadline:
            raise DemoError(f"crawler {CRAWLER} did not finish within a minute")
        time.sleep(0.1)
    last = crawler["LastCrawl"]
    if last["Status"] != "SUCCEEDED":
        raise DemoError(f"the crawl ended {last['Status']}: {last.get('ErrorMessage')}")
    crawl = glue.list_crawls(CrawlerName=CRAWLER)["Crawls"][0]
    seconds = (crawl["EndTime"] - crawl["StartTime"]).total_seconds()
    show(f"crawl {crawl['State']} in {seconds:.2f}s: {crawl['Summary']}")
    logs = boto3.client(
        "logs",
        endpoint_url=glue.meta.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    events = logs.get_log_events(
        logGroupName=last["LogGroup"], logStreamName=last["LogStream"], startFromHead=True
    )["events"]
    for event in events:
        message = event["message"].split(" : ", 1)[-1]
        if message.startswith(("GROUPED", "CHANGE")):
            show("  " + textwrap.shorten(message, 96, placeholder=" …"))

    step(4, f"GetTable {DATABASE}.{TABLE}, as the crawler wrote it")
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
    found_columns = [(c["Name"], c["Type"]) for c in sd["Columns"]]
    if found_columns != COLUMNS or [(k["Name"], k["Type"]) for k in keys] != PARTITION_KEYS:
        raise DemoError(f"the crawler found columns {found_columns} and keys {keys}")
    pages = glue.get_paginator("get_partitions").paginate(DatabaseName=DATABASE, TableName=TABLE)
    partitions = [p for page in pages for p in page["Partitions"]]
    locations = sorted(p["StorageDescriptor"]["Location"] for p in partitions)
    show(f"{len(partitions)} partitions, each with its own location")
    show(f"first: {locations[0]}")
    show(f"last:  {locations[-1]}")

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
        completed = write_raw_orders(Path(tmp))
        show(f"wrote {12 * ROWS_PER_MONTH} raw orders as CSV under s3://my-app-bucket/orders/")
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
            run_seed_job(glue, Path(tmp), completed)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            failure = f"{error.get('Code')}: {error.get('Message')}"
        except DemoError as exc:
            failure = str(exc)

        step(8, "Stopping the server with SIGTERM")
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
