"""Job runs through boto3 against a real server process: real processes, logs and states.

The server here counts one minute of a job's Timeout as one second
(``--job-timeout-unit-seconds 1``), so timeouts take seconds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.jobs import (
    SLEEPER,
    alive,
    group_alive,
    log_file,
    shell_job,
    sleeper_pids,
    wait_for_run,
    wait_for_text,
    write_script,
)
from tests.support.server import RunningServer, start_server

HELLO = """\
import json, os, sys
import boto3
args = sys.argv[1:]
run_id = args[args.index("--JOB_RUN_ID") + 1]
job = args[args.index("--JOB_NAME") + 1]
# boto3, unconfigured, talks to the server that runs this script.
state = boto3.client("glue").get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]
print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "state": state,
                  "home": os.environ["OPENGLUE_HOME"]}))
print("to stderr", file=sys.stderr)
"""

FAILING = """\
import sys
print("about to fail")
def load():
    raise ValueError("bad input")
load()
"""


@pytest.fixture(scope="module")
def job_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("jobs"), "--job-timeout-unit-seconds", "1")
    yield running
    running.stop()


@pytest.fixture
def glue(job_server: RunningServer) -> Any:
    return job_server.client()


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def test_hello_job_runs_and_reports(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(tmp_path, "hello.py", HELLO)
    glue.create_job(
        Name=unique_name,
        **shell_job(script),
        DefaultArguments={"--day": "mon", "--size": "s", "--enable-metrics": ""},
        NonOverridableArguments={"--size": "fixed"},
    )
    started = time.monotonic()
    run_id = glue.start_job_run(JobName=unique_name, Arguments={"--day": "tue", "--size": "x"})[
        "JobRunId"
    ]
    assert re.fullmatch(r"jr_[0-9a-f]{64}", run_id)
    running = wait_for_run(glue, unique_name, run_id, ("RUNNING", "SUCCEEDED"))
    to_running = time.monotonic() - started
    run = wait_for_run(glue, unique_name, run_id)
    to_done = time.monotonic() - started
    print(f"hello job: StartJobRun → RUNNING {to_running:.3f}s, → SUCCEEDED {to_done:.3f}s")
    assert running["Id"] == run_id
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    assert (run["JobName"], run["Attempt"]) == (unique_name, 0)
    assert "PreviousRunId" not in run and "ErrorMessage" not in run
    assert run["Arguments"] == {"--day": "tue", "--size": "x"}  # only the run's own
    assert run["StartedOn"] <= run["CompletedOn"] == run["LastModifiedOn"]
    assert isinstance(run["ExecutionTime"], int) and run["ExecutionTime"] < 30
    assert (run["Timeout"], run["MaxCapacity"], run["GlueVersion"]) == (2880, 0.0625, "3.0")
    assert run["LogGroupName"] == "/aws-glue/python-jobs"
    assert run["PredecessorRuns"] == [] and run["JobRunQueuingEnabled"] is False

    data_dir = job_server.data_dir
    report = json.loads(log_file(data_dir, run_id).read_text())
    argv = report["argv"]
    assert argv[0] == script
    assert argv[1:7] == ["--JOB_NAME", unique_name, "--JOB_ID", argv[4], "--JOB_RUN_ID", run_id]
    assert re.fullmatch(r"j_[0-9a-f]{64}", argv[4])
    assert argv[7:] == [
        "--job-bookmark-option", "job-bookmark-disable",
        "--day", "tue", "--size", "fixed", "--enable-metrics",
    ]  # fmt: skip
    assert report["state"] == "RUNNING"
    assert report["cwd"] == str((data_dir / "runs" / run_id).resolve())
    assert report["home"] == str(data_dir.resolve())
    assert log_file(data_dir, run_id, "error").read_text() == "to stderr\n"

    logs = subprocess.run(
        [sys.executable, "-m", "openglue", "logs", run_id, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert logs.returncode == 0
    assert json.loads(logs.stdout) == report and logs.stderr == "to stderr\n"

    second = glue.start_job_run(JobName=unique_name)["JobRunId"]
    wait_for_run(glue, unique_name, second)
    listed = glue.get_job_runs(JobName=unique_name)["JobRuns"]
    assert [r["Id"] for r in listed] == [second, run_id]  # newest first
    pages = glue.get_paginator("get_job_runs").paginate(
        JobName=unique_name, PaginationConfig={"PageSize": 1}
    )
    assert [r["Id"] for page in pages for r in page["JobRuns"]] == [second, run_id]
    with pytest.raises(ClientError) as exc:
        glue.get_job_runs(JobName=unique_name, MaxResults=201)
    assert _code(exc) == "InvalidInputException"


def test_script_in_an_embedded_bucket(
    glue: Any, job_server: RunningServer, unique_name: str
) -> None:
    bucket = job_server.data_dir / "buckets" / "scripts"
    write_script(bucket, f"{unique_name}/job.py", "print('from the bucket')\n")
    glue.create_job(Name=unique_name, **shell_job(f"s3://scripts/{unique_name}/job.py"))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "SUCCEEDED"
    assert log_file(job_server.data_dir, run_id).read_text() == "from the bucket\n"
    # Glue downloads the script; OpenGlue copies it into the run's working directory.
    assert (job_server.data_dir / "runs" / run_id / "job.py").is_file()

    missing = glue.start_job_run(
        JobName=unique_name, Arguments={"--scriptLocation": "s3://scripts/nope.py"}
    )["JobRunId"]
    run = wait_for_run(glue, unique_name, missing)
    assert run["JobRunState"] == "FAILED"
    assert "s3://scripts/nope.py not found" in run["ErrorMessage"]


def test_failing_script_reports_its_exception(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "f.py", FAILING)))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "FAILED"
    assert run["ErrorMessage"] == "ValueError: bad input"
    assert "Traceback" in log_file(job_server.data_dir, run_id, "error").read_text()
    assert log_file(job_server.data_dir, run_id).read_text() == "about to fail\n"

    # StartJobRun(JobRunId=…) retries a finished run with its arguments.
    retry = glue.start_job_run(JobName=unique_name, JobRunId=run_id)["JobRunId"]
    again = wait_for_run(glue, unique_name, retry)
    assert retry != run_id and again["PreviousRunId"] == run_id and again["Attempt"] == 0
    with pytest.raises(ClientError) as exc:
        glue.start_job_run(JobName=unique_name, JobRunId="jr_unknown")
    assert _code(exc) == "EntityNotFoundException"


def test_max_retries_make_new_attempts(glue: Any, tmp_path: Path, unique_name: str) -> None:
    script = write_script(tmp_path, "f.py", FAILING)
    glue.create_job(Name=unique_name, **shell_job(script), MaxRetries=2)
    first = glue.start_job_run(JobName=unique_name, Arguments={"--k": "v"})["JobRunId"]
    last = wait_for_run(glue, unique_name, f"{first}_attempt_2")
    runs = glue.get_job_runs(JobName=unique_name)["JobRuns"]
    assert [(r["Id"], r["Attempt"], r.get("PreviousRunId")) for r in runs] == [
        (f"{first}_attempt_2", 2, f"{first}_attempt_1"),
        (f"{first}_attempt_1", 1, first),
        (first, 0, None),
    ]
    assert {r["JobRunState"] for r in runs} == {"FAILED"}
    assert last["Arguments"] == {"--k": "v"}

    # Retries stop at the first attempt that succeeds.
    flaky = write_script(
        tmp_path,
        "flaky.py",
        f"""\
        import pathlib
        marker = pathlib.Path({str(tmp_path / "marker")!r})
        if not marker.exists():
            marker.touch()
            raise RuntimeError("first time")
        """,
    )
    glue.update_job(JobName=unique_name, JobUpdate={**shell_job(flaky), "MaxRetries": 3})
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    done = wait_for_run(glue, unique_name, f"{run_id}_attempt_1")
    assert done["JobRunState"] == "SUCCEEDED"
    assert wait_for_run(glue, unique_name, run_id)["ErrorMessage"] == "RuntimeError: first time"
    assert len(glue.get_job_runs(JobName=unique_name)["JobRuns"]) == 5


def test_timeout_kills_the_process_group(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "s.py", SLEEPER)))
    run_id = glue.start_job_run(JobName=unique_name, Timeout=2)["JobRunId"]
    pid, group, child = sleeper_pids(job_server.data_dir, run_id)
    assert group not in (os.getpgid(0), job_server.process.pid)  # a process group of its own
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "TIMEOUT" and run["Timeout"] == 2
    assert "Timeout of 2 minute(s)" in run["ErrorMessage"]
    assert 1 <= run["ExecutionTime"] <= 5
    assert not alive(pid) and not alive(child) and group_alive(group) == []


def test_batch_stop_job_run(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "s.py", SLEEPER)))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    pid, group, child = sleeper_pids(job_server.data_dir, run_id)
    answer = glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[run_id, "jr_nope"])
    assert answer["SuccessfulSubmissions"] == [{"JobName": unique_name, "JobRunId": run_id}]
    [error] = answer["Errors"]
    assert error["JobRunId"] == "jr_nope"
    assert error["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "STOPPED" and "CompletedOn" in run
    assert not alive(pid) and not alive(child) and group_alive(group) == []
    assert "slept" not in log_file(job_server.data_dir, run_id).read_text()

    again = glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[run_id])
    assert again["SuccessfulSubmissions"] == []
    assert again["Errors"][0]["ErrorDetail"]["ErrorCode"] == "InvalidInputException"
    assert "STOPPED" in again["Errors"][0]["ErrorDetail"]["ErrorMessage"]


def test_a_stopped_script_gets_time_to_clean_up(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(
        tmp_path,
        "tidy.py",
        """\
        import signal, sys, time
        def tidy(*_):
            time.sleep(0.5)  # within the grace period before SIGKILL
            print("cleaned up", flush=True)
            sys.exit(0)
        signal.signal(signal.SIGTERM, tidy)
        print("ready", flush=True)
        time.sleep(60)
        """,
    )
    glue.create_job(Name=unique_name, **shell_job(script))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    wait_for_text(log_file(job_server.data_dir, run_id), "ready")
    glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[run_id])
    assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "STOPPED"
    assert log_file(job_server.data_dir, run_id).read_text() == "ready\ncleaned up\n"


def test_max_concurrent_runs(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "s.py", SLEEPER)))
    first = glue.start_job_run(JobName=unique_name)["JobRunId"]
    with pytest.raises(ClientError) as exc:
        glue.start_job_run(JobName=unique_name)
    assert _code(exc) == "ConcurrentRunsExceededException"
    assert "MaxConcurrentRuns" in _message(exc)
    assert [r["Id"] for r in glue.get_job_runs(JobName=unique_name)["JobRuns"]] == [first]

    glue.update_job(
        JobName=unique_name,
        JobUpdate={
            **shell_job(write_script(tmp_path, "s.py", SLEEPER)),
            "ExecutionProperty": {"MaxConcurrentRuns": 2},
        },
    )
    second = glue.start_job_run(JobName=unique_name)["JobRunId"]
    with pytest.raises(ClientError) as exc:
        glue.start_job_run(JobName=unique_name)
    assert _code(exc) == "ConcurrentRunsExceededException"
    glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[first, second])
    for run_id in (first, second):
        assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "STOPPED"


def test_queued_runs_wait_for_a_slot(glue: Any, tmp_path: Path, unique_name: str) -> None:
    script = write_script(tmp_path, "short.py", "import time\ntime.sleep(1)\n")
    glue.create_job(Name=unique_name, **shell_job(script), JobRunQueuingEnabled=True)
    first = glue.start_job_run(JobName=unique_name)["JobRunId"]
    second = glue.start_job_run(JobName=unique_name)["JobRunId"]
    third = glue.start_job_run(JobName=unique_name)["JobRunId"]
    waiting = glue.get_job_run(JobName=unique_name, RunId=second)["JobRun"]
    assert waiting["JobRunState"] == "WAITING" and waiting["JobRunQueuingEnabled"] is True
    assert "MaxConcurrentRuns" in waiting["StateDetail"]

    # A queued run is stopped at once: it has no process.
    glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[third])
    assert glue.get_job_run(JobName=unique_name, RunId=third)["JobRun"]["JobRunState"] == "STOPPED"

    assert wait_for_run(glue, unique_name, first)["JobRunState"] == "SUCCEEDED"
    done = wait_for_run(glue, unique_name, second)
    assert done["JobRunState"] == "SUCCEEDED" and "StateDetail" not in done
    assert done["CompletedOn"] > wait_for_run(glue, unique_name, first)["CompletedOn"]


def test_run_level_queuing_and_timeout_override(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "s.py", SLEEPER)))
    first = glue.start_job_run(JobName=unique_name, Timeout=1)["JobRunId"]
    # Long enough to outwait the first run in the queue (a queued run expires after its
    # Timeout), then short enough to time out itself.
    queued = glue.start_job_run(JobName=unique_name, JobRunQueuingEnabled=True, Timeout=4)
    assert wait_for_run(glue, unique_name, first)["JobRunState"] == "TIMEOUT"
    assert wait_for_run(glue, unique_name, queued["JobRunId"])["JobRunState"] == "TIMEOUT"


def test_deleting_a_job_stops_its_runs(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "s.py", SLEEPER)))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    pid, group, _ = sleeper_pids(job_server.data_dir, run_id)
    glue.delete_job(JobName=unique_name)
    deadline = time.monotonic() + 10
    while group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_alive(group) == [] and not alive(pid)
    with pytest.raises(ClientError) as exc:
        glue.get_job_runs(JobName=unique_name)
    assert _code(exc) == "EntityNotFoundException"


def test_logs_follow_until_the_run_ends(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(
        tmp_path,
        "ticks.py",
        """\
        import sys, time
        for i in range(3):
            print("tick", i)
            time.sleep(0.3)
        print("oops", file=sys.stderr)
        """,
    )
    glue.create_job(Name=unique_name, **shell_job(script))
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    wait_for_text(log_file(job_server.data_dir, run_id), "tick 0")
    follow = subprocess.run(
        [sys.executable, "-m", "openglue", "logs", run_id, "--follow"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"OPENGLUE_HOME": str(job_server.data_dir), "PATH": "/usr/bin:/bin"},
    )
    assert follow.returncode == 0, follow.stderr
    assert follow.stdout == "tick 0\ntick 1\ntick 2\n" and follow.stderr == "oops\n"
    assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "SUCCEEDED"

    missing = subprocess.run(
        [sys.executable, "-m", "openglue", "logs", "jr_nope", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert missing.returncode == 1 and "no logs of run jr_nope" in missing.stderr


def test_unknown_runs_and_jobs(glue: Any, unique_name: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.start_job_run(JobName=unique_name)
    assert _code(exc) == "EntityNotFoundException"
    assert _message(exc) == f"Job {unique_name} not found."
    with pytest.raises(ClientError) as exc:
        glue.get_job_run(JobName=unique_name, RunId="jr_x")
    assert _message(exc) == f"Job {unique_name} not found."
    glue.create_job(Name=unique_name, **shell_job("/nowhere.py"))
    with pytest.raises(ClientError) as exc:
        glue.get_job_run(JobName=unique_name, RunId="jr_x")
    assert _code(exc) == "EntityNotFoundException" and "jr_x" in _message(exc)
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "FAILED" and "/nowhere.py not found" in run["ErrorMessage"]


def test_jobs_sign_their_calls_when_authentication_is_on(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--access-keys", "AKIDJOBS:s3cret")
    try:
        glue = server.client(aws_access_key_id="AKIDJOBS", aws_secret_access_key="s3cret")
        glue.create_job(Name="hello", **shell_job(write_script(tmp_path, "hello.py", HELLO)))
        run_id = glue.start_job_run(JobName="hello")["JobRunId"]
        run = wait_for_run(glue, "hello", run_id)
        assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
        assert json.loads(log_file(server.data_dir, run_id).read_text())["state"] == "RUNNING"
    finally:
        server.stop()
