"""Triggers as the API sees them: Create/Get/Update/Delete/Start/StopTrigger and listings.

States: Glue reports transitional states (ACTIVATING, DEACTIVATING, UPDATING, …) while its
backend catches up; here every change is one transaction, so a trigger is only ever seen
CREATED, ACTIVATED or DEACTIVATED. ON_DEMAND triggers stay CREATED: StartTrigger fires them
at once (the runs exist when it returns) and StopTrigger has nothing to stop.

UpdateTrigger replaces the definition (omitted Description, Schedule, Predicate and
EventBatchingCondition are reset, as for UpdateJob) except where the trigger cannot be
without one: omitted Actions, and the Schedule of a SCHEDULED or Predicate of a CONDITIONAL
trigger, keep their current value. ``TriggerUpdate.Name`` is "reserved for future use" and
ignored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openglue import errors
from openglue.catalog.filtered_listing import filtered_page
from openglue.catalog.tags import TagService, check_tags
from openglue.errors import EntityNotFoundException, InvalidInputException
from openglue.jobs.definitions import JobService
from openglue.scheduler.clock import Clock
from openglue.scheduler.cron import parse_cron
from openglue.scheduler.event_sources import check_event_sources
from openglue.scheduler.firing import Firing
from openglue.scheduler.misfire import next_after
from openglue.scheduler.trigger_spec import links, trigger_spec
from openglue.store.triggers import Fires, Records, TriggerRecord, TriggerStore

_KEPT_ON_UPDATE = ("Actions", "Schedule", "Predicate")


def to_aws(record: TriggerRecord) -> dict[str, Any]:
    """The ``Trigger`` shape."""
    shape: dict[str, Any] = {"Name": record.name, "Type": record.type, "State": record.state}
    if record.workflow_name:
        shape["WorkflowName"] = record.workflow_name
    return {**shape, **record.spec}


def _raise_if_nothing_started(outcome: Sequence[Mapping[str, Any]]) -> None:
    """StartTrigger answers with the error when no action could start (Glue lists
    EntityNotFound and ConcurrentRunsExceeded for it); partial failures are in the history."""
    failures = [o for o in outcome if o.get("ErrorCode")]
    if not failures or len(failures) < len(outcome):
        return
    first = failures[0]
    kind = getattr(errors, str(first["ErrorCode"]), None)
    if not (isinstance(kind, type) and issubclass(kind, errors.GlueError)):
        kind = InvalidInputException
    raise kind(str(first["ErrorMessage"]))


def not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Trigger {name} not found.")


class TriggerService:
    def __init__(
        self,
        store: TriggerStore,
        jobs: JobService,
        tags: TagService,
        firing: Firing,
        clock: Clock,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.tags = tags
        self.firing = firing
        self.clock = clock
        self.wake = wake  # the scheduler: a schedule changed
        # Called with a trigger's name once it is ACTIVATED (EVENT triggers take stock of
        # the objects already under their prefixes: those are not new).
        self.on_activated: list[Callable[[str], None]] = []
        # Set by the workflow service: a trigger can only join a workflow that exists.
        self.workflow_exists: Callable[[str], bool] = lambda _name: True

    def create(self, given: Mapping[str, Any]) -> str:
        """CreateTrigger; ``given`` holds its members."""
        check_tags(given.get("Tags") or {})  # before creating: bad tags must leave nothing
        name, trigger_type = str(given["Name"]), str(given["Type"])
        if given.get("StartOnCreation") and trigger_type == "ON_DEMAND":
            raise InvalidInputException(
                "StartOnCreation is not allowed for ON_DEMAND triggers: they are never "
                "activated; fire one with StartTrigger"
            )
        spec = trigger_spec(trigger_type, given)
        self._check_jobs_exist(spec)
        if trigger_type == "EVENT":
            check_event_sources(given.get("Tags") or {})
        workflow = given.get("WorkflowName")
        if workflow is not None and not self.workflow_exists(str(workflow)):
            raise EntityNotFoundException(
                f"Workflow {workflow} not found: create it (CreateWorkflow) before its triggers"
            )
        active = bool(given.get("StartOnCreation"))
        stamp = self.clock.now()
        record = TriggerRecord(
            name=name,
            type=trigger_type,
            state="ACTIVATED" if active else "CREATED",
            spec=spec,
            created_on=stamp,
            last_modified_on=stamp,
            workflow_name=given.get("WorkflowName"),
            next_fire_on=self._next_fire(spec) if active else None,
        )
        self.store.create(record, links(spec))
        self.tags.tag_new_resource("trigger", name, given.get("Tags"))
        self.wake()
        if active:
            self._activated(name)
        return name

    def get(self, name: str) -> TriggerRecord:
        record = self.store.get(name)
        if record is None:
            raise not_found(name)
        return record

    def get_many(self, names: Sequence[str]) -> tuple[list[TriggerRecord], list[str]]:
        """The triggers found, in the order asked, and the names not found."""
        found = self.store.get_many(names)
        missing = list(dict.fromkeys(n for n in names if n not in found))
        return [found[n] for n in dict.fromkeys(names) if n in found], missing

    def list(
        self,
        after: str | None,
        limit: int,
        dependent_job: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Records:
        """Up to ``limit`` triggers after ``after``: only those starting ``dependent_job`` and
        carrying all of ``tags``, when given."""
        if dependent_job is not None:
            self.jobs.get(dependent_job)  # Glue answers EntityNotFound for a missing job

        def fetch(position: str | None, count: int) -> list[TriggerRecord]:
            return self.store.list(position, count, dependent_job)

        if not tags:
            return fetch(after, limit)
        wanted = set(tags.items())

        def tagged(record: TriggerRecord) -> bool:
            return wanted <= set(self.tags.of("trigger", record.name).items())

        return filtered_page(fetch, lambda r: r.name, tagged, after, limit)

    def update(self, name: str, trigger_update: Mapping[str, Any]) -> TriggerRecord:
        current = self.get(name)
        merged = dict(trigger_update)
        for member in _KEPT_ON_UPDATE:
            if merged.get(member) is None and member in current.spec:
                merged[member] = current.spec[member]
        spec = trigger_spec(current.type, merged)
        self._check_jobs_exist(spec)
        active = current.state == "ACTIVATED"
        updated = TriggerRecord(
            name=name,
            type=current.type,
            state=current.state,
            spec=spec,
            created_on=current.created_on,
            last_modified_on=self.clock.now(),
            workflow_name=current.workflow_name,
            next_fire_on=self._next_fire(spec) if active else None,
        )
        self.store.replace(updated, links(spec))
        self.wake()
        return updated

    def delete(self, name: str) -> None:
        if self.store.delete(name):
            self.tags.forget("trigger", name)

    def start(self, name: str) -> None:
        """StartTrigger: fire an ON_DEMAND trigger now; activate any other."""
        trigger = self.get(name)
        if trigger.type == "ON_DEMAND":
            key = f"start:{dt.datetime.fromtimestamp(self.clock.now(), dt.UTC).isoformat()}"
            outcome = self.firing.fire(trigger, f"{key}:{secrets.token_hex(4)}", "StartTrigger")
            _raise_if_nothing_started(outcome or [])
            return
        if trigger.state == "ACTIVATED":
            return
        changed = self.store.set_state(
            name, ("CREATED", "DEACTIVATED"), "ACTIVATED", self._next_fire(trigger.spec)
        )
        if changed is None:
            self.get(name)  # deleted meanwhile: EntityNotFound; else activated meanwhile
        self.wake()
        self._activated(name)

    def stop(self, name: str) -> None:
        """StopTrigger: deactivate; its schedule and predicate stop firing."""
        trigger = self.get(name)
        if trigger.type == "ON_DEMAND":
            raise InvalidInputException(
                f"Trigger {name} is ON_DEMAND: it is never activated, so there is nothing to stop"
            )
        self.store.set_state(name, ("CREATED", "ACTIVATED", "DEACTIVATED"), "DEACTIVATED", None)

    def history(self, name: str, limit: int = 20) -> Fires:
        """The trigger's latest fires (and skipped fires), newest first."""
        self.get(name)
        return self.store.fires(name, limit)

    def _activated(self, name: str) -> None:
        for callback in self.on_activated:
            callback(name)

    def _next_fire(self, spec: Mapping[str, Any]) -> float | None:
        if not spec.get("Schedule"):
            return None
        return next_after(parse_cron(spec["Schedule"]), self.clock.now())

    def _check_jobs_exist(self, spec: Mapping[str, Any]) -> None:
        for link in links(spec):
            if link.kind == "job" and self.jobs.store.get(link.name) is None:
                where = "an action" if link.role == "starts" else "the predicate"
                raise EntityNotFoundException(
                    f"Job {link.name} not found: {where} of the trigger names it; create the "
                    "job first"
                )
