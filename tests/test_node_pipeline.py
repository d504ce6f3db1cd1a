"""examples/node/trigger_pipeline.mjs starts the demo's seed pipeline with the AWS SDK for
JavaScript v3 (StartTrigger) and follows it to the job run the crawl's trigger started."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer, start_server

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "node"
sys.path.insert(0, str(ROOT / "demo"))

from pipeline_setup import define_pipeline  # noqa: E402

from orders_data import upload_month  # noqa: E402

FIX = "run the README's test command (it runs `npm ci` in examples/node) or `npm ci` there"
pytestmark = pytest.mark.node


@pytest.fixture
def node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"Node.js (`node`) is not on PATH; install Node.js 20+ and {FIX}")
    if not (EXAMPLES / "node_modules").is_dir():
        pytest.skip(f"examples/node/node_modules is missing; {FIX}")
    return node


@pytest.fixture
def pipeline(tmp_path: Path) -> Iterator[tuple[RunningServer, int]]:
    """The demo's server and pipeline, with one month of orders already under orders/ (there
    before the event trigger was activated, so only StartTrigger will crawl it)."""
    running = start_server(tmp_path / "data", env={"OPENGLUE_ENGINE": "sail"})
    completed = upload_month(running.data_dir / "buckets" / "my-app-bucket" / "orders", 2024, 3)
    define_pipeline(running.client(), lambda line: None)
    yield running, completed
    running.stop()


def _node(node: str, server: RunningServer, tmp_path: Path, **extra: str) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(tmp_path),  # no ~/.aws of the user's
        AWS_ENDPOINT_URL=server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        PIPELINE_TIMEOUT_SECONDS="120",
        **extra,
    )
    return subprocess.run(
        [node, "trigger_pipeline.mjs"],
        cwd=EXAMPLES,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_node_starts_the_pipeline_and_follows_it_to_the_job_run(
    node: str, pipeline: tuple[RunningServer, int], tmp_path: Path
) -> None:
    server, completed = pipeline
    done = _node(node, server, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Trigger started: orders_run_now" in done.stdout
    assert "Crawler orders_crawler: SUCCEEDED" in done.stdout
    started = re.search(
        r"^Job run (jr_\w+) \(trigger orders_crawled\): SUCCEEDED$", done.stdout, re.M
    )
    assert started, done.stdout
    assert done.stdout.rstrip().endswith("Pipeline finished: SUCCEEDED")

    glue = server.client()
    run = glue.get_job_run(JobName="transform_orders_job", RunId=started[1])["JobRun"]
    assert run["TriggerName"] == "orders_crawled"
    # Glue's Predecessor names job runs only; the crawl that started it is the one crawl.
    crawls = glue.list_crawls(CrawlerName="orders_crawler")["Crawls"]
    assert [c["State"] for c in crawls] == ["COMPLETED"]
    # The job's output: the month's completed orders, cataloged by the crawl its success starts.
    import pyarrow.dataset as ds

    output = server.data_dir / "buckets" / "my-app-bucket" / "orders_cleaned"
    assert ds.dataset(output, format="parquet").count_rows() == completed
    deadline = time.monotonic() + 60
    while not glue.get_tables(DatabaseName="ecommerce_data", Expression="orders_cleaned")[
        "TableList"
    ]:
        assert time.monotonic() < deadline, "orders_cleaned was not cataloged within a minute"
        time.sleep(0.2)


def test_an_unknown_trigger_fails_the_script_with_glues_error(
    node: str, pipeline: tuple[RunningServer, int], tmp_path: Path
) -> None:
    server, _ = pipeline
    done = _node(node, server, tmp_path, PIPELINE_TRIGGER="no_such_trigger")
    assert done.returncode == 1
    assert "EntityNotFoundException" in done.stderr
    assert "no_such_trigger" in done.stderr
