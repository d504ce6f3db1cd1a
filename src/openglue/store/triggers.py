"""Triggers and their fire history: the store contract and its SQL implementation.

Exactly-once firing rests on one rule: a fire is claimed by inserting its row in
``trigger_fires``, whose (trigger, fire key) is unique, in the same transaction that moves a
scheduled trigger's ``next_fire_on`` on (a compare-and-set on the value it was read with).
Whoever inserts first fires; every other scheduler, in this process or another server on the
same PostgreSQL, gets ``False`` and leaves it. No lease can expire under a slow fire.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.sql import SqlStore

_t = schema.triggers
_l = schema.trigger_links
_f = schema.trigger_fires
_o = schema.watched_outcomes
# The job-run states a conditional trigger can watch.
WATCHABLE_RUN_STATES = ("SUCCEEDED", "STOPPED", "FAILED", "TIMEOUT")


@dataclass(frozen=True)
class TriggerRecord:
    name: str
    type: str
    state: str
    spec: dict[str, Any]  # the Trigger members but Name, Type, State and WorkflowName
    created_on: float
    last_modified_on: float
    workflow_name: str | None = None
    next_fire_on: float | None = None


@dataclass(frozen=True)
class Link:
    role: str  # "watches" (a Predicate condition) or "starts" (an Action)
    kind: str  # "job" or "crawler"
    name: str


@dataclass(frozen=True)
class FireRecord:
    trigger_name: str
    fire_key: str
    fired_on: float
    owner: str
    reason: str
    due_on: float | None = None
    outcome: ActionOutcomes | None = None  # None until its actions have run
    context: dict[str, Any] | None = None


@dataclass(frozen=True)
class Outcome:
    """How a job run or crawl ended."""

    kind: str
    name: str
    run_id: str
    state: str
    finished_on: float
    trigger_name: str | None = None


# Aliases: inside the classes below, ``list`` names their listing method.
Records = list["TriggerRecord"]
Fires = list["FireRecord"]
ActionOutcomes = list[dict[str, Any]]


class TriggerStore(ABC):
    """Triggers keyed by their exact name, with their links and fire history."""

    @abstractmethod
    def create(self, record: TriggerRecord, links: Collection[Link]) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> TriggerRecord | None:
        """The trigger, or ``None``."""

    @abstractmethod
    def get_many(self, names: Sequence[str]) -> dict[str, TriggerRecord]:
        """The triggers of these names that exist, by name."""

    @abstractmethod
    def list(self, after: str | None, limit: int, starts_job: str | None = None) -> Records:
        """Up to ``limit`` triggers in code-point order of name after ``after``; with
        ``starts_job``, only those with an action starting that job."""

    @abstractmethod
    def replace(self, record: TriggerRecord, links: Collection[Link]) -> None:
        """Overwrite the trigger and its links; ``EntityNotFoundException`` if missing."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete it with its links and history; ``False`` if there was no such trigger."""

    @abstractmethod
    def set_state(
        self, name: str, expected: Collection[str], state: str, next_fire_on: float | None
    ) -> TriggerRecord | None:
        """Set state and next fire time if the trigger is in an ``expected`` state; the
        updated trigger, or ``None`` (no such trigger, or in another state)."""

    @abstractmethod
    def due(self, now: float, limit: int) -> Records:
        """ACTIVATED triggers whose ``next_fire_on`` is at or before ``now``, earliest first."""

    @abstractmethod
    def next_due(self) -> float | None:
        """The earliest ``next_fire_on`` of any ACTIVATED trigger."""

    @abstractmethod
    def watching(self, kind: str, name: str) -> Records:
        """ACTIVATED triggers whose predicate watches this job or crawler."""

    @abstractmethod
    def claim_fire(
        self, fire: FireRecord, expected_next: float | None = None, new_next: float | None = None
    ) -> bool:
        """Insert ``fire``; with ``expected_next``, also move the trigger's ``next_fire_on``
        from it to ``new_next``, both or neither. ``False``, and nothing changed, when the
        fire key was taken or ``next_fire_on`` was no longer ``expected_next``."""

    @abstractmethod
    def record_outcome(self, trigger_name: str, fire_key: str, outcome: ActionOutcomes) -> None:
        """Store what a claimed fire's actions did."""

    @abstractmethod
    def fires(self, trigger_name: str, limit: int) -> Fires:
        """The trigger's latest fires, newest first."""

    @abstractmethod
    def unfinished_fires(self) -> Fires:
        """Fires claimed whose actions never recorded an outcome, oldest first."""

    @abstractmethod
    def take_over_fire(self, fire: FireRecord, owner: str) -> bool:
        """Make ``owner`` the owner of an unfinished fire still owned by ``fire.owner``;
        ``False`` if someone else took it (or it finished) first."""

    @abstractmethod
    def record_finished(self, outcome: Outcome) -> None:
        """Remember ``outcome`` as the latest of its job or crawler, unless a later one is
        already remembered."""

    @abstractmethod
    def finished_job_runs(self, since: float) -> builtins.list[Outcome]:
        """Job runs that ended (in a state a trigger can watch) at or after ``since``, in the
        order they ended: what a starting scheduler re-examines, in case its predecessor
        stopped before evaluating them."""

    @abstractmethod
    def latest_outcomes(self, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], Outcome]:
        """The latest outcome of each (kind, name) that has one."""


def _record(row: Any) -> TriggerRecord:
    return TriggerRecord(
        name=row.name,
        type=row.type,
        state=row.state,
        spec=row.spec,
        created_on=row.created_on,
        last_modified_on=row.last_modified_on,
        workflow_name=row.workflow_name,
        next_fire_on=row.next_fire_on,
    )


def _fire(row: Any, trigger_name: str) -> FireRecord:
    return FireRecord(
        trigger_name=trigger_name,
        fire_key=row.fire_key,
        fired_on=row.fired_on,
        owner=row.owner,
        reason=row.reason,
        due_on=row.due_on,
        outcome=row.outcome,
        context=row.context,
    )


def _values(record: TriggerRecord) -> dict[str, Any]:
    return {
        "type": record.type,
        "state": record.state,
        "spec": record.spec,
        "workflow_name": record.workflow_name,
        "next_fire_on": record.next_fire_on,
        "created_on": record.created_on,
        "last_modified_on": record.last_modified_on,
    }


def _trigger_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(_t.c.id).where(_t.c.name == name)).scalar()
    if found is None:
        raise EntityNotFoundException(f"Trigger {name} not found.")
    return int(found)


def _insert_links(conn: Connection, trigger_id: int, links: Collection[Link]) -> None:
    rows = [
        {"trigger_id": trigger_id, "role": x.role, "kind": x.kind, "name": x.name}
        for x in dict.fromkeys(links)
    ]
    if rows:
        conn.execute(insert(_l), rows)


class SqlTriggerStore(TriggerStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: TriggerRecord, links: Collection[Link]) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(insert(_t).values(name=record.name, **_values(record)))
                _insert_links(conn, _trigger_id(conn, record.name), links)
        except IntegrityError:
            raise AlreadyExistsException(f"Trigger {record.name} already exists.") from None

    def get(self, name: str) -> TriggerRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(select(_t).where(_t.c.name == name)).first()
        return None if row is None else _record(row)

    def get_many(self, names: Sequence[str]) -> dict[str, TriggerRecord]:
        if not names:
            return {}
        with self.sql.read() as conn:
            rows = conn.execute(select(_t).where(_t.c.name.in_(list(set(names))))).all()
        return {row.name: _record(row) for row in rows}

    def list(self, after: str | None, limit: int, starts_job: str | None = None) -> Records:
        name = code_point_order(self.sql, _t.c.name)
        query = select(_t).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        if starts_job is not None:
            query = query.where(
                _t.c.id.in_(
                    select(_l.c.trigger_id).where(
                        _l.c.role == "starts", _l.c.kind == "job", _l.c.name == starts_job
                    )
                )
            )
        with self.sql.read() as conn:
            return [_record(r) for r in conn.execute(query)]

    def replace(self, record: TriggerRecord, links: Collection[Link]) -> None:
        with self.sql.write() as conn:
            trigger_id = _trigger_id(conn, record.name)
            conn.execute(update(_t).where(_t.c.id == trigger_id).values(_values(record)))
            conn.execute(delete(_l).where(_l.c.trigger_id == trigger_id))
            _insert_links(conn, trigger_id, links)

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            return bool(conn.execute(delete(_t).where(_t.c.name == name)).rowcount)

    def set_state(
        self, name: str, expected: Collection[str], state: str, next_fire_on: float | None
    ) -> TriggerRecord | None:
        condition = and_(_t.c.name == name, _t.c.state.in_(list(expected)))
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_t).where(condition).values(state=state, next_fire_on=next_fire_on)
            ).rowcount
            if not changed:
                return None
            row = conn.execute(select(_t).where(_t.c.name == name)).first()
        return None if row is None else _record(row)

    def due(self, now: float, limit: int) -> Records:
        query = (
            select(_t)
            .where(_t.c.state == "ACTIVATED", _t.c.next_fire_on <= now)
            .order_by(_t.c.next_fire_on)
            .limit(limit)
        )
        with self.sql.read() as conn:
            return [_record(r) for r in conn.execute(query)]

    def next_due(self) -> float | None:
        query = select(_t.c.next_fire_on).where(
            _t.c.state == "ACTIVATED", _t.c.next_fire_on.is_not(None)
        )
        with self.sql.read() as conn:
            found = conn.execute(query.order_by(_t.c.next_fire_on).limit(1)).scalar()
        return None if found is None else float(found)

    def watching(self, kind: str, name: str) -> Records:
        watchers = select(_l.c.trigger_id).where(
            _l.c.role == "watches", _l.c.kind == kind, _l.c.name == name
        )
        query = select(_t).where(_t.c.state == "ACTIVATED", _t.c.id.in_(watchers))
        with self.sql.read() as conn:
            return [_record(r) for r in conn.execute(query.order_by(_t.c.name))]

    def claim_fire(
        self, fire: FireRecord, expected_next: float | None = None, new_next: float | None = None
    ) -> bool:
        try:
            with self.sql.write() as conn:
                trigger_id = _trigger_id(conn, fire.trigger_name)
                if expected_next is not None:
                    moved = conn.execute(
                        update(_t)
                        .where(_t.c.id == trigger_id, _t.c.next_fire_on == expected_next)
                        .values(next_fire_on=new_next)
                    ).rowcount
                    if not moved:
                        return False
                conn.execute(
                    insert(_f).values(
                        trigger_id=trigger_id,
                        fire_key=fire.fire_key,
                        due_on=fire.due_on,
                        fired_on=fire.fired_on,
                        owner=fire.owner,
                        reason=fire.reason,
                        outcome=fire.outcome,
                        context=fire.context,
                    )
                )
        except IntegrityError:  # the key was taken: the transaction rolled back
            return False
        except EntityNotFoundException:  # deleted meanwhile
            return False
        return True

    def record_outcome(self, trigger_name: str, fire_key: str, outcome: ActionOutcomes) -> None:
        owner_ids = select(_t.c.id).where(_t.c.name == trigger_name)
        with self.sql.write() as conn:
            conn.execute(
                update(_f)
                .where(_f.c.trigger_id.in_(owner_ids), _f.c.fire_key == fire_key)
                .values(outcome=outcome)
            )

    def fires(self, trigger_name: str, limit: int) -> Fires:
        query = (
            select(_f)
            .join(_t, _t.c.id == _f.c.trigger_id)
            .where(_t.c.name == trigger_name)
            .order_by(_f.c.seq.desc())
            .limit(limit)
        )
        with self.sql.read() as conn:
            return [_fire(r, trigger_name) for r in conn.execute(query)]

    def unfinished_fires(self) -> Fires:
        query = (
            select(_f, _t.c.name.label("trigger_name"))
            .join(_t, _t.c.id == _f.c.trigger_id)
            .where(_f.c.outcome.is_(None))
            .order_by(_f.c.seq)
        )
        with self.sql.read() as conn:
            return [_fire(r, r.trigger_name) for r in conn.execute(query)]

    def take_over_fire(self, fire: FireRecord, owner: str) -> bool:
        owner_ids = select(_t.c.id).where(_t.c.name == fire.trigger_name)
        with self.sql.write() as conn:
            taken = conn.execute(
                update(_f)
                .where(
                    _f.c.trigger_id.in_(owner_ids),
                    _f.c.fire_key == fire.fire_key,
                    _f.c.owner == fire.owner,
                    _f.c.outcome.is_(None),
                )
                .values(owner=owner)
            ).rowcount
        return bool(taken)

    def record_finished(self, outcome: Outcome) -> None:
        values = {
            "run_id": outcome.run_id,
            "state": outcome.state,
            "finished_on": outcome.finished_on,
            "trigger_name": outcome.trigger_name,
        }
        key = and_(_o.c.kind == outcome.kind, _o.c.name == outcome.name)
        with self.sql.write() as conn:
            if conn.dialect.name == "postgresql":
                # Two servers recording the same job's runs must not both insert.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7305005)")
            known = conn.execute(select(_o.c.finished_on).where(key)).scalar()
            if known is None:
                conn.execute(insert(_o).values(kind=outcome.kind, name=outcome.name, **values))
            elif known <= outcome.finished_on:
                conn.execute(update(_o).where(key).values(values))

    def finished_job_runs(self, since: float) -> builtins.list[Outcome]:
        _r, _j = schema.job_runs, schema.jobs
        query = (
            select(_r.c.id, _r.c.state, _r.c.completed_on, _r.c.spec, _j.c.name)
            .join(_j, _j.c.id == _r.c.job_id)
            .where(_r.c.state.in_(WATCHABLE_RUN_STATES), _r.c.completed_on >= since)
            .order_by(_r.c.completed_on)
        )
        with self.sql.read() as conn:
            rows = conn.execute(query).all()
        return [
            Outcome("job", r.name, r.id, r.state, r.completed_on, r.spec.get("TriggerName"))
            for r in rows
        ]

    def latest_outcomes(self, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], Outcome]:
        found: dict[tuple[str, str], Outcome] = {}
        if not keys:
            return found
        names = list({name for _, name in keys})
        with self.sql.read() as conn:
            for r in conn.execute(select(_o).where(_o.c.name.in_(names))):
                if (r.kind, r.name) in keys:
                    found[(r.kind, r.name)] = Outcome(
                        r.kind, r.name, r.run_id, r.state, r.finished_on, r.trigger_name
                    )
        return found
