"""A run's live state while the CLI waits for it.

On a terminal: one status line at the bottom (spinner, job, run, state, elapsed time), redrawn
in place with ``\\r`` and erased while other lines (the run's output) are printed above it.
Elsewhere (a pipe, a CI log): one plain line per state change, nothing redrawn, so logs stay
readable.
"""

from __future__ import annotations

import shutil
import time
from typing import TextIO

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ERASE = "\r\x1b[2K"
_STATE_COLOURS = {"SUCCEEDED": "32", "FAILED": "31", "TIMEOUT": "31", "ERROR": "31"}


def elapsed_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


class RunProgress:
    """Shows the state of run ``run_id`` of ``job`` on ``stream`` (the CLI uses stderr)."""

    def __init__(self, stream: TextIO, job: str, run_id: str, tty: bool | None = None) -> None:
        self.stream = stream
        self.label = f"{job} {run_id}"
        # Run ids are 67 characters: the status line shows enough of one to tell runs apart.
        self.short_label = f"{job} {run_id[:12]}…" if len(run_id) > 16 else self.label
        self.tty = stream.isatty() if tty is None else tty
        self.started = time.monotonic()
        self.state: str | None = None
        self._frame = 0
        self._drawn = False

    def _elapsed(self) -> str:
        return elapsed_text(time.monotonic() - self.started)

    def update(self, state: str) -> None:
        """Record the current state: redraw the status line, or print a line if it changed."""
        changed = state != self.state
        self.state = state
        if self.tty:
            line = f"{_FRAMES[self._frame]} {self.short_label} {state} {self._elapsed()}"
            self._frame = (self._frame + 1) % len(_FRAMES)
            # A line longer than the terminal wraps, and \r would then redraw only its end.
            width = shutil.get_terminal_size().columns - 1
            self.stream.write(_ERASE + line[:width])
            self.stream.flush()
            self._drawn = True
        elif changed:
            print(f"{self.label} {state} {self._elapsed()}", file=self.stream, flush=True)

    def clear(self) -> None:
        """Erase the status line so that other output starts on a clean line."""
        if self._drawn:
            self.stream.write(_ERASE)
            self.stream.flush()
            self._drawn = False

    def finish(self, state: str, message: str | None = None) -> None:
        """The final line: the state the run ended in (and its error message)."""
        self.clear()
        text = state
        if self.tty and state in _STATE_COLOURS:
            text = f"\x1b[{_STATE_COLOURS[state]}m{state}\x1b[0m"
        line = f"{self.label} {text} after {self._elapsed()}"
        if message:
            line += f": {message}"
        print(line, file=self.stream, flush=True)
        self.state = state
