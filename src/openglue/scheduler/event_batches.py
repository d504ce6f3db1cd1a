"""EVENT triggers: events wait in the store until their batch is complete, then the trigger fires.

Glue's EventBatchingCondition: the trigger fires when ``BatchSize`` events have come, or when
``BatchWindow`` seconds have passed since the first event of the batch, whichever is first.
Both are measured on the scheduler's clock, so tests move time instead of waiting.

Exactly once, restart-safe: events are rows in the store (a restart keeps the waiting ones);
a batch is taken by marking its events with the batch's fire key, all or none, and then fired
under that key through ``Firing`` (the same unique claim as every other fire). A batch taken
whose fire was never claimed, because its server stopped in between, is fired by the next
scheduler (``resume``); a fire claimed but unfinished is resumed by ``Firing`` itself.

``receive`` is the one way in for every event source (file-system notifications, polls, the
S3 webhook); ``fire_batch`` is the one way out, and what a workflow's start trigger goes
through too: the fire's context holds ``EventIds``, ``Objects`` and
``StartingEventBatchCondition``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openglue.scheduler.clock import Clock
from openglue.scheduler.firing import Firing
from openglue.scheduler.misfire import utc
from openglue.scheduler.trigger_spec import DEFAULT_BATCH_WINDOW
from openglue.store.trigger_events import EventRecord, NewEvent, TriggerEventStore
from openglue.store.triggers import TriggerRecord

log = logging.getLogger("openglue.scheduler")

MAX_BATCH_SIZE = 100  # Glue's upper bound on BatchSize; also the most one fire takes
_SHOWN = 3  # objects named in a fire's reason; the context has them all


def batching(trigger: TriggerRecord) -> tuple[int, float]:
    """(BatchSize, BatchWindow seconds) of an EVENT trigger."""
    condition = trigger.spec.get("EventBatchingCondition") or {}
    size = int(condition.get("BatchSize") or 1)
    window = float(condition.get("BatchWindow") or DEFAULT_BATCH_WINDOW)
    return max(1, min(size, MAX_BATCH_SIZE)), window


def batch_key(events: Sequence[EventRecord]) -> str:
    """A fire key naming the batch: its first and last event (sequence numbers never repeat)."""
    return f"events:{events[0].seq}-{events[-1].seq}"


class EventBatches:
    def __init__(
        self,
        store: TriggerEventStore,
        firing: Firing,
        clock: Clock,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.firing = firing
        self.clock = clock
        self.wake = wake  # the scheduler: a batch may be complete

    def receive(self, trigger_name: str, events: Sequence[NewEvent]) -> int:
        """Record new events for a trigger (those already recorded are ignored); how many
        were new. The trigger fires from the scheduler's thread once its batch is complete."""
        added = self.store.add(trigger_name, events, self.clock.now())
        if added:
            log.info("trigger %s: %d new event(s)", trigger_name, added)
            self.wake()
        return added

    def next_due(self) -> float | None:
        """When the earliest waiting batch's window closes (now, if one is full)."""
        due: float | None = None
        for waiting in self.store.waiting():
            size, window = batching(waiting.trigger)
            at = waiting.first_received_on if waiting.count >= size else None
            at = waiting.first_received_on + window if at is None else at
            due = at if due is None else min(due, at)
        return due

    def tick(self, now: float) -> None:
        """Fire every batch that is complete: full ones first, then those whose window closed."""
        for waiting in self.store.waiting():
            trigger = waiting.trigger
            size, window = batching(trigger)
            while True:
                events = self.store.pending(trigger.name, size)
                if not events:
                    break
                if len(events) >= size:
                    self._take(trigger, events, {"BatchSize": len(events)}, f"{size} events came")
                    continue
                if now >= events[0].received_on + window:
                    met = {"BatchSize": len(events), "BatchWindow": int(window)}
                    first = utc(events[0].received_on).isoformat()
                    self._take(
                        trigger, events, met, f"the {window:.0f} s window from {first} ended"
                    )
                break

    def resume(self) -> int:
        """Fire the batches taken by a server that stopped before firing them; how many."""
        return self.fire_taken(self.store.unfired_batches(), "taken before a restart")

    def fire_taken(self, taken: Iterable[tuple[str, str]], why: str) -> int:
        """Fire these (trigger name, batch key) batches, taken but not fired; how many fired
        here (each fires once, wherever else it is fired too)."""
        resumed = 0
        for trigger_name, key in taken:
            trigger = self.firing.store.get(trigger_name)
            events = self.store.batch(trigger_name, key)
            if trigger is None or not events:
                continue
            size, window = batching(trigger)
            met: dict[str, int] = {"BatchSize": len(events)}
            if len(events) < size:
                met["BatchWindow"] = int(window)
            if self.fire_batch(trigger, key, events, met, why) is not None:
                resumed += 1
        return resumed

    def _take(
        self, trigger: TriggerRecord, events: list[EventRecord], met: dict[str, int], why: str
    ) -> None:
        key = batch_key(events)
        if self.store.take_batch(trigger.name, [e.seq for e in events], key):
            self.fire_batch(trigger, key, events, met, why)

    def fire_batch(
        self,
        trigger: TriggerRecord,
        key: str,
        events: Sequence[EventRecord],
        met: dict[str, int],
        why: str,
    ) -> list[dict[str, Any]] | None:
        """Fire ``trigger`` for this batch of events, once per ``key``; the actions' outcomes,
        or ``None`` if the fire was already claimed."""
        shown = ", ".join(e.address for e in events[:_SHOWN])
        more = f" and {len(events) - _SHOWN} more" if len(events) > _SHOWN else ""
        reason = f"{len(events)} new object(s) ({why}): {shown}{more}"
        context = {
            "EventIds": [e.event_id for e in events],
            "Objects": [e.address for e in events],
            "StartingEventBatchCondition": met,
        }
        return self.firing.fire(trigger, key, reason, extra_context=context)
