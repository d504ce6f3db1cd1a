"""Part (b) of the jobs benchmark: the seed job on generated orders, on one engine, started
through StartJobRun against running the same script directly with python, in the same run.

A server is started with ``OPENGLUE_ENGINE`` set, so its glueetl runs use that engine; the
direct run gets the same engine and points boto3 at the same server (the catalog read needs
it). Each round runs both, in turn, from an empty output folder; every output is checked
against the dataset's completed-row count.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.server import start_server

from bench import seed_job
from bench.orders_data import Dataset

FINAL = ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED")
POLL_SECONDS = 0.05  # a client polling harder would take cores from the job it waits for


def _check(data_dir: Path, dataset: Dataset, what: str) -> None:
    rows = seed_job.output_rows(seed_job.output_dir(data_dir))
    if rows != dataset.completed:
        raise SystemExit(f"{what}: wrote {rows} rows, expected {dataset.completed} completed")


def _direct(server: Any, engine: str) -> float:
    command = [sys.executable, str(seed_job.SCRIPT), "--JOB_NAME", seed_job.JOB_NAME]
    started = time.perf_counter()
    result = subprocess.run(
        command, env=seed_job.direct_environment(server, engine), capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"direct run on {engine} failed:\n{result.stderr[-3000:]}")
    return elapsed


def _job_run(glue: Any) -> tuple[float, float]:
    """(seconds to RUNNING, seconds to SUCCEEDED) of one run, as a polling client sees them."""
    started = time.perf_counter()
    run_id = glue.start_job_run(JobName=seed_job.JOB_NAME)["JobRunId"]
    running = None
    while True:
        run = glue.get_job_run(JobName=seed_job.JOB_NAME, RunId=run_id)["JobRun"]
        now = time.perf_counter() - started
        if running is None and run["JobRunState"] not in ("STARTING", "WAITING"):
            running = now
        if run["JobRunState"] in FINAL:
            if run["JobRunState"] != "SUCCEEDED":
                raise SystemExit(f"job run ended {run['JobRunState']}: {run.get('ErrorMessage')}")
            return running, now
        time.sleep(POLL_SECONDS)


def seed_benchmark(
    engine: str, dataset: Dataset, runs: int, workdir: Path, warm_up: bool = True
) -> dict[str, list[float]]:
    """Seconds per round: ``direct``, ``running`` (StartJobRun → RUNNING) and ``done``."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        server = start_server(Path(tmp) / "data", env={"OPENGLUE_ENGINE": engine})
        try:
            seed_job.stage(server, dataset)
            glue = server.client()
            glue.create_job(
                Name=seed_job.JOB_NAME,
                Role="bench",
                Command={"Name": "glueetl", "ScriptLocation": str(seed_job.SCRIPT)},
            )
            result: dict[str, list[float]] = {"direct": [], "running": [], "done": []}
            for index in range(runs + (1 if warm_up else 0)):
                seed_job.clear_output(server.data_dir)
                direct = _direct(server, engine)
                _check(server.data_dir, dataset, f"direct run on {engine}")
                seed_job.clear_output(server.data_dir)
                running, done = _job_run(glue)
                _check(server.data_dir, dataset, f"job run on {engine}")
                if warm_up and index == 0:
                    continue  # the first round fills the page cache
                result["direct"].append(direct)
                result["running"].append(running)
                result["done"].append(done)
            return result
        finally:
            server.stop()
