"""Running crawls in the server: StartCrawler returns at once and a worker thread crawls.

Crawls read listings and file heads and write catalog rows, so threads (not processes) keep
them cheap and the server responsive. StopCrawler marks the crawler STOPPING; the crawl sees it
at its next step (between targets and between catalog writes) and ends CANCELLED. A server
that starts finds crawls that died with a previous server on this host and ends them FAILED.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openglue.catalog.databases import DatabaseService
from openglue.catalog.names import now
from openglue.crawler import crawl as steps
from openglue.crawler.catalog_writer import ServiceCatalog
from openglue.crawler.classifiers import ClassifierService
from openglue.crawler.crawl_log import CrawlLog
from openglue.crawler.definitions import CrawlerService
from openglue.crawler.history import crawl_summary, explain_lines, previous_folders
from openglue.errors import CrawlerStoppingException, EntityNotFoundException, GlueError
from openglue.jobs.processes import ProcessId, is_running
from openglue.logs.groups import CRAWLER_LOG_GROUP
from openglue.store.crawlers import STOPPING, CrawlerRecord, CrawlRecord

log = logging.getLogger("openglue.crawler")

SERVER_LOST = "The OpenGlue server stopped while this crawl was running"
_WORKERS = 4


class Cancelled(Exception):
    pass


@dataclass
class _Active:
    crawl: CrawlRecord
    stop: threading.Event


class CrawlRunner:
    def __init__(
        self,
        crawlers: CrawlerService,
        classifiers: ClassifierService,
        catalog: ServiceCatalog,
        databases: DatabaseService,
        data_dir: Path,
        owner: str,
        open_source: steps.OpenSource,
        plan_jdbc: steps.PlanJdbc | None = None,
    ) -> None:
        self.crawlers = crawlers
        self.store = crawlers.store
        self.classifiers = classifiers
        self.catalog = catalog
        self.databases = databases
        self.data_dir = data_dir
        self.owner = owner
        self.open_source = open_source
        self.plan_jdbc = plan_jdbc
        self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="crawl")
        # Load the inference pipeline (pyarrow among it, ~0.6 s) while the server starts,
        # not during the first crawl. A failure shows at that crawl, with its reason.
        self._pool.submit(_preload_planner)
        self._active: dict[str, _Active] = {}
        self._lock = threading.Lock()
        self._closing = False
        # Called with (crawler name, crawl id, SUCCEEDED | CANCELLED | FAILED) when a crawl
        # ends: how conditional triggers watching the crawler learn of it. Must be quick.
        self.on_finished: list[Callable[[str, str, str], None]] = []

    def start(self, name: str) -> str:
        """StartCrawler: READY → RUNNING, and the crawl queued for a worker; its crawl id."""
        self.crawlers.get(name)  # EntityNotFoundException first, as Glue answers
        crawl = CrawlRecord(str(uuid.uuid4()), name, "RUNNING", now())
        self.store.begin_crawl(name, crawl, self.owner)
        active = _Active(crawl, threading.Event())
        with self._lock:
            self._active[crawl.crawl_id] = active
        try:
            self._pool.submit(self._run, name, active)
        except RuntimeError:  # the pool is shut down: the server is stopping
            with self._lock:
                self._active.pop(crawl.crawl_id, None)
            current = self.store.get(name)
            if current is not None:
                self._finish(current, "CANCELLED", None, None, {}, crawl)
            raise CrawlerStoppingException(
                f"Crawler {name} cannot start: the server is stopping; start it again once the"
                " server is back"
            ) from None
        return crawl.crawl_id

    def stop(self, name: str) -> None:
        """StopCrawler: RUNNING → STOPPING; the crawl ends CANCELLED at its next step."""
        self.crawlers.get(name)
        self.store.request_stop(name)
        with self._lock:
            for active in self._active.values():
                if active.crawl.crawler == name:
                    active.stop.set()

    def close(self) -> None:
        """Cancel the crawls in progress (at their next step) and wait for them to end."""
        self._closing = True
        with self._lock:
            for active in self._active.values():
                active.stop.set()
        self._pool.shutdown(wait=True, cancel_futures=False)

    def recover(self) -> None:
        """End the crawls whose server on this host is gone."""
        host = socket.gethostname()
        for record in self.store.active():
            if record.crawl_owner is None or _is_gone(record.crawl_owner, host):
                self._finish(record, "FAILED", SERVER_LOST, None, {})

    # The crawl itself, on a worker thread.

    def _check(self, name: str, active: _Active) -> None:
        if active.stop.is_set():
            raise Cancelled
        record = self.store.get(name)  # a stop may have reached another server
        if record is None or record.state == STOPPING:
            raise Cancelled

    def _run(self, name: str, active: _Active) -> None:
        crawl_log = CrawlLog(self.data_dir, name, active.crawl.crawl_id)
        report: dict[str, Any] = {}
        try:
            record = self.store.get(name)  # inside: a store error must still end the crawl
            if record is None:
                raise EntityNotFoundException(f"Crawler {name} was deleted")
            crawl_log.info(f"Crawl {active.crawl.crawl_id} of crawler {name} started")
            self._crawl(record, active, crawl_log, report)
            status, error = "SUCCEEDED", None
        except Cancelled:
            why = "the server is stopping" if self._closing else "StopCrawler"
            crawl_log.info(f"Crawl cancelled by {why}")
            status, error = "CANCELLED", None
        except (steps.CrawlFailed, GlueError) as exc:
            message = exc.message if isinstance(exc, GlueError) else str(exc)
            crawl_log.error(message)
            status, error = "FAILED", message
        except Exception as exc:  # a bug must still leave the crawler READY
            log.exception("crawl of %s failed", name)
            crawl_log.error(f"Internal error: {exc!r}")
            status, error = "FAILED", f"Internal error: {exc!r}"
        crawl_log.info(f"Crawl ended: {status}")
        report["log"] = crawl_log.lines[-2000:]
        try:
            current = self.store.get(name)
            if current is not None:
                self._finish(current, status, error, crawl_log.stream, report, active.crawl)
        except Exception:  # the store is unreachable: the next server start ends the crawl
            log.exception("could not record the end of crawl %s", active.crawl.crawl_id)
        finally:
            with self._lock:
                self._active.pop(active.crawl.crawl_id, None)

    def _crawl(
        self, record: CrawlerRecord, active: _Active, crawl_log: CrawlLog, report: dict[str, Any]
    ) -> None:
        name = record.name

        def check() -> None:
            self._check(name, active)

        try:
            classifiers = self.classifiers.for_crawl(record.spec.get("Classifiers") or [])
        except GlueError as exc:
            raise steps.CrawlFailed(exc.message) from None
        settings = steps.settings_of(name, record.spec, classifiers)
        steps.check_database(self._database_exists, settings)
        seen = previous_folders(self.store.crawls(name, None, 20))
        survey = steps.survey_targets(
            settings,
            self.open_source,
            steps.load_planner(),
            self.catalog,
            seen,
            check,
            crawl_log.info,
            self.plan_jdbc,
        )
        report["folders"] = survey.folders
        decided = steps.decide(settings, survey, self.catalog)
        for line in explain_lines(survey, decided):
            crawl_log.info(line)
        counts = report.setdefault("counts", {})
        for change in decided.changes:
            check()
            touched = self.catalog.apply(change)
            amount = touched if change.action.endswith("partitions") else 1
            counts[change.action] = counts.get(change.action, 0) + amount
        report["changes"] = [c.describe() for c in decided.changes]

    def _database_exists(self, database: str) -> bool:
        try:
            self.databases.get(database)
        except EntityNotFoundException:
            return False
        return True

    def _finish(
        self,
        record: CrawlerRecord,
        status: str,
        error: str | None,
        stream: str | None,
        report: dict[str, Any],
        crawl: CrawlRecord | None = None,
    ) -> None:
        crawl_id = crawl.crawl_id if crawl else record.current_crawl or ""
        started = crawl.start_time if crawl else record.crawl_started or now()
        history_state = {"SUCCEEDED": "COMPLETED", "CANCELLED": "STOPPED"}.get(status, "FAILED")
        last: dict[str, Any] = {
            "Status": status,
            "LogGroup": CRAWLER_LOG_GROUP,
            "MessagePrefix": crawl_id,
            "StartTime": started,
        }
        if stream:
            last["LogStream"] = stream
        if error:
            last["ErrorMessage"] = error[:2048]
        final = CrawlRecord(
            crawl_id,
            record.name,
            history_state,
            started,
            now(),
            crawl_summary(report.get("counts", {})),
            error[:2048] if error else None,
            report,
        )
        if not self.store.finish_crawl(final, last):
            return
        for listener in self.on_finished:
            try:
                listener(record.name, crawl_id, status)
            except Exception:  # a listener's fault must not undo the crawl's outcome
                log.exception("crawl %s: a crawl-finished listener failed", crawl_id)


def _preload_planner() -> None:
    with contextlib.suppress(steps.CrawlFailed):
        steps.load_planner()


def _is_gone(owner: str, host: str) -> bool:
    try:
        owner_host, pid, start = owner.rsplit(":", 2)
        process = ProcessId(int(pid), int(start) or None)
    except ValueError:
        return False
    return owner_host == host and not is_running(process)
