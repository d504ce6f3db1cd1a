"""The scheduler's state for crawler schedules: the store contract and its SQL implementation.

One row per scheduled crawler: the schedule it was armed with and when it is due next. Moving
``next_fire_on`` on is a compare-and-set, so of several schedulers on one store exactly one
starts each scheduled crawl.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.store import schema
from openglue.store.sql import SqlStore

_s = schema.crawler_schedules


class CrawlerScheduleStore(ABC):
    @abstractmethod
    def armed(self) -> dict[str, tuple[str, float | None]]:
        """Every armed crawler: its schedule and next fire time."""

    @abstractmethod
    def arm(self, name: str, schedule: str, next_fire_on: float | None) -> None:
        """Arm (or re-arm, with a changed schedule) the crawler's schedule."""

    @abstractmethod
    def disarm(self, names: Collection[str]) -> None:
        """Forget these crawlers' schedules."""

    @abstractmethod
    def advance(self, name: str, expected: float, next_fire_on: float | None) -> bool:
        """Move the next fire time from ``expected`` on; ``False`` if it was not ``expected``
        (another scheduler moved it first)."""

    @abstractmethod
    def next_due(self) -> float | None:
        """The earliest next fire time of any armed crawler."""


class SqlCrawlerScheduleStore(CrawlerScheduleStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def armed(self) -> dict[str, tuple[str, float | None]]:
        with self.sql.read() as conn:
            rows = conn.execute(select(_s)).all()
        return {row.name: (row.schedule, row.next_fire_on) for row in rows}

    def arm(self, name: str, schedule: str, next_fire_on: float | None) -> None:
        values = {"schedule": schedule, "next_fire_on": next_fire_on}
        try:
            with self.sql.write() as conn:
                if not conn.execute(update(_s).where(_s.c.name == name).values(values)).rowcount:
                    conn.execute(insert(_s).values(name=name, **values))
        except IntegrityError:  # another scheduler armed it at the same moment
            pass

    def disarm(self, names: Collection[str]) -> None:
        if names:
            with self.sql.write() as conn:
                conn.execute(delete(_s).where(_s.c.name.in_(list(names))))

    def advance(self, name: str, expected: float, next_fire_on: float | None) -> bool:
        with self.sql.write() as conn:
            moved = conn.execute(
                update(_s)
                .where(_s.c.name == name, _s.c.next_fire_on == expected)
                .values(next_fire_on=next_fire_on)
            ).rowcount
        return bool(moved)

    def next_due(self) -> float | None:
        query = select(_s.c.next_fire_on).where(_s.c.next_fire_on.is_not(None))
        with self.sql.read() as conn:
            found = conn.execute(query.order_by(_s.c.next_fire_on).limit(1)).scalar()
        return None if found is None else float(found)
