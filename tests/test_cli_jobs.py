"""`openglue jobs …` and `openglue run`, run as real subprocesses against a real server."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.jobs import SLEEPER, log_file, wait_for_run, wait_for_text, write_script
from tests.support.server import RunningServer

ARGS = """\
import sys, time
args = sys.argv[1:]
print("args", " ".join(args[args.index("job-bookmark-disable") + 1:]))
time.sleep(0.3)
print("to stderr", file=sys.stderr)
print("last line")
if "--fail" in args:
    raise ValueError("asked to fail")
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # No AWS configuration at all: the commands must work without credentials.
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {**keep, "HOME": str(home), **extra}


def openglue(
    tmp_path: Path, *args: str, endpoint: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = _env(tmp_path, **({"AWS_ENDPOINT_URL": endpoint} if endpoint else {}))
    return subprocess.run(
        [sys.executable, "-m", "openglue", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_no_server_is_a_clear_error(tmp_path: Path) -> None:
    done = openglue(tmp_path, "jobs", "list", "--endpoint-url", "http://127.0.0.1:9")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "openglue jobs list: no OpenGlue server at http://127.0.0.1:9; "
        "start one with `openglue server`"
    )
    done = openglue(tmp_path, "run", __file__, endpoint="http://127.0.0.1:9")
    assert done.returncode == 1 and "no OpenGlue server at http://127.0.0.1:9" in done.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["create"], ["list"], ["run"], ["runs"], ["stop"]],
)
def test_help(tmp_path: Path, command: list[str]) -> None:
    assert "usage: openglue jobs" in _ok(openglue(tmp_path, "jobs", *command, "--help"))


def test_run_help(tmp_path: Path) -> None:
    assert "usage: openglue run [options] SCRIPT [-- --KEY VALUE ...]" in _ok(
        openglue(tmp_path, "run", "--help")
    )


def test_create_list_run_and_runs(server: RunningServer, tmp_path: Path, unique_name: str) -> None:
    script = write_script(tmp_path, "args.py", ARGS)
    url = server.url
    created = _ok(
        openglue(tmp_path, "jobs", "create", unique_name, "--script", script,
                 "--type", "pythonshell", "--arg", "day=mon", "--arg=--verbose=",
                 endpoint=url)
    )  # fmt: skip
    assert created.strip() == f"created job {unique_name} (pythonshell, {script})"
    job = server.client().get_job(JobName=unique_name)["Job"]
    assert job["Command"]["Name"] == "pythonshell"
    assert job["DefaultArguments"] == {"--day": "mon", "--verbose": ""}

    again = openglue(tmp_path, "jobs", "create", unique_name, "--script", script, endpoint=url)
    assert again.returncode == 1 and "AlreadyExistsException" in again.stderr

    listing = _ok(openglue(tmp_path, "jobs", "list", endpoint=url))
    assert re.search(rf"^{unique_name}\s+pythonshell\s+3\.0\s+{re.escape(script)}$", listing, re.M)

    # Without --wait: the run id, at once.
    run_id = _ok(openglue(tmp_path, "jobs", "run", unique_name, endpoint=url)).strip()
    assert re.fullmatch(r"jr_[0-9a-f]{64}", run_id)
    wait_for_run(server.client(), unique_name, run_id)

    # --wait: plain state lines (no terminal here), exit 0 for SUCCEEDED.
    waited = openglue(tmp_path, "jobs", "run", unique_name, "--arg", "day=tue", "--wait",
                      endpoint=url)  # fmt: skip
    assert waited.returncode == 0, waited.stderr
    assert waited.stdout == ""
    lines = waited.stderr.splitlines()
    assert re.fullmatch(rf"{unique_name} jr_\w+ SUCCEEDED after [\d.]+s", lines[-1])
    assert "\r" not in waited.stderr and "\x1b" not in waited.stderr

    # --logs: the run's output too; exit 1 for FAILED, with its error message.
    failed = openglue(tmp_path, "jobs", "run", unique_name, "--arg", "fail=", "--logs",
                      endpoint=url)  # fmt: skip
    assert failed.returncode == 1
    assert failed.stdout == "args --day mon --verbose --fail\nlast line\n"
    assert "to stderr" in failed.stderr
    assert failed.stderr.splitlines()[-1].endswith("FAILED after " + _after(failed.stderr)
                                                   + ": ValueError: asked to fail")  # fmt: skip

    runs = _ok(openglue(tmp_path, "jobs", "runs", unique_name, endpoint=url)).splitlines()
    assert runs[0].split() == ["RUN", "ID", "STATE", "STARTED", "TIME", "ERROR"]
    states = [line.split()[1] for line in runs[1:]]
    assert states == ["FAILED", "SUCCEEDED", "SUCCEEDED"]  # newest first
    assert runs[1].endswith("ValueError: asked to fail")


def _after(stderr: str) -> str:
    found = re.search(r"FAILED after ([\d.ms]+):", stderr)
    assert found, stderr
    return found[1]


def test_stop(server: RunningServer, tmp_path: Path, unique_name: str) -> None:
    glue = server.client()
    script = write_script(tmp_path, "sleeper.py", SLEEPER)
    _ok(openglue(tmp_path, "jobs", "create", unique_name, "--script", script,
                 "--type", "pythonshell", endpoint=server.url))  # fmt: skip
    run_id = _ok(openglue(tmp_path, "jobs", "run", unique_name, endpoint=server.url)).strip()
    wait_for_text(log_file(server.data_dir, run_id), "pids")
    stopped = _ok(openglue(tmp_path, "jobs", "stop", unique_name, run_id, endpoint=server.url))
    assert stopped.strip() == f"stopping {run_id}"
    assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "STOPPED"
    again = openglue(tmp_path, "jobs", "stop", unique_name, run_id, endpoint=server.url)
    assert again.returncode == 1 and "InvalidInputException" in again.stderr


def test_run_a_script(server: RunningServer, tmp_path: Path) -> None:
    script = write_script(tmp_path, "my script.py", ARGS)
    done = openglue(tmp_path, "run", script, "--type", "pythonshell", "--",
                    "--day", "wed", "--verbose", endpoint=server.url)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "args --day wed --verbose\nlast line\n"
    assert "to stderr" in done.stderr
    assert re.search(r"^run-my-script-[0-9a-f]{8} jr_\w+ SUCCEEDED after", done.stderr, re.M)
    # The throwaway job is gone.
    names = server.client().list_jobs()["JobNames"]
    assert not [n for n in names if n.startswith("run-my-script-")]

    failed = openglue(tmp_path, "run", script, "--keep-job", "--", "--fail",
                      endpoint=server.url)  # fmt: skip
    assert failed.returncode == 1
    assert "ValueError: asked to fail" in failed.stderr.splitlines()[-1]
    kept = [n for n in server.client().list_jobs()["JobNames"] if n.startswith("run-my-script-")]
    assert len(kept) == 1
    job = server.client().get_job(JobName=kept[0])["Job"]
    assert job["Command"]["Name"] == "glueetl"  # Glue's default type

    positional = openglue(tmp_path, "run", script, "--", "oops", endpoint=server.url)
    assert positional.returncode == 1 and "positional arguments" in positional.stderr
    missing = openglue(tmp_path, "run", str(tmp_path / "nope.py"), endpoint=server.url)
    assert missing.returncode == 1 and "is not a file" in missing.stderr


def test_ctrl_c_stops_the_run(server: RunningServer, tmp_path: Path) -> None:
    script = write_script(tmp_path, "sleepy.py", SLEEPER)
    process = subprocess.Popen(
        [sys.executable, "-m", "openglue", "run", script, "--type", "pythonshell", "--keep-job",
         "--endpoint-url", server.url],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().startswith("pids ")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    job = next(n for n in server.client().list_jobs()["JobNames"] if n.startswith("run-sleepy-"))
    run = server.client().get_job_runs(JobName=job)["JobRuns"][0]
    assert wait_for_run(server.client(), job, run["Id"])["JobRunState"] == "STOPPED"


def _read_all(fd: int, process: subprocess.Popen[Any], timeout: float = 60) -> bytes:
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other end closed (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=10)
    return b"".join(chunks)


def test_a_terminal_gets_a_live_status_line(server: RunningServer, tmp_path: Path) -> None:
    script = write_script(tmp_path, "slow.py", "import time\nprint('hi')\ntime.sleep(1)\n")
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "openglue", "run", script, "--type", "pythonshell",
         "--endpoint-url", server.url],
        env=_env(tmp_path, COLUMNS="80"),
        stdout=secondary,
        stderr=secondary,
    )  # fmt: skip
    os.close(secondary)
    text = _read_all(primary, process).decode()
    os.close(primary)
    assert process.returncode == 0, text
    status = re.findall(r"\r\x1b\[2K(\S) run-slow-\w+ jr_\w{9}… RUNNING ([\d.]+)s", text)
    assert len(status) >= 3  # redrawn in place while the run runs
    assert len({frame for frame, _ in status}) > 1  # the spinner turns
    assert "hi\r\n" in text
    assert "\x1b[32mSUCCEEDED\x1b[0m after" in text
