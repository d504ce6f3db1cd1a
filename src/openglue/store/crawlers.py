"""Crawlers and their crawl history: the store contract and its SQL implementation.

A crawler's state moves READY → RUNNING → STOPPING → READY only through the conditional
updates here (``begin_crawl``, ``request_stop``, ``finish_crawl``), so two servers sharing a
PostgreSQL store can never both start the same crawler.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import (
    AlreadyExistsException,
    CrawlerNotRunningException,
    CrawlerRunningException,
    CrawlerStoppingException,
    EntityNotFoundException,
    VersionMismatchException,
)
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.sql import SqlStore

_c = schema.crawlers
_h = schema.crawls

READY, RUNNING, STOPPING = "READY", "RUNNING", "STOPPING"


@dataclass(frozen=True)
class CrawlerRecord:
    name: str
    spec: dict[str, Any]  # the members a client sets: Role, Targets, DatabaseName, policies…
    schedule: str | None
    schedule_state: str  # SCHEDULED | NOT_SCHEDULED
    state: str
    version: int
    creation_time: float
    last_updated: float
    last_crawl: dict[str, Any] | None = None  # the LastCrawlInfo shape
    current_crawl: str | None = None
    crawl_started: float | None = None
    crawl_owner: str | None = None


@dataclass(frozen=True)
class CrawlRecord:
    crawl_id: str
    crawler: str
    state: str  # RUNNING | COMPLETED | FAILED | STOPPED
    start_time: float
    end_time: float | None = None
    summary: str | None = None
    error_message: str | None = None
    report: dict[str, Any] | None = field(default=None, compare=False)
    dpu_hour: float = 0.0
    seq: int = field(default=0, compare=False)


def crawler_not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Crawler with name {name} not found.")


class CrawlerStore(ABC):
    """Crawlers keyed by their exact (case-preserving) name, and each one's crawls."""

    @abstractmethod
    def create(self, record: CrawlerRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> CrawlerRecord | None:
        """The crawler, or ``None``."""

    @abstractmethod
    def get_many(self, names: Sequence[str]) -> dict[str, CrawlerRecord]:
        """The crawlers of these names that exist, by name."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> list[CrawlerRecord]:
        """Up to ``limit`` crawlers in code-point order of name, starting after ``after``."""

    @abstractmethod
    def replace(
        self, record: CrawlerRecord, expected_version: int, *, require_ready: bool = True
    ) -> None:
        """Overwrite the definition (spec, schedule, version, last_updated) of a crawler
        still at ``expected_version`` (and READY, with ``require_ready``).
        ``EntityNotFoundException`` if it is missing, ``CrawlerRunningException`` if it is
        crawling, ``VersionMismatchException`` if another update came first."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete a READY crawler and its history; ``False`` if there was none;
        ``CrawlerRunningException`` while it crawls."""

    @abstractmethod
    def begin_crawl(self, name: str, crawl: CrawlRecord, owner: str) -> None:
        """READY → RUNNING with ``crawl`` as its current crawl, recorded in the history.
        ``CrawlerRunningException`` / ``CrawlerStoppingException`` when not READY."""

    @abstractmethod
    def request_stop(self, name: str) -> None:
        """RUNNING → STOPPING. ``CrawlerNotRunningException`` when READY,
        ``CrawlerStoppingException`` when already stopping."""

    @abstractmethod
    def finish_crawl(self, crawl: CrawlRecord, last_crawl: dict[str, Any]) -> bool:
        """Back to READY with ``last_crawl`` (LastCrawlInfo) and the final history record,
        if ``crawl`` is still the crawler's current one; ``False`` otherwise."""

    @abstractmethod
    def crawls(self, name: str, before: int | None, limit: int) -> builtins.list[CrawlRecord]:
        """The crawler's crawls newest first, with ``seq`` below ``before``."""

    @abstractmethod
    def active(self) -> builtins.list[CrawlerRecord]:
        """The crawlers that are RUNNING or STOPPING."""


def _crawler(row: Any) -> CrawlerRecord:
    return CrawlerRecord(
        row.name,
        row.spec,
        row.schedule,
        row.schedule_state,
        row.state,
        int(row.version),
        row.creation_time,
        row.last_updated,
        row.last_crawl,
        row.current_crawl,
        row.crawl_started,
        row.crawl_owner,
    )


def _crawl(row: Any, crawler: str) -> CrawlRecord:
    return CrawlRecord(
        row.id,
        crawler,
        row.state,
        row.start_time,
        row.end_time,
        row.summary,
        row.error_message,
        row.report,
        row.dpu_hour,
        int(row.seq),
    )


def _state_of(conn: Connection, name: str) -> str:
    state = conn.execute(select(_c.c.state).where(_c.c.name == name)).scalar()
    if state is None:
        raise crawler_not_found(name)
    return str(state)


def _running(name: str) -> CrawlerRunningException:
    return CrawlerRunningException(
        f"Crawler {name} is running; wait for its crawl to end (or StopCrawler) and try again"
    )


class SqlCrawlerStore(CrawlerStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: CrawlerRecord) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(
                    insert(_c).values(
                        name=record.name,
                        spec=record.spec,
                        schedule=record.schedule,
                        schedule_state=record.schedule_state,
                        state=record.state,
                        version=record.version,
                        creation_time=record.creation_time,
                        last_updated=record.last_updated,
                    )
                )
        except IntegrityError:
            raise AlreadyExistsException(f"Crawler {record.name} already exists.") from None

    def get(self, name: str) -> CrawlerRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(select(_c).where(_c.c.name == name)).first()
        return None if row is None else _crawler(row)

    def get_many(self, names: Sequence[str]) -> dict[str, CrawlerRecord]:
        if not names:
            return {}
        with self.sql.read() as conn:
            rows = conn.execute(select(_c).where(_c.c.name.in_(list(set(names))))).all()
        return {row.name: _crawler(row) for row in rows}

    def list(self, after: str | None, limit: int) -> list[CrawlerRecord]:
        name = code_point_order(self.sql, _c.c.name)
        query = select(_c).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        with self.sql.read() as conn:
            return [_crawler(r) for r in conn.execute(query).all()]

    def replace(
        self, record: CrawlerRecord, expected_version: int, *, require_ready: bool = True
    ) -> None:
        with self.sql.write() as conn:
            condition = [_c.c.name == record.name, _c.c.version == expected_version]
            if require_ready:
                condition.append(_c.c.state == READY)
            changed = conn.execute(
                update(_c)
                .where(*condition)
                .values(
                    spec=record.spec,
                    schedule=record.schedule,
                    schedule_state=record.schedule_state,
                    version=record.version,
                    last_updated=record.last_updated,
                )
            ).rowcount
            if changed:
                return
            state = _state_of(conn, record.name)  # EntityNotFoundException if it is gone
            if require_ready and state != READY:
                raise _running(record.name)
            raise VersionMismatchException(
                f"Crawler {record.name} was changed by another request; read it again and "
                "retry the update"
            )

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            removed = conn.execute(
                delete(_c).where(_c.c.name == name, _c.c.state == READY)
            ).rowcount
            if removed:
                return True
            if conn.execute(select(_c.c.id).where(_c.c.name == name)).first() is not None:
                raise _running(name)
            return False

    def begin_crawl(self, name: str, crawl: CrawlRecord, owner: str) -> None:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_c)
                .where(_c.c.name == name, _c.c.state == READY)
                .values(
                    state=RUNNING,
                    current_crawl=crawl.crawl_id,
                    crawl_started=crawl.start_time,
                    crawl_owner=owner,
                )
            ).rowcount
            if not changed:
                if _state_of(conn, name) == STOPPING:
                    raise CrawlerStoppingException(
                        f"Crawler {name} is stopping; start it again once it is READY"
                    )
                raise _running(name)
            crawler_id = conn.execute(select(_c.c.id).where(_c.c.name == name)).scalar_one()
            conn.execute(
                insert(_h).values(
                    id=crawl.crawl_id,
                    crawler_id=crawler_id,
                    state=crawl.state,
                    start_time=crawl.start_time,
                    dpu_hour=crawl.dpu_hour,
                )
            )

    def request_stop(self, name: str) -> None:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_c).where(_c.c.name == name, _c.c.state == RUNNING).values(state=STOPPING)
            ).rowcount
            if changed:
                return
            if _state_of(conn, name) == STOPPING:
                raise CrawlerStoppingException(f"Crawler {name} is already stopping.")
            raise CrawlerNotRunningException(f"Crawler {name} is not running.")

    def finish_crawl(self, crawl: CrawlRecord, last_crawl: dict[str, Any]) -> bool:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_c)
                .where(_c.c.name == crawl.crawler, _c.c.current_crawl == crawl.crawl_id)
                .values(
                    state=READY,
                    last_crawl=last_crawl,
                    current_crawl=None,
                    crawl_started=None,
                    crawl_owner=None,
                )
            ).rowcount
            conn.execute(
                update(_h)
                .where(_h.c.id == crawl.crawl_id)
                .values(
                    state=crawl.state,
                    end_time=crawl.end_time,
                    summary=crawl.summary,
                    error_message=crawl.error_message,
                    report=crawl.report,
                    dpu_hour=crawl.dpu_hour,
                )
            )
        return bool(changed)

    def crawls(self, name: str, before: int | None, limit: int) -> builtins.list[CrawlRecord]:
        query = (
            select(_h)
            .join(_c, _c.c.id == _h.c.crawler_id)
            .where(_c.c.name == name)
            .order_by(_h.c.seq.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(_h.c.seq < before)
        with self.sql.read() as conn:
            return [_crawl(r, name) for r in conn.execute(query).all()]

    def active(self) -> builtins.list[CrawlerRecord]:
        with self.sql.read() as conn:
            rows = conn.execute(select(_c).where(_c.c.state != READY)).all()
        return [_crawler(r) for r in rows]
