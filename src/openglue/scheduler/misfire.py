"""What a due schedule does now: fire (for which time) or skip, and when it is due next.

The misfire policy, as a pure function shared by trigger and crawler schedules: of the due
times from ``due`` to ``now``, the latest one no older than ``grace`` seconds fires, once;
older ones (which only happen when no scheduler ran) are skipped. Either way the schedule
moves on to its first time after ``now``: missed times never turn into a burst of runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openglue.scheduler.cron import CronSchedule


@dataclass(frozen=True)
class FirePlan:
    fire_at: float | None  # the due time to fire for; None: skip
    next_fire_on: float | None  # the schedule's next time after now; None: never again
    coalesced: bool  # earlier due times were folded into this fire or skipped


def utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def next_after(cron: CronSchedule, moment: float) -> float | None:
    following = cron.next_fire(utc(moment))
    return None if following is None else following.timestamp()


def plan(cron: CronSchedule, due: float, now: float, grace: float) -> FirePlan:
    window_start = max(due, now - grace)
    # Due times are whole minutes, and next_fire(t - 1 s) is the first one at or after t.
    latest: float | None = None
    candidate = next_after(cron, window_start - 1)
    while candidate is not None and candidate <= now:
        latest = candidate
        candidate = next_after(cron, candidate)
    return FirePlan(latest, next_after(cron, now), latest is None or latest > due)
