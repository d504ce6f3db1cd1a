"""Workflows, their runs and the nodes each run reached: the store contract and its SQL
implementation.

A node row is unique per (run, kind, name): inserting it is how a run claims "start this job"
or "fire this trigger", so a node happens once per run however often the same outcome is
examined again (after a restart, or by a second server on the same PostgreSQL).
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.sql import SqlStore

_w = schema.workflows
_r = schema.workflow_runs
_n = schema.workflow_run_nodes
ACTIVE_RUN_STATUSES = ("RUNNING", "STOPPING")


@dataclass(frozen=True)
class WorkflowRecord:
    name: str
    spec: dict[str, Any]  # Description, DefaultRunProperties, MaxConcurrentRuns
    created_on: float
    last_modified_on: float


@dataclass(frozen=True)
class NodeRecord:
    kind: str  # job, crawler, trigger
    name: str
    state: str  # a job run state, a crawl status, or FIRED for a trigger
    started_on: float
    run_id: str | None = None  # the JobRunId or crawl id
    completed_on: float | None = None
    error_message: str | None = None
    started_by: str | None = None  # the trigger that started it


@dataclass(frozen=True)
class WorkflowRunRecord:
    id: str
    workflow_name: str
    status: str
    properties: dict[str, str]
    graph: list[dict[str, Any]]  # the workflow's Trigger shapes when the run started
    started_on: float
    previous_run_id: str | None = None
    completed_on: float | None = None
    error_message: str | None = None
    starting_condition: dict[str, int] | None = None  # StartingEventBatchCondition
    seq: int = field(default=0, compare=False)  # creation order, set by the store


Names = list[str]
Runs = list["WorkflowRunRecord"]


class WorkflowStore(ABC):
    """Workflows keyed by their exact name; runs keyed by their id."""

    @abstractmethod
    def create(self, record: WorkflowRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken."""

    @abstractmethod
    def get(self, name: str) -> WorkflowRecord | None:
        """The workflow, or ``None``."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> Names:
        """Up to ``limit`` names in code-point order after ``after``."""

    @abstractmethod
    def replace(self, record: WorkflowRecord) -> None:
        """Overwrite; ``EntityNotFoundException`` if missing."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete it and its runs; ``False`` if there was none."""

    @abstractmethod
    def start_run(
        self, run: WorkflowRunRecord, limit: int | None, nodes: Iterable[NodeRecord] = ()
    ) -> bool:
        """Insert ``run`` (and ``nodes``) unless the workflow already has ``limit`` runs
        RUNNING or STOPPING: ``False`` then. ``EntityNotFoundException`` if the workflow is
        gone."""

    @abstractmethod
    def get_run(self, run_id: str) -> WorkflowRunRecord | None:
        """The run, or ``None``."""

    @abstractmethod
    def runs(self, workflow_name: str, before: int | None, limit: int) -> Runs:
        """Up to ``limit`` runs of the workflow, newest first, with ``seq`` below ``before``."""

    @abstractmethod
    def set_status(
        self,
        run_id: str,
        expected: Collection[str],
        status: str,
        completed_on: float | None = None,
        error_message: str | None = None,
    ) -> bool:
        """Move the run to ``status`` if it is in an ``expected`` status; whether it moved."""

    @abstractmethod
    def merge_properties(self, run_id: str, properties: Mapping[str, str]) -> bool:
        """Add or overwrite these run properties; ``False`` if there is no such run."""

    @abstractmethod
    def claim_node(self, run_id: str, node: NodeRecord) -> bool:
        """Insert ``node`` into the run; ``False`` if the run already has that node."""

    @abstractmethod
    def finish_node(
        self, kind: str, node_run_id: str, state: str, completed_on: float, error: str | None
    ) -> str | None:
        """Record how the job run or crawl ``node_run_id`` ended; the id of the workflow run
        it belongs to, or ``None`` if no workflow run started it."""

    @abstractmethod
    def attach_node(self, run_id: str, kind: str, name: str, node_run_id: str) -> None:
        """Record the crawl id of a crawler node once its crawl has started."""

    @abstractmethod
    def nodes(self, run_id: str) -> builtins.list[NodeRecord]:
        """The nodes the run has reached, in the order they were claimed."""


def _workflow(row: Any) -> WorkflowRecord:
    return WorkflowRecord(row.name, row.spec, row.created_on, row.last_modified_on)


def _run(row: Any) -> WorkflowRunRecord:
    return WorkflowRunRecord(
        id=row.id,
        workflow_name=row.workflow_name,
        status=row.status,
        properties=row.properties,
        graph=row.graph,
        started_on=row.started_on,
        previous_run_id=row.previous_run_id,
        completed_on=row.completed_on,
        error_message=row.error_message,
        starting_condition=row.starting_condition,
        seq=row.seq,
    )


def _node(row: Any) -> NodeRecord:
    return NodeRecord(
        row.kind,
        row.name,
        row.state,
        row.started_on,
        row.run_id,
        row.completed_on,
        row.error_message,
        row.started_by,
    )


def _node_values(run_seq: int, node: NodeRecord) -> dict[str, Any]:
    return {
        "run_seq": run_seq,
        "kind": node.kind,
        "name": node.name,
        "run_id": node.run_id,
        "state": node.state,
        "started_on": node.started_on,
        "completed_on": node.completed_on,
        "error_message": node.error_message,
        "started_by": node.started_by,
    }


# Runs with their workflow's name (a run row keeps only the workflow's id).
_RUNS = select(*_r.c, _w.c.name.label("workflow_name")).join(_w, _w.c.id == _r.c.workflow_id)


def _run_seq(conn: Connection, run_id: str) -> int | None:
    found = conn.execute(select(_r.c.seq).where(_r.c.id == run_id)).scalar()
    return None if found is None else int(found)


class SqlWorkflowStore(WorkflowStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def _locking(self, query: Select[Any]) -> Select[Any]:
        """``query`` locking the rows it reads until the write ends; SQLite needs no lock, as
        its one writer already runs alone."""
        return query if self.sql.is_sqlite else query.with_for_update()

    def create(self, record: WorkflowRecord) -> None:
        values = {
            "name": record.name,
            "spec": record.spec,
            "created_on": record.created_on,
            "last_modified_on": record.last_modified_on,
        }
        try:
            with self.sql.write() as conn:
                conn.execute(insert(_w).values(values))
        except IntegrityError:
            raise AlreadyExistsException(f"Workflow {record.name} already exists.") from None

    def get(self, name: str) -> WorkflowRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(select(_w).where(_w.c.name == name)).first()
        return None if row is None else _workflow(row)

    def list(self, after: str | None, limit: int) -> Names:
        name = code_point_order(self.sql, _w.c.name)
        query = select(_w.c.name).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        with self.sql.read() as conn:
            return [str(n) for n in conn.execute(query).scalars()]

    def replace(self, record: WorkflowRecord) -> None:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_w)
                .where(_w.c.name == record.name)
                .values(spec=record.spec, last_modified_on=record.last_modified_on)
            ).rowcount
        if not changed:
            raise EntityNotFoundException(f"Workflow {record.name} not found.")

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            return bool(conn.execute(delete(_w).where(_w.c.name == name)).rowcount)

    def start_run(
        self, run: WorkflowRunRecord, limit: int | None, nodes: Iterable[NodeRecord] = ()
    ) -> bool:
        with self.sql.write() as conn:
            # The lock serialises concurrent starts of one workflow.
            owner = self._locking(select(_w.c.id).where(_w.c.name == run.workflow_name))
            workflow_id = conn.execute(owner).scalar()
            if workflow_id is None:
                raise EntityNotFoundException(f"Workflow {run.workflow_name} not found.")
            if limit is not None:
                active = conn.execute(
                    select(func.count())
                    .select_from(_r)
                    .where(_r.c.workflow_id == workflow_id, _r.c.status.in_(ACTIVE_RUN_STATUSES))
                ).scalar_one()
                if active >= limit:
                    return False
            conn.execute(
                insert(_r).values(
                    id=run.id,
                    workflow_id=workflow_id,
                    status=run.status,
                    previous_run_id=run.previous_run_id,
                    properties=run.properties,
                    graph=run.graph,
                    started_on=run.started_on,
                    completed_on=run.completed_on,
                    error_message=run.error_message,
                    starting_condition=run.starting_condition,
                )
            )
            seq = _run_seq(conn, run.id)
            rows = [_node_values(seq or 0, n) for n in nodes]
            if rows:
                conn.execute(insert(_n), rows)
        return True

    def get_run(self, run_id: str) -> WorkflowRunRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(_RUNS.where(_r.c.id == run_id)).first()
        return None if row is None else _run(row)

    def runs(self, workflow_name: str, before: int | None, limit: int) -> Runs:
        query = _RUNS.where(_w.c.name == workflow_name).order_by(_r.c.seq.desc()).limit(limit)
        if before is not None:
            query = query.where(_r.c.seq < before)
        with self.sql.read() as conn:
            return [_run(r) for r in conn.execute(query)]

    def set_status(
        self,
        run_id: str,
        expected: Collection[str],
        status: str,
        completed_on: float | None = None,
        error_message: str | None = None,
    ) -> bool:
        values: dict[str, Any] = {"status": status, "completed_on": completed_on}
        if error_message is not None:
            values["error_message"] = error_message
        with self.sql.write() as conn:
            moved = conn.execute(
                update(_r).where(_r.c.id == run_id, _r.c.status.in_(list(expected))).values(values)
            ).rowcount
        return bool(moved)

    def merge_properties(self, run_id: str, properties: Mapping[str, str]) -> bool:
        with self.sql.write() as conn:
            query = self._locking(select(_r.c.properties).where(_r.c.id == run_id))
            row = conn.execute(query).first()
            if row is None:
                return False
            merged = {**row.properties, **properties}
            conn.execute(update(_r).where(_r.c.id == run_id).values(properties=merged))
        return True

    def claim_node(self, run_id: str, node: NodeRecord) -> bool:
        try:
            with self.sql.write() as conn:
                seq = _run_seq(conn, run_id)
                if seq is None:
                    return False
                conn.execute(insert(_n).values(_node_values(seq, node)))
        except IntegrityError:
            return False
        return True

    def finish_node(
        self, kind: str, node_run_id: str, state: str, completed_on: float, error: str | None
    ) -> str | None:
        where = (_n.c.kind == kind, _n.c.run_id == node_run_id)
        with self.sql.write() as conn:
            # A resumed run copies its predecessor's finished nodes: the newest run is the
            # one waiting for this outcome.
            seq = conn.execute(select(func.max(_n.c.run_seq)).where(*where)).scalar()
            if seq is None:
                return None
            conn.execute(
                update(_n)
                .where(*where, _n.c.run_seq == seq)
                .values(state=state, completed_on=completed_on, error_message=error)
            )
            found = conn.execute(select(_r.c.id).where(_r.c.seq == seq)).scalar()
        return None if found is None else str(found)

    def attach_node(self, run_id: str, kind: str, name: str, node_run_id: str) -> None:
        with self.sql.write() as conn:
            seq = _run_seq(conn, run_id)
            conn.execute(
                update(_n)
                .where(_n.c.run_seq == seq, _n.c.kind == kind, _n.c.name == name)
                .values(run_id=node_run_id)
            )

    def nodes(self, run_id: str) -> builtins.list[NodeRecord]:
        query = (
            select(_n)
            .join(_r, _r.c.seq == _n.c.run_seq)
            .where(_r.c.id == run_id)
            .order_by(_n.c.started_on, _n.c.kind, _n.c.name)
        )
        with self.sql.read() as conn:
            return [_node(r) for r in conn.execute(query)]


def workflow_triggers(sql: SqlStore, workflow_name: str) -> Sequence[str]:
    """The names of the triggers that say they belong to ``workflow_name``."""
    t = schema.triggers
    query = select(t.c.name).where(t.c.workflow_name == workflow_name).order_by(t.c.name)
    with sql.read() as conn:
        return [str(n) for n in conn.execute(query).scalars()]
