"""The processes a supervisor watches, and how it learns that one has ended.

A process is watched through a pidfd (Linux ≥ 5.3), which becomes readable when the process
ends, whether or not it is our child: runs adopted after a restart are not. Where pidfds are
missing, the supervisor polls instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from openglue.jobs.processes import ProcessId, is_running, signal_group

_GONE_WAIT = 2.0  # seconds to wait for killed processes to disappear


@dataclass
class Watched:
    run_id: str
    process: ProcessId  # the group leader: its pid is the group's id
    child: subprocess.Popen[bytes] | None  # None for a process adopted after a restart
    deadline: float  # wall-clock time at which the run's Timeout expires
    timeout_minutes: int
    pidfd: int | None = None
    terminated_at: float | None = None  # monotonic time SIGTERM was sent
    killed: bool = False  # SIGKILL sent
    timing_out: bool = False

    @property
    def pgid(self) -> int:
        return self.process.pid

    def open_pidfd(self) -> None:
        try:
            self.pidfd = os.pidfd_open(self.process.pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def close_pidfd(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None

    def has_ended(self) -> bool:
        if self.child is not None:
            return self.child.poll() is not None
        return not is_running(self.process)

    def exit_status(self) -> int | None:
        """The wrapper's exit status (= the script's) of our own child; ``None`` if adopted."""
        return None if self.child is None else self.child.returncode


def session_members(sid: int) -> list[int]:
    """Pids of the live (not zombie) processes of the run whose session leader was ``sid``.

    A run starts in a session of its own, and its process group has the same id. Both are
    checked: some programs move to a group of their own inside the session (PySpark's worker
    daemon does), and killing the group alone would leave them behind."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(sid, 0)
        except ProcessLookupError:
            return []
        except PermissionError:
            pass
        return [sid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] not in ("Z", "X") and sid in (int(fields[2]), int(fields[3])):
            members.append(int(entry.name))
    return members


def signal_session(sid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to every process of the run (its group, and the rest of its session)."""
    signal_group(sid, sig)
    for pid in session_members(sid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def wait_until_gone(sid: int) -> bool:
    """Wait (briefly) until no live process of the run is left; whether none is."""
    deadline = time.monotonic() + _GONE_WAIT
    while session_members(sid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
