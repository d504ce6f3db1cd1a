"""Workflows as the API sees them: Create/Get/Update/Delete/List/BatchGetWorkflows.

A workflow is a name, a description, default run properties and a MaxConcurrentRuns (absent:
unlimited); its graph is whatever triggers name it in their ``WorkflowName``. UpdateWorkflow
changes only the members it is given (Glue's reference says nothing of omitted ones; keeping
them is the least surprising). DeleteWorkflow deletes the workflow's triggers and its run
history with it, as Glue does, and answers without error for a workflow that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openglue.catalog.tags import TagService, check_tags
from openglue.errors import EntityNotFoundException, InvalidInputException
from openglue.scheduler.clock import Clock
from openglue.scheduler.triggers import TriggerService, to_aws
from openglue.scheduler.workflow_graph import graph
from openglue.store.sql import SqlStore
from openglue.store.workflows import WorkflowRecord, WorkflowStore, workflow_triggers

_MEMBERS = ("Description", "DefaultRunProperties", "MaxConcurrentRuns")


def not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Workflow {name} not found.")


def _spec(given: Mapping[str, Any]) -> dict[str, Any]:
    spec = {k: given[k] for k in _MEMBERS if given.get(k) is not None}
    for key in spec.get("DefaultRunProperties", {}):
        if key.startswith("aws:"):
            raise InvalidInputException(
                f"DefaultRunProperties key {key!r}: keys starting with 'aws:' are reserved"
            )
    return spec


class WorkflowService:
    def __init__(
        self,
        store: WorkflowStore,
        sql: SqlStore,
        triggers: TriggerService,
        tags: TagService,
        clock: Clock,
    ) -> None:
        self.store = store
        self.sql = sql
        self.triggers = triggers
        self.tags = tags
        self.clock = clock
        # Set by the run service: DeleteWorkflow must not leave runs going.
        self.on_delete: Callable[[str], None] = lambda _name: None

    def create(self, given: Mapping[str, Any]) -> str:
        check_tags(given.get("Tags") or {})
        name = str(given["Name"])
        stamp = self.clock.now()
        self.store.create(WorkflowRecord(name, _spec(given), stamp, stamp))
        self.tags.tag_new_resource("workflow", name, given.get("Tags"))
        return name

    def get(self, name: str) -> WorkflowRecord:
        record = self.store.get(name)
        if record is None:
            raise not_found(name)
        return record

    def names(self, after: str | None, limit: int) -> list[str]:
        return self.store.list(after, limit)

    def update(self, name: str, given: Mapping[str, Any]) -> str:
        current = self.get(name)
        spec = {**current.spec, **_spec(given)}
        self.store.replace(WorkflowRecord(name, spec, current.created_on, self.clock.now()))
        return name

    def delete(self, name: str) -> None:
        if self.store.get(name) is None:
            return
        self.on_delete(name)
        for trigger in workflow_triggers(self.sql, name):
            self.triggers.delete(trigger)
        if self.store.delete(name):
            self.tags.forget("workflow", name)

    def trigger_shapes(self, name: str) -> list[dict[str, Any]]:
        """The Trigger shapes of the workflow's triggers now: its graph's source."""
        found, _missing = self.triggers.get_many(workflow_triggers(self.sql, name))
        return [to_aws(t) for t in found]

    def static_graph(self, name: str) -> dict[str, Any]:
        return graph(name, self.trigger_shapes(name))

    def get_many(self, names: Sequence[str]) -> tuple[list[WorkflowRecord], list[str]]:
        found = {n: self.store.get(n) for n in dict.fromkeys(names)}
        return [r for r in found.values() if r is not None], [
            n for n, r in found.items() if r is None
        ]
