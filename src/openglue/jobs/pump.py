"""The leader of a run's process group: starts the script, timestamps its output, records its
exit status.

Run as ``python -I -S pump.py STATUS OUT_TIMES ERR_TIMES -- COMMAND...`` with stdout and stderr
already open (appending) on the run's two log files. The script's stdout and stderr go through
pipes to this process, which copies the bytes unchanged to those files (what ``openglue logs``
prints) and, before each write, appends ``<byte offset> <epoch ms>`` to a timestamp index
(``OUT_TIMES`` / ``ERR_TIMES``). A line's timestamp is that of the chunk holding its first byte:
when the pump read it, which for an unbuffered script is when it was printed. The CloudWatch
Logs API (``openglue.logs``) serves lines as events with those timestamps. Writing the index
entry first means that a reader that sees a byte also sees its timestamp.

It replaces the ``/bin/sh`` wrapper this used to be and keeps its contract: it leads the run's
session, outlives a SIGTERM sent to the group (the script gets the grace period to clean up,
and its last words and exit status are still recorded), writes the script's exit status
(``128 + N`` for signal N, as a shell would) to STATUS when it ends, and exits with it. It
lives in the run's session, not the server's, so output keeps being recorded when the server
goes away. It imports only the standard library (``-S``) so that it starts in milliseconds.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time

_CHUNK = 64 * 1024
_POLL = 0.2  # seconds between checks that the script is still running (see _pump)
_DRAIN = 1.0  # seconds to keep reading after the script ended while others hold its pipes


def _millis() -> int:
    return time.time_ns() // 1_000_000


class _Stream:
    """One output stream: a pipe from the script to a log file, and its timestamp index."""

    def __init__(self, read_fd: int, log_fd: int, times_path: str) -> None:
        self.read_fd = read_fd
        self.log_fd = log_fd
        self.offset = os.fstat(log_fd).st_size
        os.makedirs(os.path.dirname(times_path), exist_ok=True)
        self.times_fd = os.open(times_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.last_stamp = -1
        # A first entry even before any output: the stream's creation time.
        self._stamp(_millis())

    def _stamp(self, stamp: int) -> None:
        if stamp != self.last_stamp:
            _write_all(self.times_fd, f"{self.offset} {stamp}\n".encode())
            self.last_stamp = stamp

    def write(self, data: bytes) -> None:
        self._stamp(_millis())
        _write_all(self.log_fd, data)
        self.offset += len(data)

    def copy(self) -> bool:
        """Copy what the pipe holds; ``False`` at end of file."""
        data = os.read(self.read_fd, _CHUNK)
        if data:
            self.write(data)
        return bool(data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Child:
    """The script's process (os.posix_spawn rather than subprocess, whose import alone takes
    longer than starting this process)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.code: int | None = None

    def poll(self) -> int | None:
        if self.code is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.code = os.waitstatus_to_exitcode(status)
        return self.code

    def wait(self) -> int:
        while self.code is None:
            _, status = os.waitpid(self.pid, 0)
            self.code = os.waitstatus_to_exitcode(status)
        return self.code


def _pump(streams: list[_Stream], child: _Child) -> None:
    poller = select.poll()
    open_streams = {stream.read_fd: stream for stream in streams}
    for fd in open_streams:
        poller.register(fd, select.POLLIN)
    drain_until: float | None = None
    while open_streams:
        ready = poller.poll(_POLL * 1000)
        for fd, _ in ready:
            if not open_streams[fd].copy():
                poller.unregister(fd)
                del open_streams[fd]
        # Normally both pipes reach end of file when the script ends. A process it left
        # behind (a daemon) may hold them open: stop reading shortly after the script ended.
        if drain_until is None and child.poll() is not None:
            drain_until = time.monotonic() + _DRAIN
        if drain_until is not None and (not ready or time.monotonic() > drain_until):
            break


def _write_status(path: str, status: int) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w") as stream:
        stream.write(f"{status}\n")
    os.replace(temporary, path)


def main(argv: list[str]) -> int:
    status_path, out_times, err_times, separator, *command = argv
    if separator != "--" or not command:
        print("usage: pump.py STATUS OUT_TIMES ERR_TIMES -- COMMAND...", file=sys.stderr)
        return 2
    # A handler, not SIG_IGN: the script must not inherit an ignored SIGTERM (exec resets
    # handled signals to their default, but keeps ignored ones ignored).
    signal.signal(signal.SIGTERM, lambda *_: None)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    streams = [_Stream(out_r, 1, out_times), _Stream(err_r, 2, err_times)]
    try:
        pid = os.posix_spawnp(
            command[0],
            command,
            os.environ,
            file_actions=[(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)],
            # Python ignores these two; the script starts with the defaults, as from a shell.
            setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
        )
    except OSError as exc:
        streams[1].write(f"Cannot start {command[0]}: {exc}\n".encode())
        _write_status(status_path, 127)
        return 127
    # Our copies of the write ends must go, or the pipes never reach end of file. The others
    # are not inherited (Python opens descriptors non-inheritable).
    os.close(out_w)
    os.close(err_w)
    child = _Child(pid)
    _pump(streams, child)
    code = child.wait()
    status = 128 - code if code < 0 else code
    _write_status(status_path, status)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
