"""While a server runs: finishing what another server on its store was killed in the middle of.

A starting scheduler catches up on what its predecessor left half done (``Scheduler``'s
``_catch_up``). With several servers on one store, one may be killed while the others keep
running and none of them starts again, so what the killed one left would wait for the next
restart, however far off:

- a fire it claimed whose actions never recorded what they did (``Firing.resume_unfinished``:
  its actions run again, and a job run that had started is found by its fire-derived id);
- a batch of events it took whose fire it never claimed (``EventBatches.fire_taken``).

So each running scheduler looks for both every ``RECOVERY_SECONDS``. A batch counts as
abandoned only once it was seen unfired at two looks: a live server claims a batch's fire
moments after taking it. Even a live one's batch fired here would fire once, as both go through
the same unique claim; waiting only keeps the fire with the server that took it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from openglue.scheduler.event_batches import EventBatches
from openglue.scheduler.firing import Firing

log = logging.getLogger("openglue.scheduler")

RECOVERY_SECONDS = 5.0


class CrashRecovery:
    def __init__(
        self,
        interval: float = RECOVERY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.monotonic = monotonic  # real time: it is about processes, not schedules
        self._next_look = monotonic() + interval  # a starting scheduler has just caught up
        self._unfired_before: set[tuple[str, str]] = set()

    def due_in(self) -> float:
        """Real seconds until the next look."""
        return max(0.0, self._next_look - self.monotonic())

    def look_if_due(self, firing: Firing, batches: EventBatches | None) -> None:
        if self.monotonic() < self._next_look:
            return
        self._next_look = self.monotonic() + self.interval
        resumed = firing.resume_unfinished()
        if batches is not None:
            resumed += self._fire_abandoned(batches)
        if resumed:
            log.warning("trigger scheduler: finished %d fire(s) a stopped server left", resumed)

    def _fire_abandoned(self, batches: EventBatches) -> int:
        unfired = set(batches.store.unfired_batches())
        abandoned = unfired & self._unfired_before
        self._unfired_before = unfired - abandoned
        why = "taken by a server that stopped before firing them"
        return batches.fire_taken(sorted(abandoned), why)
