"""Job bookmarks end to end: a real glueetl job (Sail engine) run by a real server over CSV
files in an embedded bucket, through from_options and a partitioned catalog table. The second
run reads nothing new; after a file is added only it is read; a rewritten file is read again;
after ResetJobBookmark everything is read again."""

from __future__ import annotations

import ast
import csv
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.jobs import log_file, wait_for_run, write_script
from tests.support.server import RunningServer, start_server

JOB = "load_orders"

SCRIPT = """\
import sys
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
glue = GlueContext()
job = Job(glue)
job.init(args["JOB_NAME"], args)
orders = glue.create_dynamic_frame.from_options(
    "s3", {"paths": ["s3://raw/orders/"]}, "csv", {"withHeader": True},
    transformation_ctx="orders_source",
)
events = glue.create_dynamic_frame.from_catalog(
    database="shop", table_name="events", transformation_ctx="events_source"
)
glue.create_dynamic_frame.from_options("s3", {"paths": ["s3://raw/orders/"]}, "csv")
print("orders", sorted(r["id"] for r in orders.toDF().collect()))
print("events", sorted((r["year"], r["name"]) for r in events.toDF().collect()))
glue.write_dynamic_frame.from_options(orders, "s3", {"path": "s3://out/orders/"}, "csv")
job.commit()
"""


@pytest.fixture(scope="module")
def etl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # The job processes inherit the server's environment: Sail for a quick start.
    running = start_server(
        tmp_path_factory.mktemp("bookmarks-e2e"), env={"OPENGLUE_ENGINE": "sail"}
    )
    yield running
    running.stop()


def _csv(path: Path, header: str, *rows: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n")


def _events_table(glue: Any) -> None:
    glue.create_database(DatabaseInput={"Name": "shop"})
    glue.create_table(
        DatabaseName="shop",
        TableInput={
            "Name": "events",
            "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
            "PartitionKeys": [{"Name": "year", "Type": "int"}],
            "StorageDescriptor": {
                "Columns": [{"Name": "name", "Type": "string"}],
                "Location": "s3://raw/events/",
                "SerdeInfo": {"Parameters": {"field.delim": ","}},
            },
        },
    )


def _add_partition(glue: Any, buckets: Path, year: int, *names: str) -> None:
    _csv(buckets / "raw" / "events" / f"year={year}" / "part-0.csv", "name", *names)
    location = f"s3://raw/events/year={year}/"
    glue.create_partition(
        DatabaseName="shop",
        TableName="events",
        PartitionInput={"Values": [str(year)], "StorageDescriptor": {"Location": location}},
    )


def _run(server: RunningServer, glue: Any) -> dict[str, list[Any]]:
    run_id = glue.start_job_run(JobName=JOB)["JobRunId"]
    run = wait_for_run(glue, JOB, run_id, timeout=240)
    errors = log_file(server.data_dir, run_id, "error", shell=False)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage", "") + errors.read_text()
    # The third read has no transformation_ctx: it is read whole, and the log says why.
    assert "has no transformation_ctx" in errors.read_text()
    seen: dict[str, list[Any]] = {}
    for line in log_file(server.data_dir, run_id, shell=False).read_text().splitlines():
        name, _, value = line.partition(" ")
        if name in ("orders", "events"):
            seen[name] = ast.literal_eval(value)  # the script printed Python lists
    return seen


def _written_ids(buckets: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted((buckets / "out" / "orders").glob("*.csv")):
        with path.open() as handle:
            ids += [row["id"] for row in csv.DictReader(handle)]
    return sorted(ids)


@pytest.mark.slow
def test_runs_read_only_new_files_until_the_bookmark_is_reset(
    etl_server: RunningServer, tmp_path: Path
) -> None:
    glue = etl_server.client()
    buckets = etl_server.data_dir / "buckets"
    _csv(buckets / "raw" / "orders" / "day-1.csv", "id,amount", "1,10", "2,20")
    _events_table(glue)
    _add_partition(glue, buckets, 2024, "signup")
    script = write_script(tmp_path, "load_orders.py", SCRIPT)
    glue.create_job(
        Name=JOB,
        Role="etl",
        Command={"Name": "glueetl", "ScriptLocation": script},
        DefaultArguments={"--job-bookmark-option": "job-bookmark-enable"},
    )

    # The DynamicFrame CSV reader types the ids as longs, as Glue's does.
    assert _run(etl_server, glue) == {"orders": [1, 2], "events": [(2024, "signup")]}
    assert _written_ids(buckets) == ["1", "2"]
    assert _run(etl_server, glue) == {"orders": [], "events": []}
    assert _written_ids(buckets) == ["1", "2"]  # nothing new, nothing written

    _csv(buckets / "raw" / "orders" / "day-2.csv", "id,amount", "3,30")
    _add_partition(glue, buckets, 2025, "login")
    assert _run(etl_server, glue) == {"orders": [3], "events": [(2025, "login")]}
    assert _written_ids(buckets) == ["1", "2", "3"]

    rewritten = buckets / "raw" / "orders" / "day-1.csv"
    _csv(rewritten, "id,amount", "1,11", "2,22")
    later = time.time() + 2
    os.utime(rewritten, (later, later))
    assert _run(etl_server, glue)["orders"] == [1, 2]

    entry = glue.get_job_bookmark(JobName=JOB)["JobBookmarkEntry"]
    assert (entry["Version"], entry["Run"]) == (4, 4)
    assert '"orders_source"' in entry["JobBookmark"] and '"events_source"' in entry["JobBookmark"]
    glue.reset_job_bookmark(JobName=JOB)
    everything = _run(etl_server, glue)
    assert everything == {"orders": [1, 2, 3], "events": [(2024, "signup"), (2025, "login")]}
