"""The scheduler: one thread per server that fires SCHEDULED and CONDITIONAL triggers.

SCHEDULED triggers fire when their ``next_fire_on`` (kept in the store) comes; the loop sleeps
until the earliest one, or until woken (a trigger changed, a run ended, a test clock moved).
CONDITIONAL triggers are evaluated when a watched job run or crawl ends: the run ledger and
the crawler call ``run_finished``; nothing polls the runs.

Misfire policy: when a schedule was due while no scheduler ran (the server was down), the
trigger fires once, for the latest missed time, if that time is at most ``misfire_grace``
seconds ago; otherwise the missed times are recorded as skipped. Either way it then resumes at
its next time in the future. Missed times never pile up into a burst of runs.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable

from openglue.scheduler.clock import Clock
from openglue.scheduler.conditions import fire_key, predecessors, runs_meeting, watched_keys
from openglue.scheduler.crash_recovery import CrashRecovery
from openglue.scheduler.crawler_schedules import CrawlerSchedules
from openglue.scheduler.cron import parse_cron
from openglue.scheduler.event_batches import EventBatches
from openglue.scheduler.firing import Firing
from openglue.scheduler.misfire import plan, utc
from openglue.scheduler.wakeable_loop import WakeableLoop
from openglue.store.triggers import Outcome, TriggerRecord, TriggerStore

log = logging.getLogger("openglue.scheduler")

MISFIRE_GRACE_SECONDS = 300.0
# Looks at the store at least this often: other servers' changes, crawler schedules.
MAX_IDLE_SECONDS = 10.0
ERROR_PAUSE_SECONDS = 2.0
_BATCH = 100


class Scheduler(WakeableLoop):
    def __init__(
        self,
        store: TriggerStore,
        firing: Firing,
        clock: Clock,
        misfire_grace: float = MISFIRE_GRACE_SECONDS,
    ) -> None:
        super().__init__("trigger-scheduler", "trigger scheduler")
        self.store = store
        self.firing = firing
        self.clock = clock
        self.misfire_grace = misfire_grace
        self._finished: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        # Set when the server has crawlers: their schedules fire from this loop too.
        self.crawler_schedules: CrawlerSchedules | None = None
        # Also told of every run that ended, on this thread: workflow runs follow their own
        # conditional triggers (see openglue.scheduler.workflow_runs).
        self.on_outcome: list[Callable[[Outcome], None]] = []
        # EVENT triggers' batches: fired from this loop when full or when their window ends.
        self.event_batches: EventBatches | None = None
        self.recovery = CrashRecovery()
        clock.on_change(self.wake)

    def run_finished(self, outcome: Outcome) -> None:
        """A job run or crawl has ended (called from other threads; returns at once)."""
        self._finished.put(outcome)
        self._wake.set()

    def _before_loop(self) -> None:
        try:
            self._catch_up()
        except Exception:
            log.exception("trigger scheduler: cannot catch up after a restart; carrying on")

    def _step(self) -> float:
        self.tick()
        # Another server on the store may have been killed mid-fire: finish what it left.
        self.recovery.look_if_due(self.firing, self.event_batches)
        return min(self._idle_time(), self.recovery.due_in())

    def _error_pause(self) -> float:
        return ERROR_PAUSE_SECONDS

    def _sleep(self, seconds: float) -> None:
        self.clock.sleep(self._wake, seconds)

    def _catch_up(self) -> None:
        """What a server that stopped may have left half done: fires claimed but not
        finished, and job runs that ended before their conditional triggers were evaluated
        (those of the last ``misfire_grace`` seconds are evaluated again; a set of runs
        that already fired a trigger does not fire it again)."""
        self.firing.resume_unfinished()
        if self.event_batches is not None:
            self.event_batches.resume()
        for outcome in self.store.finished_job_runs(self.clock.now() - self.misfire_grace):
            self._finished.put(outcome)

    def _idle_time(self) -> float:
        if not self._finished.empty():
            return 0.0
        due = self.store.next_due()
        if self.crawler_schedules is not None:
            crawl_due = self.crawler_schedules.next_due()
            if crawl_due is not None:
                due = crawl_due if due is None else min(due, crawl_due)
        if self.event_batches is not None:
            batch_due = self.event_batches.next_due()
            if batch_due is not None:
                due = batch_due if due is None else min(due, batch_due)
        wait = MAX_IDLE_SECONDS if due is None else due - self.clock.now()
        return max(0.0, min(wait, MAX_IDLE_SECONDS))

    def tick(self) -> None:
        """One pass: evaluate the runs that ended, then fire what is due."""
        while True:
            try:
                outcome = self._finished.get_nowait()
            except queue.Empty:
                break
            self._evaluate(outcome)
        now = self.clock.now()
        for trigger in self.store.due(now, _BATCH):
            self._fire_scheduled(trigger, now)
        if self.crawler_schedules is not None:
            self.crawler_schedules.tick(now)
        if self.event_batches is not None:
            self.event_batches.tick(now)

    # SCHEDULED

    def _fire_scheduled(self, trigger: TriggerRecord, now: float) -> None:
        due = trigger.next_fire_on
        schedule = trigger.spec.get("Schedule")
        if due is None or not schedule:
            return
        decided = plan(parse_cron(schedule), due, now, self.misfire_grace)
        following = "never" if decided.next_fire_on is None else utc(decided.next_fire_on)
        if decided.fire_at is None:
            reason = (
                f"skipped: due at {utc(due).isoformat()} while no scheduler was running, more "
                f"than {self.misfire_grace:.0f} s ago (misfire policy); next at {following}"
            )
            if self.firing.skip(
                trigger,
                f"missed:{utc(due).isoformat()}",
                reason,
                due_on=due,
                expected_next=due,
                new_next=decided.next_fire_on,
            ):
                log.warning("trigger %s: %s", trigger.name, reason)
            return
        reason = f"schedule {schedule} was due at {utc(decided.fire_at).isoformat()}"
        if decided.coalesced:
            reason += (
                f"; the fires due from {utc(due).isoformat()} while no scheduler was running "
                "were coalesced into this one (misfire policy)"
            )
        self.firing.fire(
            trigger,
            f"schedule:{utc(decided.fire_at).isoformat()}",
            reason,
            due_on=decided.fire_at,
            expected_next=due,
            new_next=decided.next_fire_on,
        )

    # CONDITIONAL

    def _evaluate(self, ended: Outcome) -> None:
        self.store.record_finished(ended)
        for listener in self.on_outcome:
            try:
                listener(ended)
            except Exception:
                log.exception("trigger scheduler: a run-ended listener failed on %s", ended.run_id)
        for trigger in self.store.watching(ended.kind, ended.name):
            if trigger.workflow_name:
                continue  # fires only within its workflow's runs, which follow it themselves
            predicate = trigger.spec.get("Predicate") or {}
            latest = self.store.latest_outcomes(watched_keys(predicate))
            met = runs_meeting(predicate, ended, latest)
            if met is None:
                continue
            if ended.trigger_name is None:
                # Kept in the fire history: the question users ask is why nothing started.
                self.firing.skip(
                    trigger,
                    f"not-by-trigger:{ended.run_id}",
                    f"not fired: {ended.kind} {ended.name} run {ended.run_id} ended "
                    f"{ended.state} but was not started by a trigger, and Glue starts "
                    "dependent jobs and crawlers only after runs that triggers started",
                    due_on=None,
                    expected_next=None,
                    new_next=None,
                )
                continue
            described = ", ".join(f"{o.kind} {o.name} run {o.run_id} {o.state}" for o in met)
            self.firing.fire(
                trigger,
                fire_key(met),
                f"predicate met ({predicate.get('Logical', 'AND')}): {described}",
                predecessor_runs=predecessors(met),
            )
