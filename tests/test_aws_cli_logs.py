"""`aws logs …` (the AWS CLI v1 in the venv) reading a real job run's logs from a real server.

CLI v1 has no `aws logs tail` (a v2 command); what it does is covered in test_api_logs.py
through the FilterLogEvents calls it makes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.jobs import shell_job, wait_for_run, write_script
from tests.support.server import RunningServer

OUTPUT = "/aws-glue/python-jobs/output"
SCRIPT = """\
import sys
for i in range(7):
    print(f"row {i} {'odd' if i % 2 else 'even'}")
print("Traceback? no, just a word on stderr", file=sys.stderr)
"""


def _aws(server: RunningServer, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "aws"
    if not executable.exists():
        pytest.skip(f"the AWS CLI is not installed next to {sys.executable}; pip install awscli")
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env = {
        **keep,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    }
    command = [str(executable), "logs", *args, "--endpoint-url", server.url, "--output", "json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture
def run_id(server: RunningServer, tmp_path: Path, unique_name: str) -> str:
    glue = server.client()
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "rows.py", SCRIPT)))
    run = glue.start_job_run(JobName=unique_name)["JobRunId"]
    assert wait_for_run(glue, unique_name, run)["JobRunState"] == "SUCCEEDED"
    return str(run)


def test_cli_reads_a_runs_logs(server: RunningServer, tmp_path: Path, run_id: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    rows = [f"row {i} {'odd' if i % 2 else 'even'}" for i in range(7)]

    got = _json(
        _aws(server, home, "get-log-events", "--log-group-name", OUTPUT,
             "--log-stream-name", run_id, "--start-from-head")
    )  # fmt: skip
    assert [e["message"] for e in got["events"]] == rows
    assert got["nextForwardToken"].startswith("f/")

    # The CLI pages through FilterLogEvents by itself (here 2 events a request).
    found = _json(
        _aws(server, home, "filter-log-events", "--log-group-name", OUTPUT,
             "--log-stream-names", run_id, "--filter-pattern", "odd -5", "--page-size", "2")
    )  # fmt: skip
    assert [e["message"] for e in found["events"]] == ["row 1 odd", "row 3 odd"]
    assert all(e["logStreamName"] == run_id for e in found["events"])

    streams = _json(
        _aws(server, home, "describe-log-streams", "--log-group-name", OUTPUT,
             "--log-stream-name-prefix", run_id)
    )  # fmt: skip
    assert [s["logStreamName"] for s in streams["logStreams"]] == [run_id]

    groups = _json(_aws(server, home, "describe-log-groups", "--log-group-name-prefix", "/aws-"))
    assert OUTPUT in [g["logGroupName"] for g in groups["logGroups"]]

    missing = _aws(
        server, home, "get-log-events", "--log-group-name", OUTPUT, "--log-stream-name", "jr_x"
    )
    assert missing.returncode != 0
    assert "ResourceNotFoundException" in missing.stderr
