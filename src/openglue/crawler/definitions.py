"""Crawler definitions as Glue has them: names keep their case, UpdateCrawler changes only the
members it is given and bumps ``Version``, and a crawling crawler cannot be changed or deleted.
The schedule is stored as a cron string and shown as ``{ScheduleExpression, State}``."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from openglue.catalog.filtered_listing import filtered_page
from openglue.catalog.names import now
from openglue.catalog.tags import TagService, check_tags
from openglue.crawler.classifiers import ClassifierService
from openglue.crawler.crawl_log import log_stream_name
from openglue.crawler.crawler_spec import crawler_spec
from openglue.crawler.history import crawl_filter, history_to_aws, metrics_to_aws
from openglue.crawler.schedule import check_schedule
from openglue.errors import (
    InvalidInputException,
    NoScheduleException,
    SchedulerNotRunningException,
    SchedulerRunningException,
)
from openglue.store.crawlers import (
    READY,
    CrawlerRecord,
    CrawlerStore,
    CrawlRecord,
    crawler_not_found,
)

SCHEDULED, NOT_SCHEDULED = "SCHEDULED", "NOT_SCHEDULED"


def to_aws(record: CrawlerRecord, at: float | None = None) -> dict[str, Any]:
    """The ``Crawler`` shape; ``at`` is the time CrawlElapsedTime is measured to."""
    crawler: dict[str, Any] = {
        **record.spec,
        "Name": record.name,
        "State": record.state,
        "CreationTime": record.creation_time,
        "LastUpdated": record.last_updated,
        "Version": record.version,
        "CrawlElapsedTime": 0,
    }
    if record.schedule:
        crawler["Schedule"] = {
            "ScheduleExpression": record.schedule,
            "State": record.schedule_state,
        }
    if record.last_crawl:
        crawler["LastCrawl"] = record.last_crawl
    if record.state != READY and record.crawl_started is not None:
        elapsed = (at if at is not None else now()) - record.crawl_started
        crawler["CrawlElapsedTime"] = max(0, int(elapsed * 1000))
    return crawler


def _schedule(expression: str | None) -> str | None:
    return check_schedule(expression) if expression else None


class CrawlerService:
    def __init__(
        self, store: CrawlerStore, classifiers: ClassifierService, tags: TagService
    ) -> None:
        self.store = store
        self.classifiers = classifiers
        self.tags = tags

    def _check_classifiers(self, spec: Mapping[str, Any]) -> None:
        names = spec.get("Classifiers") or []
        if len(set(names)) != len(names):
            raise InvalidInputException("Classifiers names a classifier twice")
        self.classifiers.for_crawl(names)

    def create(self, given: Mapping[str, Any]) -> None:
        check_tags(given.get("Tags") or {})  # before creating: bad tags must leave nothing
        spec = crawler_spec(given)
        self._check_classifiers(spec)
        schedule = _schedule(given.get("Schedule"))
        stamp = now()
        state = SCHEDULED if schedule else NOT_SCHEDULED
        name = given["Name"]
        self.store.create(CrawlerRecord(name, spec, schedule, state, READY, 1, stamp, stamp))
        self.tags.tag_new_resource("crawler", name, given.get("Tags"))

    def get(self, name: str) -> CrawlerRecord:
        record = self.store.get(name)
        if record is None:
            raise crawler_not_found(name)
        return record

    def get_many(self, names: Sequence[str]) -> tuple[list[CrawlerRecord], list[str]]:
        """The crawlers found, in the order asked, and the names not found."""
        found = self.store.get_many(names)
        missing = list(dict.fromkeys(n for n in names if n not in found))
        return [found[n] for n in dict.fromkeys(names) if n in found], missing

    def list(
        self, after: str | None, limit: int, tags: Mapping[str, str] | None = None
    ) -> builtins.list[CrawlerRecord]:
        """Up to ``limit`` crawlers after ``after``; with ``tags``, only those carrying all."""
        if not tags:
            return self.store.list(after, limit)
        wanted = set(tags.items())

        def tagged(record: CrawlerRecord) -> bool:
            return wanted <= set(self.tags.of("crawler", record.name).items())

        return filtered_page(self.store.list, lambda r: r.name, tagged, after, limit)

    def update(self, given: Mapping[str, Any]) -> None:
        current = self.get(given["Name"])
        spec = crawler_spec(given, current.spec)
        self._check_classifiers(spec)
        record = replace(current, spec=spec, version=current.version + 1, last_updated=now())
        if "Schedule" in given and given["Schedule"] is not None:
            record = self._with_schedule(record, given["Schedule"])
        self.store.replace(record, expected_version=current.version)

    def delete(self, name: str) -> None:
        if not self.store.delete(name):
            raise crawler_not_found(name)
        self.tags.forget("crawler", name)

    # Schedules. They change while a crawl runs too: they say when the next crawl starts.

    def _with_schedule(self, record: CrawlerRecord, expression: str | None) -> CrawlerRecord:
        schedule = _schedule(expression)
        state = SCHEDULED if schedule else NOT_SCHEDULED
        return replace(record, schedule=schedule, schedule_state=state)

    def _change_schedule(self, name: str, change: Callable[[CrawlerRecord], CrawlerRecord]) -> None:
        current = self.get(name)
        changed = change(current)
        record = replace(changed, version=current.version + 1, last_updated=now())
        self.store.replace(record, expected_version=current.version, require_ready=False)

    def update_schedule(self, name: str, expression: str | None) -> None:
        self._change_schedule(name, lambda r: self._with_schedule(r, expression))

    def start_schedule(self, name: str) -> None:
        def start(record: CrawlerRecord) -> CrawlerRecord:
            if not record.schedule:
                raise NoScheduleException(
                    f"Crawler {name} has no schedule; set one with UpdateCrawlerSchedule"
                )
            if record.schedule_state == SCHEDULED:
                raise SchedulerRunningException(f"The schedule of crawler {name} is already on.")
            return replace(record, schedule_state=SCHEDULED)

        self._change_schedule(name, start)

    def stop_schedule(self, name: str) -> None:
        def stop(record: CrawlerRecord) -> CrawlerRecord:
            if record.schedule_state != SCHEDULED:
                raise SchedulerNotRunningException(f"The schedule of crawler {name} is not on.")
            return replace(record, schedule_state=NOT_SCHEDULED)

        self._change_schedule(name, stop)

    # History.

    def crawls(
        self, name: str, filters: Sequence[Mapping[str, Any]], before: int | None, limit: int
    ) -> builtins.list[CrawlRecord]:
        """ListCrawls: up to ``limit`` crawls matching ``filters``, newest first, older than
        ``before`` (a crawl's ``seq``)."""
        self.get(name)
        keep = crawl_filter(filters)
        return filtered_page(
            lambda after, n: self.store.crawls(name, after, n),
            lambda crawl: crawl.seq,
            keep,
            before,
            limit,
        )

    def crawl_to_aws(self, crawl: CrawlRecord) -> dict[str, Any]:
        return history_to_aws(crawl, log_stream_name(crawl.crawler))

    def metrics(
        self, names: Sequence[str] | None, after: str | None, limit: int
    ) -> builtins.list[Any]:
        """GetCrawlerMetrics: the named crawlers (or all, paged by name)."""
        if names:
            found = self.store.get_many(names)
            records = [found[n] for n in dict.fromkeys(names) if n in found]
        else:
            records = self.store.list(after, limit)
        return [metrics_to_aws(r, self.store.crawls(r.name, None, 100)) for r in records]
