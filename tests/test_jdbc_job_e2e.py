"""A JDBC job end to end: a real glueetl job (Sail engine), run by a real server, copies new
rows of a PostgreSQL table into another through a catalog Connection, with job bookmarks on
the primary key kept by the server. Run after run only the rows added in between are copied;
after ResetJobBookmark everything is copied again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.jdbc_database import JdbcDatabase, items_database
from tests.support.jobs import log_file, wait_for_run, write_script
from tests.support.postgres import PostgresServer
from tests.support.server import RunningServer, start_server

JOB = "copy_items"

SCRIPT = """\
import sys
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "database"])
glue = GlueContext()
job = Job(glue)
job.init(args["JOB_NAME"], args)
items = glue.create_dynamic_frame.from_options(
    "postgresql",
    {"useConnectionProperties": "true", "connectionName": "shop", "database": args["database"],
     "dbtable": "public.items"},
    transformation_ctx="items_source",
)
glue.write_dynamic_frame.from_jdbc_conf(
    items, catalog_connection="shop",
    connection_options={"dbtable": "items_copy", "database": args["database"]},
)
job.commit()
"""


@pytest.fixture(scope="module")
def etl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("jdbc-e2e"), env={"OPENGLUE_ENGINE": "sail"})
    yield running
    running.stop()


def _run(server: RunningServer, glue: Any) -> None:
    run_id = glue.start_job_run(JobName=JOB)["JobRunId"]
    run = wait_for_run(glue, JOB, run_id, timeout=240)
    errors = log_file(server.data_dir, run_id, "error", shell=False).read_text()
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage", "") + errors


def _copied(db: JdbcDatabase) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM items_copy ORDER BY id")]


@pytest.mark.slow
@pytest.mark.postgres
def test_job_copies_only_new_rows_until_the_bookmark_is_reset(
    etl_server: RunningServer, postgres: PostgresServer, tmp_path: Path
) -> None:
    db = items_database(postgres)
    glue = etl_server.client()
    glue.create_connection(
        ConnectionInput={
            "Name": "shop",
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": f"jdbc:postgresql://127.0.0.1:{db.port}/openglue",
                "USERNAME": "openglue",
                "PASSWORD": "x",
            },
        }
    )
    script = write_script(tmp_path, "copy_items.py", SCRIPT)
    glue.create_job(
        Name=JOB,
        Role="etl",
        Command={"Name": "glueetl", "ScriptLocation": script},
        DefaultArguments={
            "--job-bookmark-option": "job-bookmark-enable",
            "--database": db.name,
        },
    )

    _run(etl_server, glue)
    assert _copied(db) == list(range(1, 21))
    entry = glue.get_job_bookmark(JobName=JOB)["JobBookmarkEntry"]
    state = json.loads(entry["JobBookmark"])["items_source"]
    assert (json.loads(state["keys"]), json.loads(state["values"])) == (["id"], ["20"])

    _run(etl_server, glue)
    assert _copied(db) == list(range(1, 21))  # nothing new, nothing copied

    db.execute("INSERT INTO items (id, name) VALUES (21, 'new'), (22, 'newer')")
    _run(etl_server, glue)
    assert _copied(db) == list(range(1, 23))

    glue.reset_job_bookmark(JobName=JOB)
    _run(etl_server, glue)
    assert _copied(db) == sorted([*range(1, 23), *range(1, 23)])
