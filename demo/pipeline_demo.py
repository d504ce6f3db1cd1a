"""OpenGlue demo: the seed guide's pipeline, end to end, driven by its own triggers.

Starts ``openglue server`` on a free port with a throwaway data directory and defines, through
boto3, what the seed guide's pipeline has: the database ``ecommerce_data``, the crawler
``orders_crawler`` on ``s3://my-app-bucket/orders/``, the job ``transform_orders_job`` (the
seed's script, plus the ``transformation_ctx`` that bookmarks need) and its triggers: an EVENT
trigger on new orders, a CONDITIONAL one on the crawl, one that catalogs the job's output as
``orders_cleaned``, and a SCHEDULED daily run. Then it uploads raw orders CSV into the embedded
bucket and prints each step as the server takes it, three times: the first upload, the same
data again (the bookmark reads nothing new) and a new month (only it is read). Run it with
``./scripts/demo``; the job runs on the Sail engine unless OPENGLUE_ENGINE says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from demo_server import DemoError, Server
from pipeline_setup import (
    AFTER_CRAWL,
    CLEANED,
    DATABASE,
    ON_UPLOAD,
    ORDERS,
    RUN_NOW,
    define_pipeline,
)
from pipeline_watch import Watch

from orders_data import ROWS_PER_MONTH, upload_month

TIMEOUT_SECONDS = 180  # for the whole demo; it takes well under a minute
EXPRESSION = "year = '2024' AND month >= '06'"


def step(number: int, text: str) -> None:
    print(f"\n{number}. {text}", flush=True)


def show(text: str) -> None:
    print(f"   {text}", flush=True)


def cleaned_rows(server: Server) -> tuple[int, set[str]]:
    """The rows under s3://my-app-bucket/orders_cleaned/ and their statuses, read back."""
    import pyarrow.dataset as ds  # installed with the Spark runtime

    folder = server.bucket("my-app-bucket") / "orders_cleaned"
    table = ds.dataset(folder, format="parquet").to_table(columns=["status"])
    return table.num_rows, set(table.column("status").to_pylist())


def first_pass(server: Server, glue: Any, watch: Watch) -> int:
    step(3, f"Uploading raw orders CSV for 2024 into {ORDERS} (year=/month= folders)")
    orders = server.bucket("my-app-bucket") / "orders"
    uploaded = time.monotonic()
    completed = sum(upload_month(orders, 2024, month) for month in range(1, 13))
    show(f"12 files, {12 * ROWS_PER_MONTH} orders, of which {completed} completed")
    result = watch.follow_pass(ON_UPLOAD)

    step(4, "What the pipeline made")
    rows, statuses = cleaned_rows(server)
    show(f"raw orders: {12 * ROWS_PER_MONTH} rows")
    show(f"completed rows written: {completed}")
    show(f"rows read back from {CLEANED}: {rows}, statuses {sorted(statuses)}")
    if rows != completed or statuses != {"completed"}:
        raise DemoError(f"expected {completed} completed orders in {CLEANED}, found {rows}")
    table = glue.get_table(DatabaseName=DATABASE, Name="orders_cleaned")["Table"]
    sd = table["StorageDescriptor"]
    columns = ", ".join(c["Name"] for c in sd["Columns"])
    show(f"cataloged: {DATABASE}.orders_cleaned at {sd['Location']} ({columns})")
    pages = glue.get_paginator("get_partitions").paginate(
        DatabaseName=DATABASE, TableName="orders", Expression=EXPRESSION
    )
    found = sorted("/".join(p["Values"]) for page in pages for p in page["Partitions"])
    show(f'GetPartitions of orders with "{EXPRESSION}": {len(found)} of 12 months')
    if found != [f"2024/{m:02d}" for m in range(6, 13)]:
        raise DemoError(f"expected the partitions of June to December 2024, got {found}")
    show(f"from upload to cataloged output: {result.cataloged_at - uploaded:.1f} s")
    return rows


def second_pass(server: Server, glue: Any, watch: Watch, before: int) -> None:
    step(5, "The same data again, crawled by hand with StartCrawler")
    watch.follow_hand_crawl(AFTER_CRAWL)
    show(f"so the pipeline is started by its on-demand trigger: StartTrigger {RUN_NOW}")
    glue.start_trigger(Name=RUN_NOW)
    result = watch.follow_pass(RUN_NOW)
    rows, _ = cleaned_rows(server)
    show(f"nothing new: the bookmark took {result.files_read} new files, so 0 rows were read")
    show(f"new rows written: {rows - before}; rows in {CLEANED}: {rows}")
    if rows != before or result.files_read != 0:
        raise DemoError(f"the second pass wrote {rows - before} rows; its bookmark should skip all")


def third_pass(server: Server, watch: Watch, before: int) -> None:
    step(6, "A new month arrives: year=2025/month=01")
    orders = server.bucket("my-app-bucket") / "orders"
    completed = upload_month(orders, 2025, 1)
    show(f"1 file, {ROWS_PER_MONTH} orders, of which {completed} completed")
    result = watch.follow_pass(ON_UPLOAD)
    rows, _ = cleaned_rows(server)
    show(f"only the new month: the bookmark took {result.files_read} new file")
    show(f"new rows written: {rows - before} (the new month's completed orders: {completed})")
    show(f"rows read back from {CLEANED}: {rows}")
    if rows - before != completed or result.files_read != 1:
        raise DemoError(f"the third pass wrote {rows - before} rows, not the {completed} new ones")


def run(server: Server) -> None:
    glue = server.client()
    step(2, "Defining the seed guide's pipeline through boto3")
    define_pipeline(glue, show)
    watch = Watch(glue, server.client("logs"), TIMEOUT_SECONDS, show)
    rows = first_pass(server, glue, watch)
    second_pass(server, glue, watch, rows)
    third_pass(server, watch, rows)


def keep_running(server: Server) -> None:
    """Leave the pipeline up for other clients (the Node.js variant) until Ctrl-C."""
    print(
        "\nThe server keeps running with the pipeline defined; from another terminal:\n"
        f"  cd examples/node && AWS_ENDPOINT_URL={server.url} AWS_ACCESS_KEY_ID=demo "
        "AWS_SECRET_ACCESS_KEY=demo node trigger_pipeline.mjs\n"
        "Ctrl-C stops it.",
        flush=True,
    )
    # SIGTERM ends the wait like Ctrl-C, so the server is stopped either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        server.process.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="after the three passes, keep the server and its pipeline up until Ctrl-C",
    )
    args = parser.parse_args(argv)
    failure = None
    with tempfile.TemporaryDirectory(prefix="openglue-demo-") as tmp:
        step(1, "Starting `openglue server --port 0` with a temporary data directory")
        server = Server(Path(tmp))
        show(f"ready: AWS_ENDPOINT_URL={server.url}")
        try:
            run(server)
            if args.keep_running:
                keep_running(server)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            failure = f"{error.get('Code')}: {error.get('Message')}"
        except DemoError as exc:
            failure = str(exc)
        step(7, "Stopping the server with SIGTERM")
        code = server.stop()
        show(f"exit code {code}")
        if failure is None and code != 0:
            failure = f"the server exited with code {code}"
    if failure is not None:
        print("".join(server.output[-40:]), file=sys.stderr)
        print(f"\nThe demo failed: {failure}", file=sys.stderr)
        return 1
    print(
        "\nDone. To keep a server running: .venv/bin/openglue server, then point any AWS SDK at "
        "it, e.g.\n  AWS_ENDPOINT_URL=http://127.0.0.1:4599 aws glue get-triggers"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    sys.exit(main(sys.argv[1:]))
