"""Building the trigger service and the scheduler, and connecting them to the job runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openglue.catalog.tags import TagService
from openglue.jobs.definitions import JobService
from openglue.jobs.ledger import RunLedger
from openglue.jobs.runs import JobRunService
from openglue.scheduler.actions import ActionRunner
from openglue.scheduler.clock import Clock, RealClock
from openglue.scheduler.crawler_schedules import CrawlerSchedules
from openglue.scheduler.firing import Firing
from openglue.scheduler.loop import Scheduler
from openglue.scheduler.triggers import TriggerService
from openglue.store.crawler_schedules import SqlCrawlerScheduleStore
from openglue.store.job_runs import JobRunRecord
from openglue.store.sql import SqlStore
from openglue.store.triggers import Outcome, SqlTriggerStore


@dataclass
class TriggerParts:
    triggers: TriggerService
    scheduler: Scheduler
    actions: ActionRunner
    clock: Clock

    def connect_crawls(self, crawl_runner: Any, sql: SqlStore) -> None:
        """Let trigger actions start crawls, conditional triggers follow how they end, and
        crawler schedules fire."""
        self.actions.crawlers = crawl_runner
        listeners = getattr(crawl_runner, "on_finished", None)
        if isinstance(listeners, list):
            listeners.append(self.crawl_finished)
        crawlers = getattr(getattr(crawl_runner, "crawlers", None), "store", None)
        if crawlers is not None:
            self.scheduler.crawler_schedules = CrawlerSchedules(
                SqlCrawlerScheduleStore(sql),
                lambda: scheduled_crawlers(crawlers),
                crawl_runner.start,
                self.scheduler.misfire_grace,
            )

    def crawl_finished(self, crawler: str, crawl_id: str, status: str) -> None:
        trigger = self.actions.crawls_started.pop(crawl_id, None)
        outcome = Outcome("crawler", crawler, crawl_id, status, self.clock.now(), trigger)
        self.scheduler.run_finished(outcome)


def scheduled_crawlers(store: Any) -> dict[str, str]:
    """The cron expression of every crawler whose schedule is SCHEDULED, by name."""
    found: dict[str, str] = {}
    after = None
    while True:
        page = store.list(after, 500)
        found.update(
            {c.name: c.schedule for c in page if c.schedule and c.schedule_state == "SCHEDULED"}
        )
        if len(page) < 500:
            return found
        after = page[-1].name


def job_outcome(run: JobRunRecord) -> Outcome:
    return Outcome(
        kind="job",
        name=run.job_name,
        run_id=run.id,
        state=run.state,
        finished_on=run.completed_on or run.last_modified_on,
        trigger_name=run.spec.get("TriggerName"),
    )


def build_trigger_parts(
    sql: SqlStore,
    jobs: JobService,
    job_runs: JobRunService,
    ledger: RunLedger,
    tags: TagService,
    owner: str,
    clock: Clock | None = None,
) -> TriggerParts:
    clock = clock or RealClock()
    store = SqlTriggerStore(sql)
    actions = ActionRunner(job_runs)
    firing = Firing(store, actions, clock, owner)
    scheduler = Scheduler(store, firing, clock)
    ledger.on_finished.append(lambda run: scheduler.run_finished(job_outcome(run)))
    triggers = TriggerService(store, jobs, tags, firing, clock, scheduler.wake)
    tags.triggers = store
    return TriggerParts(triggers, scheduler, actions, clock)
