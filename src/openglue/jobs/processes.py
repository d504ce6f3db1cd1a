"""A run's process: started in a session (and process group) of its own, recognised later by
pid plus kernel start time, stopped as a whole group.

The script runs under a small leader (``pump.py``) that records the script's exit status in a
file when it ends. A server that restarts after a crash cannot ``wait()`` for processes it did
not start, so without that file it could not tell a run that succeeded while it was down from
one that failed. The leader also timestamps the script's output for the CloudWatch Logs API.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openglue.jobs.layout import times_path

# Run by path with -I -S: stdlib only, no site-packages to scan, so it starts in milliseconds.
_PUMP = str(Path(__file__).with_name("pump.py"))
_TAIL_BYTES = 64 * 1024
_MAX_MESSAGE = 4000


@dataclass(frozen=True)
class ProcessId:
    pid: int
    start: int | None  # clock ticks after boot (/proc/<pid>/stat); None without /proc


def spawn(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    stdout: Path,
    stderr: Path,
    exit_status: Path,
    python: str = sys.executable,
) -> subprocess.Popen[bytes]:
    """Start ``command`` in a new session with its output appended to the two log files
    (and timestamped next to them, see ``layout.times_path``)."""
    for path in (stdout, stderr):
        path.parent.mkdir(parents=True, exist_ok=True)
    times = [str(times_path(stdout)), str(times_path(stderr))]
    # The leader writes to the files, not through a pipe to the server: the output keeps
    # flowing (and nothing is killed by SIGPIPE) when the server goes away.
    with open(stdout, "ab") as out, open(stderr, "ab") as err:
        return subprocess.Popen(
            [python, "-I", "-S", _PUMP, str(exit_status), *times, "--", *command],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    return text[text.rindex(")") + 2 :].split()


def identify(pid: int) -> ProcessId:
    fields = _stat_fields(pid)
    return ProcessId(pid, int(fields[19]) if fields else None)


def is_running(process: ProcessId) -> bool:
    """Whether the process is still there (and is the same process, not a recycled pid)."""
    if process.start is None:
        try:
            os.kill(process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    fields = _stat_fields(process.pid)
    return fields is not None and fields[0] != "Z" and int(fields[19]) == process.start


def signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(pgid, sig)


def read_exit_status(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _tail_lines(path: Path) -> list[str]:
    try:
        with open(path, "rb") as stream:
            stream.seek(0, os.SEEK_END)
            stream.seek(max(0, stream.tell() - _TAIL_BYTES))
            return stream.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def failure_message(stderr: Path, status: int) -> str:
    """What Glue's ErrorMessage would say: the script's exception (``ValueError: bad input``),
    else its last line of stderr, else the exit status."""
    lines = _tail_lines(stderr)
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent")]
    if starts:
        # Frames and source lines are indented; the exception is the first line that is not.
        for line in lines[starts[-1] + 1 :]:
            if line and not line[0].isspace():
                return line.strip()[:_MAX_MESSAGE]
    base = f"Command failed with exit code {status}"
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return (f"{base}: {last}" if last else base)[:_MAX_MESSAGE]
