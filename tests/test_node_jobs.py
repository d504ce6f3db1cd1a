"""The Node.js examples in examples/node (the seed guide's integration, AWS SDK for JavaScript
v2 and v3) start `transform_orders_job` on a real server and wait for it, configured by the
environment alone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.jobs import shell_job, write_script
from tests.support.server import RunningServer, start_server

EXAMPLES = Path(__file__).parent.parent / "examples" / "node"
FIX = "run the README's test command (it runs `npm ci` in examples/node) or `npm ci` there"
JOB = "transform_orders_job"
# A quick stand-in for the seed's Spark job (which has its own test): the examples only start
# the job and wait for it.
QUICK = "import sys\nprint('transforming orders', sys.argv[sys.argv.index('--JOB_RUN_ID') + 1])\n"

pytestmark = pytest.mark.node


@pytest.fixture
def node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"Node.js (`node`) is not on PATH; install Node.js 20+ and {FIX}")
    if not (EXAMPLES / "node_modules").is_dir():
        pytest.skip(f"examples/node/node_modules is missing; {FIX}")
    return node


@pytest.fixture(scope="module")
def job_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # A server of its own: the job name is fixed, and the seed job's test uses it too.
    folder = tmp_path_factory.mktemp("node-jobs")
    running = start_server(folder / "data")
    script = write_script(folder, "quick_orders.py", QUICK)
    running.client().create_job(Name=JOB, **shell_job(script))
    yield running
    running.stop()


def _env(tmp_path: Path, **endpoint: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {
        **keep,
        "HOME": str(tmp_path),  # no ~/.aws of the user's
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
        **endpoint,
    }


def _run_example(node: str, script: str, server: RunningServer, tmp_path: Path) -> str:
    env = _env(tmp_path, AWS_ENDPOINT_URL=server.url)
    done = subprocess.run(
        [node, script], cwd=EXAMPLES, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _check(stdout: str, server: RunningServer) -> str:
    started = re.search(r"^Glue Job Started: (jr_[0-9a-f]{64})$", stdout, re.M)
    assert started, stdout
    assert re.search(r"^Glue Job Finished: SUCCEEDED", stdout, re.M), stdout
    run_id = started[1]
    runs: list[dict[str, Any]] = server.client().get_job_runs(JobName=JOB)["JobRuns"]
    run = next(r for r in runs if r["Id"] == run_id)
    assert run["JobRunState"] == "SUCCEEDED"
    log = server.data_dir / "logs" / "aws-glue" / "python-jobs" / "output" / run_id
    assert log.read_text() == f"transforming orders {run_id}\n"
    return run_id


def test_sdk_v2_example(node: str, job_server: RunningServer, tmp_path: Path) -> None:
    _check(_run_example(node, "v2_start_job.mjs", job_server, tmp_path), job_server)


def test_sdk_v3_example(node: str, job_server: RunningServer, tmp_path: Path) -> None:
    _check(_run_example(node, "v3_start_job.mjs", job_server, tmp_path), job_server)


def test_a_failed_run_fails_the_example(
    node: str, job_server: RunningServer, tmp_path: Path
) -> None:
    glue = job_server.client()
    quick = glue.get_job(JobName=JOB)["Job"]["Command"]["ScriptLocation"]
    failing = write_script(tmp_path, "failing.py", "raise SystemExit('no orders today')\n")
    glue.update_job(JobName=JOB, JobUpdate=shell_job(failing))
    try:
        done = subprocess.run(
            [node, "v2_start_job.mjs"],
            cwd=EXAMPLES,
            # The service-specific variable is read as well.
            env=_env(tmp_path, AWS_ENDPOINT_URL_GLUE=job_server.url),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        glue.update_job(JobName=JOB, JobUpdate=shell_job(quick))
    assert done.returncode == 1, done.stderr
    assert re.search(r"^Glue Job Finished: FAILED .*no orders today$", done.stdout, re.M)
