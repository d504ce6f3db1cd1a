"""EVENT triggers' events: the store contract and its SQL implementation.

An event waits (``batch_key`` NULL) until its trigger's batch fires. A batch is taken by
setting ``batch_key`` on its events in one transaction that only succeeds if none of them was
taken already, so two schedulers on one store never both take an event. The fire itself is
then claimed under that same key in ``trigger_fires`` (see ``openglue.store.triggers``): a
batch taken but never fired (a crash in between) is found by ``unfired_batches`` and fired
then, once.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.store import schema
from openglue.store.sql import SqlStore
from openglue.store.triggers import TriggerRecord, _record

_t = schema.triggers
_e = schema.trigger_events
_w = schema.trigger_event_watches
_f = schema.trigger_fires


@dataclass(frozen=True)
class NewEvent:
    event_id: str  # the object's address and version: one event per object version
    address: str  # s3://bucket/key


@dataclass(frozen=True)
class EventRecord:
    seq: int
    event_id: str
    address: str
    received_on: float
    batch_key: str | None = None


@dataclass(frozen=True)
class Waiting:
    """How many events an ACTIVATED trigger has waiting, and when the first one came."""

    trigger: TriggerRecord
    count: int
    first_received_on: float


class _Taken(Exception):
    """Some event of a batch was taken by another scheduler: roll the batch back."""


class TriggerEventStore(ABC):
    """Events per trigger (by trigger name), and the prefixes whose polls have a baseline."""

    @abstractmethod
    def event_triggers(self) -> builtins.list[TriggerRecord]:
        """The ACTIVATED EVENT triggers, by name."""

    @abstractmethod
    def add(self, trigger_name: str, events: Sequence[NewEvent], received_on: float) -> int:
        """Record the events not recorded yet for this trigger; how many were new (0 if the
        trigger no longer exists)."""

    @abstractmethod
    def known_ids(self, trigger_name: str, prefix: str) -> set[str]:
        """The ids of the trigger's events whose address starts with ``prefix``."""

    @abstractmethod
    def waiting(self) -> builtins.list[Waiting]:
        """Every ACTIVATED EVENT trigger with events waiting for a batch."""

    @abstractmethod
    def pending(self, trigger_name: str, limit: int) -> builtins.list[EventRecord]:
        """The trigger's oldest ``limit`` waiting events, oldest first."""

    @abstractmethod
    def take_batch(self, trigger_name: str, seqs: Collection[int], batch_key: str) -> bool:
        """Mark these waiting events as ``batch_key``'s, all or none; ``False`` if one was
        already taken (by another scheduler)."""

    @abstractmethod
    def batch(self, trigger_name: str, batch_key: str) -> builtins.list[EventRecord]:
        """The events of one batch, oldest first."""

    @abstractmethod
    def unfired_batches(self) -> builtins.list[tuple[str, str]]:
        """(trigger name, batch key) of batches taken whose fire was never claimed."""

    @abstractmethod
    def is_watched(self, trigger_name: str, address: str) -> bool:
        """Whether a poll has taken stock of the objects under ``address`` for this trigger."""

    @abstractmethod
    def start_watch(
        self, trigger_name: str, address: str, existing: Sequence[NewEvent], now: float
    ) -> None:
        """Take stock: ``existing`` objects are recorded as seen, never as waiting events."""


def _event(row: Any) -> EventRecord:
    return EventRecord(
        seq=int(row.seq),
        event_id=row.event_id,
        address=row.address,
        received_on=row.received_on,
        batch_key=row.batch_key,
    )


# Objects a poll found already there when it started watching: seen, never fired.
BASELINE = "baseline"


class SqlTriggerEventStore(TriggerEventStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def _id(self, name: str) -> Any:
        return select(_t.c.id).where(_t.c.name == name).scalar_subquery()

    def event_triggers(self) -> builtins.list[TriggerRecord]:
        query = select(_t).where(_t.c.type == "EVENT", _t.c.state == "ACTIVATED")
        with self.sql.read() as conn:
            return [_record(r) for r in conn.execute(query.order_by(_t.c.name))]

    def add(self, trigger_name: str, events: Sequence[NewEvent], received_on: float) -> int:
        return self._insert(trigger_name, events, received_on, None)

    def _insert(
        self, name: str, events: Sequence[NewEvent], received_on: float, batch_key: str | None
    ) -> int:
        unique = list({e.event_id: e for e in events}.values())
        if not unique:
            return 0
        for _attempt in range(3):
            try:
                with self.sql.write() as conn:
                    trigger_id = conn.execute(select(_t.c.id).where(_t.c.name == name)).scalar()
                    if trigger_id is None:
                        return 0
                    known: set[str] = set()
                    ids = [e.event_id for e in unique]
                    for start in range(0, len(ids), 500):
                        known.update(
                            conn.execute(
                                select(_e.c.event_id).where(
                                    _e.c.trigger_id == trigger_id,
                                    _e.c.event_id.in_(ids[start : start + 500]),
                                )
                            ).scalars()
                        )
                    rows = [
                        {
                            "trigger_id": trigger_id,
                            "event_id": e.event_id,
                            "address": e.address,
                            "received_on": received_on,
                            "batch_key": batch_key,
                        }
                        for e in unique
                        if e.event_id not in known
                    ]
                    if rows:
                        conn.execute(insert(_e), rows)
                    return len(rows)
            except IntegrityError:
                continue  # another server recorded one of them meanwhile: look again
        return 0

    def known_ids(self, trigger_name: str, prefix: str) -> set[str]:
        query = select(_e.c.event_id).where(
            _e.c.trigger_id == self._id(trigger_name), _e.c.address.startswith(prefix)
        )
        with self.sql.read() as conn:
            return set(conn.execute(query).scalars())

    def waiting(self) -> builtins.list[Waiting]:
        counts = (
            select(
                _e.c.trigger_id,
                func.count().label("waiting"),
                func.min(_e.c.received_on).label("first"),
            )
            .where(_e.c.batch_key.is_(None))
            .group_by(_e.c.trigger_id)
            .subquery()
        )
        query = (
            select(_t, counts.c.waiting, counts.c.first)
            .join(counts, counts.c.trigger_id == _t.c.id)
            .where(_t.c.type == "EVENT", _t.c.state == "ACTIVATED")
            .order_by(_t.c.name)
        )
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [Waiting(_record(r), int(r.waiting), float(r.first)) for r in rows]

    def pending(self, trigger_name: str, limit: int) -> builtins.list[EventRecord]:
        query = (
            select(_e)
            .where(_e.c.trigger_id == self._id(trigger_name), _e.c.batch_key.is_(None))
            .order_by(_e.c.seq)
            .limit(limit)
        )
        with self.sql.read() as conn:
            return [_event(r) for r in conn.execute(query)]

    def take_batch(self, trigger_name: str, seqs: Collection[int], batch_key: str) -> bool:
        wanted = list(seqs)
        try:
            with self.sql.write() as conn:
                taken = conn.execute(
                    update(_e)
                    .where(
                        _e.c.trigger_id == self._id(trigger_name),
                        _e.c.seq.in_(wanted),
                        _e.c.batch_key.is_(None),
                    )
                    .values(batch_key=batch_key)
                ).rowcount
                if taken != len(wanted):
                    raise _Taken
        except _Taken:
            return False
        return True

    def batch(self, trigger_name: str, batch_key: str) -> builtins.list[EventRecord]:
        query = (
            select(_e)
            .where(_e.c.trigger_id == self._id(trigger_name), _e.c.batch_key == batch_key)
            .order_by(_e.c.seq)
        )
        with self.sql.read() as conn:
            return [_event(r) for r in conn.execute(query)]

    def unfired_batches(self) -> builtins.list[tuple[str, str]]:
        fired = select(_f.c.seq).where(
            _f.c.trigger_id == _e.c.trigger_id, _f.c.fire_key == _e.c.batch_key
        )
        query = (
            select(_t.c.name, _e.c.batch_key)
            .join(_t, _t.c.id == _e.c.trigger_id)
            .where(
                _e.c.batch_key.is_not(None),
                _e.c.batch_key != BASELINE,
                ~fired.exists(),
            )
            .group_by(_t.c.name, _e.c.batch_key)
        )
        with self.sql.read() as conn:
            return [(r.name, r.batch_key) for r in conn.execute(query)]

    def is_watched(self, trigger_name: str, address: str) -> bool:
        query = select(_w.c.started_on).where(
            and_(_w.c.trigger_id == self._id(trigger_name), _w.c.address == address)
        )
        with self.sql.read() as conn:
            return conn.execute(query).first() is not None

    def start_watch(
        self, trigger_name: str, address: str, existing: Sequence[NewEvent], now: float
    ) -> None:
        self._insert(trigger_name, existing, now, BASELINE)
        try:
            with self.sql.write() as conn:
                trigger_id = conn.execute(select(_t.c.id).where(_t.c.name == trigger_name)).scalar()
                if trigger_id is not None:
                    conn.execute(
                        insert(_w).values(trigger_id=trigger_id, address=address, started_on=now)
                    )
        except IntegrityError:
            pass  # another server took stock first: the same objects
