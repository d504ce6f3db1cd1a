"""One fire of a trigger: claim it in the store, then run its actions, then record them.

The claim (see ``openglue.store.triggers``) is what makes a fire happen once: only the caller
whose claim is inserted runs the actions. A server that dies after its claim, before its
actions recorded their outcome, leaves the fire unfinished; the next server on that host takes
it over and runs its actions again, and since a fire's job runs have ids derived from the fire,
the ones that had started are found, not started twice.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping, Sequence
from typing import Any

from openglue.jobs.processes import ProcessId, is_running
from openglue.scheduler.actions import ActionRunner
from openglue.scheduler.clock import Clock
from openglue.store.triggers import FireRecord, TriggerRecord, TriggerStore

log = logging.getLogger("openglue.scheduler")


def owner_is_gone(owner: str) -> bool:
    """Whether the server process ``host:pid:start`` that claimed a fire no longer runs (only
    a server on the same host can tell)."""
    try:
        host, pid, start = owner.rsplit(":", 2)
        process = ProcessId(int(pid), int(start) or None)
    except ValueError:
        return False
    return host == socket.gethostname() and not is_running(process)


class Firing:
    def __init__(self, store: TriggerStore, actions: ActionRunner, clock: Clock, owner: str):
        self.store = store
        self.actions = actions
        self.clock = clock
        self.owner = owner

    def fire(
        self,
        trigger: TriggerRecord,
        key: str,
        reason: str,
        *,
        due_on: float | None = None,
        expected_next: float | None = None,
        new_next: float | None = None,
        predecessor_runs: Sequence[dict[str, str]] = (),
        extra_context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]] | None:
        """Claim and run; the actions' outcomes, or ``None`` if someone else had the claim.
        ``extra_context`` is kept with the fire (an EVENT trigger's batch: its event ids)."""
        context = {"PredecessorRuns": list(predecessor_runs), **(extra_context or {})}
        claim = FireRecord(
            trigger.name, key, self.clock.now(), self.owner, reason, due_on, None, context
        )
        if not self.store.claim_fire(claim, expected_next, new_next):
            return None
        outcome = self.actions.run(trigger, key, predecessor_runs, context)
        self.store.record_outcome(trigger.name, key, outcome)
        return outcome

    def resume_unfinished(self) -> int:
        """Finish the fires that servers now gone claimed but did not complete; how many."""
        resumed = 0
        for fire in self.store.unfinished_fires():
            if fire.owner == self.owner or not owner_is_gone(fire.owner):
                continue
            trigger = self.store.get(fire.trigger_name)
            if trigger is None or not self.store.take_over_fire(fire, self.owner):
                continue
            log.warning(
                "trigger %s: resuming fire %s, cut short when server %s stopped",
                fire.trigger_name,
                fire.fire_key,
                fire.owner,
            )
            predecessor_runs = (fire.context or {}).get("PredecessorRuns", [])
            outcome = self.actions.run(trigger, fire.fire_key, predecessor_runs, fire.context)
            self.store.record_outcome(fire.trigger_name, fire.fire_key, outcome)
            resumed += 1
        return resumed

    def skip(
        self,
        trigger: TriggerRecord,
        key: str,
        reason: str,
        *,
        due_on: float | None,
        expected_next: float | None,
        new_next: float | None,
    ) -> bool:
        """Record a fire that does not happen (a misfire), moving the schedule on."""
        record = FireRecord(trigger.name, key, self.clock.now(), self.owner, reason, due_on, [])
        return self.store.claim_fire(record, expected_next, new_next)
