"""A daemon thread that repeats one step until stopped, sleeping between steps until the time
the step asked for or until woken: the shape of the trigger scheduler and the prefix polls."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("openglue.scheduler")


class WakeableLoop:
    """Subclasses give ``_step``; ``_before_loop``, ``_error_pause`` and ``_sleep`` may differ."""

    def __init__(self, thread_name: str, label: str) -> None:
        self._thread_name = thread_name
        self._label = label  # how log lines name this loop
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name=self._thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def wake(self) -> None:
        """Step now rather than when the current sleep ends."""
        self._wake.set()

    def _step(self) -> float:
        """One pass of the work; the seconds to sleep before the next."""
        raise NotImplementedError

    def _before_loop(self) -> None:
        """Run once on the thread before the first step."""

    def _error_pause(self) -> float:
        """The seconds to sleep after a step failed."""
        raise NotImplementedError

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)

    def _loop(self) -> None:
        self._before_loop()
        while not self._stopping:
            self._wake.clear()
            try:
                pause = self._step()
            except Exception:
                # A store or endpoint may be unreachable for a while: sleep before trying
                # again, rather than spin on work that stays due.
                log.exception("%s: unexpected error; trying again shortly", self._label)
                pause = self._error_pause()
            if self._stopping:
                return
            self._sleep(pause)
