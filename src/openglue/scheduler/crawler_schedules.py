"""Crawler schedules fire: a crawler whose Schedule is SCHEDULED crawls at its times.

The crawler service owns the schedule (UpdateCrawlerSchedule, Start/StopCrawlerSchedule);
each scheduler pass compares the SCHEDULED crawlers with what it armed, arms new or changed
schedules from now on (never firing at once for a time before the change), disarms the rest,
and starts the crawls that are due, under the same misfire policy as SCHEDULED triggers. A
crawl that cannot start (the crawler is still crawling) is logged and its time skipped, as
Glue skips a scheduled crawl while the previous one runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from openglue.errors import GlueError
from openglue.scheduler.cron import parse_cron
from openglue.scheduler.misfire import next_after, plan, utc
from openglue.store.crawler_schedules import CrawlerScheduleStore

log = logging.getLogger("openglue.scheduler")


class CrawlerSchedules:
    def __init__(
        self,
        store: CrawlerScheduleStore,
        scheduled: Callable[[], dict[str, str]],
        start_crawl: Callable[[str], object],
        grace: float,
    ) -> None:
        self.store = store
        self.scheduled = scheduled  # the SCHEDULED crawlers' cron expressions, by name
        self.start_crawl = start_crawl
        self.grace = grace

    def tick(self, now: float) -> None:
        wanted = self.scheduled()
        armed = self.store.armed()
        self.store.disarm(armed.keys() - wanted.keys())
        for name, schedule in wanted.items():
            current = armed.get(name)
            if current is None or current[0] != schedule:
                self.store.arm(name, schedule, next_after(parse_cron(schedule), now))
                continue
            due = current[1]
            if due is not None and due <= now:
                self._fire(name, schedule, due, now)

    def next_due(self) -> float | None:
        return self.store.next_due()

    def _fire(self, name: str, schedule: str, due: float, now: float) -> None:
        decided = plan(parse_cron(schedule), due, now, self.grace)
        if not self.store.advance(name, due, decided.next_fire_on):
            return  # another scheduler has it
        if decided.fire_at is None:
            log.warning(
                "crawler %s: the scheduled crawl due at %s was skipped: no scheduler ran then "
                "(misfire policy)",
                name,
                utc(due).isoformat(),
            )
            return
        try:
            crawl = self.start_crawl(name)
        except GlueError as exc:
            log.warning(
                "crawler %s: scheduled crawl due at %s not started: %s",
                name,
                utc(decided.fire_at).isoformat(),
                exc.message,
            )
            return
        log.info("crawler %s: scheduled crawl %s started (%s)", name, crawl, schedule)
