"""The scheduler's sense of time, injected so that tests can move it.

``RealClock`` is the wall clock. ``ManualClock`` only moves when a test says so, and wakes the
scheduler when it does, so a test checks a daily schedule in milliseconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Clock:
    """Wall-clock time (epoch seconds, UTC) and a way to sleep until woken or due."""

    def now(self) -> float:
        raise NotImplementedError

    def sleep(self, wake: threading.Event, seconds: float) -> None:
        """Block for up to ``seconds`` of this clock's time, or until ``wake`` is set."""
        raise NotImplementedError

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the time jumps (never, for a real clock)."""


class RealClock(Clock):
    def now(self) -> float:
        return time.time()

    def sleep(self, wake: threading.Event, seconds: float) -> None:
        wake.wait(max(0.0, seconds))


class ManualClock(Clock):
    """A clock that stands still until ``advance`` or ``set_to`` moves it."""

    # However far off the next fire is in this clock's time, the loop looks again this often
    # (real seconds): a move wakes it, this only bounds what a lost wake-up costs.
    _REAL_WAIT = 0.5

    def __init__(self, start: float) -> None:
        self._now = start
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        self.set_to(self.now() + seconds)

    def set_to(self, when: float) -> None:
        with self._lock:
            self._now = when
        for callback in list(self._callbacks):
            callback()

    def sleep(self, wake: threading.Event, seconds: float) -> None:
        if seconds > 0:
            wake.wait(self._REAL_WAIT)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)
