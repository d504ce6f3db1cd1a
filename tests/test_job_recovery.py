"""No lost runs: a server killed (or stopped) mid-run, and a new one on the same data dir.

Runs whose process still runs are adopted by the new server (watched, stoppable, timed out);
runs that ended meanwhile get the outcome their exit status records; runs with no process and
no exit status end FAILED with a message saying why. No process is left behind.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from tests.support.jobs import (
    SLEEPER,
    alive,
    group_alive,
    log_file,
    shell_job,
    sleeper_pids,
    wait_for_run,
    write_script,
)
from tests.support.server import RunningServer, start_server

# Runs for a while, then ends the way its --mode argument says.
MODAL = """\
import os, sys, time
mode = sys.argv[sys.argv.index("--mode") + 1]
print("pids", os.getpid(), os.getpgid(0), os.getpid(), flush=True)
time.sleep(1.0 if mode != "hang" else 120)
if mode == "fail":
    raise ValueError("failed while nobody watched")
print("done", flush=True)
"""


def _server(data_dir: Path) -> RunningServer:
    return start_server(data_dir, "--job-timeout-unit-seconds", "1")


def _crash(server: RunningServer) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    server.stop()


def _wait_gone(*pids: int) -> None:
    import time

    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, f"{pids} still running"
        time.sleep(0.05)


def test_a_running_run_is_adopted_after_a_crash(tmp_path: Path) -> None:
    first = _server(tmp_path / "data")
    glue: Any = first.client()
    script = write_script(tmp_path, "s.py", SLEEPER.replace('"60"', '"2.5"'))
    glue.create_job(Name="nightly", **shell_job(script))
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    pid, group, child = sleeper_pids(first.data_dir, run_id)
    _crash(first)
    assert alive(pid), "the run's process must outlive the server"

    second = _server(tmp_path / "data")
    try:
        glue = second.client()
        assert glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"] in (
            "RUNNING",
            "SUCCEEDED",
        )
        run = wait_for_run(glue, "nightly", run_id)
        assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
        assert "slept" in log_file(second.data_dir, run_id).read_text()
        assert group_alive(group) == [] and not alive(child)
    finally:
        second.stop()


def test_runs_that_ended_while_no_server_watched(tmp_path: Path) -> None:
    first = _server(tmp_path / "data")
    glue: Any = first.client()
    script = write_script(tmp_path, "m.py", MODAL)
    glue.create_job(Name="modal", **shell_job(script), ExecutionProperty={"MaxConcurrentRuns": 3})
    runs = {
        mode: glue.start_job_run(JobName="modal", Arguments={"--mode": mode})["JobRunId"]
        for mode in ("ok", "fail", "hang")
    }
    pids = {mode: sleeper_pids(first.data_dir, run_id) for mode, run_id in runs.items()}
    _crash(first)
    _wait_gone(pids["ok"][0], pids["fail"][0])
    os.killpg(pids["hang"][1], signal.SIGKILL)  # dies without a word: no exit status
    _wait_gone(pids["hang"][0])

    second = _server(tmp_path / "data")
    try:
        glue = second.client()
        ok = wait_for_run(glue, "modal", runs["ok"])
        assert ok["JobRunState"] == "SUCCEEDED"
        failed = wait_for_run(glue, "modal", runs["fail"])
        assert failed["JobRunState"] == "FAILED"
        assert failed["ErrorMessage"] == "ValueError: failed while nobody watched"
        lost = wait_for_run(glue, "modal", runs["hang"])
        assert lost["JobRunState"] == "FAILED"
        assert lost["ErrorMessage"].startswith(
            "The OpenGlue server stopped while this run was active;"
        )
        assert all(group_alive(group) == [] for _, group, _ in pids.values())
    finally:
        second.stop()


def test_a_clean_stop_leaves_runs_to_the_next_server(tmp_path: Path) -> None:
    first = _server(tmp_path / "data")
    glue: Any = first.client()
    script = write_script(tmp_path, "s.py", SLEEPER)
    glue.create_job(Name="stopme", **shell_job(script))
    glue.create_job(Name="slow", **shell_job(script))
    stop_id = glue.start_job_run(JobName="stopme")["JobRunId"]
    slow_id = glue.start_job_run(JobName="slow", Timeout=4)["JobRunId"]
    stop_pids = sleeper_pids(first.data_dir, stop_id)
    slow_pids = sleeper_pids(first.data_dir, slow_id)
    assert first.stop() == 0  # SIGTERM: a clean shutdown
    assert alive(stop_pids[0]) and alive(slow_pids[0])

    second = _server(tmp_path / "data")
    try:
        glue = second.client()
        running = glue.get_job_run(JobName="stopme", RunId=stop_id)["JobRun"]
        assert running["JobRunState"] == "RUNNING"
        answer = glue.batch_stop_job_run(JobName="stopme", JobRunIds=[stop_id])
        assert answer["Errors"] == []
        assert wait_for_run(glue, "stopme", stop_id)["JobRunState"] == "STOPPED"
        # The adopted run's Timeout still counts from when it really started.
        timed_out = wait_for_run(glue, "slow", slow_id)
        assert timed_out["JobRunState"] == "TIMEOUT"
        for _, group, child in (stop_pids, slow_pids):
            assert group_alive(group) == [] and not alive(child)
    finally:
        second.stop()
