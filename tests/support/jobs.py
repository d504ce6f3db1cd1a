"""Helpers for black-box job tests: scripts, waiting for run states, and processes."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

FINISHED = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR", "EXPIRED")

# A script that reports its pid, its process group and a child it started (to show that the
# whole group goes), then sleeps.
SLEEPER = """\
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
print("pids", os.getpid(), os.getpgid(0), child.pid, flush=True)
time.sleep(float(os.environ.get("SLEEP", "60")))
print("slept", flush=True)
"""


def write_script(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def wait_for_run(
    glue: Any, job: str, run_id: str, states: tuple[str, ...] = FINISHED, timeout: float = 30
) -> dict[str, Any]:
    """Poll GetJobRun until the run exists and is in one of ``states``; the run."""
    deadline = time.monotonic() + timeout
    state = "not there"
    while time.monotonic() < deadline:
        try:
            run: dict[str, Any] = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        except glue.exceptions.EntityNotFoundException:
            pass  # a retry attempt appears once the previous attempt has failed
        else:
            state = run["JobRunState"]
            if state in states:
                return run
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} is still {state}, not in {states}")


def wait_for_runs(glue: Any, job: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    """Poll GetJobRuns until the job has at least ``count`` runs (triggers start them); the
    runs, newest first."""
    deadline = time.monotonic() + timeout
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        runs = glue.get_job_runs(JobName=job)["JobRuns"]
        if len(runs) >= count:
            return runs
        time.sleep(0.05)
    raise AssertionError(f"job {job} has {len(runs)} run(s) after {timeout}s, expected {count}")


def log_file(data_dir: Path, run_id: str, stream: str = "output", shell: bool = True) -> Path:
    group = "python-jobs" if shell else "jobs"
    return data_dir / "logs" / "aws-glue" / group / stream / run_id


def wait_for_text(path: Path, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.02)
    raise AssertionError(f"{text!r} never appeared in {path}")


def sleeper_pids(data_dir: Path, run_id: str) -> tuple[int, int, int]:
    """(script pid, its process group, its child's pid) as the SLEEPER script printed them."""
    # Wait for the whole line: the log pump may have written only part of it so far.
    content = wait_for_text(log_file(data_dir, run_id), "pids ")
    deadline = time.monotonic() + 20
    while "\n" not in content.split("pids ", 1)[1] and time.monotonic() < deadline:
        time.sleep(0.02)
        content = log_file(data_dir, run_id).read_text()
    line = next(x for x in content.splitlines() if x.startswith("pids "))
    pid, group, child = (int(v) for v in line.split()[1:])
    return pid, group, child


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (zombies, which nobody may reap here, are not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] not in ("Z", "X")


def group_alive(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
                found.append(int(entry.name))
    return found


def shell_job(script: str, **extra: Any) -> dict[str, Any]:
    """CreateJob members for a pythonshell job running ``script``."""
    return {"Role": "tester", "Command": {"Name": "pythonshell", "ScriptLocation": script}, **extra}
