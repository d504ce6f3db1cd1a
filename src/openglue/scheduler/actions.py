"""Running a trigger's actions: starting its jobs (and crawlers), and saying what happened.

A job action is a StartJobRun with the action's Arguments, Timeout, SecurityConfiguration and
NotificationProperty, and with ``TriggerName`` (and ``PredecessorRuns``, for conditional
triggers) recorded on the run. A crawler action calls the crawler service's ``start`` when
this server has one. One action failing (a deleted job, MaxConcurrentRuns reached) does not
stop the others: each outcome is recorded in the trigger's fire history.

The run id of a job action is derived from the fire (trigger, its creation time, fire key,
action index): starting an action twice for one fire finds the run already there. That is what
lets a fire cut short by a crash be resumed without starting anything twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from openglue.errors import GlueError
from openglue.jobs.runs import JobRunService
from openglue.store.triggers import TriggerRecord

log = logging.getLogger("openglue.scheduler")

_RUN_MEMBERS = ("Arguments", "Timeout", "SecurityConfiguration", "NotificationProperty")


class CrawlerStarter(Protocol):
    def start(self, name: str) -> Any: ...


def fire_run_id(trigger: TriggerRecord, fire_key: str, index: int) -> str:
    """The JobRunId of action ``index`` of one fire (Glue's ``jr_`` + 64 hex digits)."""
    identity = f"{trigger.name}\0{trigger.created_on!r}\0{fire_key}\0{index}"
    return "jr_" + hashlib.sha256(identity.encode()).hexdigest()


class ActionRunner:
    def __init__(self, job_runs: JobRunService) -> None:
        self.job_runs = job_runs
        # Set once the server's crawl runner exists (it is built alongside this one).
        self.crawlers: Any = None
        # Crawl id → the trigger that started it, until the crawl ends: conditional triggers
        # only follow crawls that a trigger started. Kept in memory: a crawl outlives no
        # server (a restart ends it FAILED).
        self.crawls_started: dict[str, str] = {}
        # Set once the workflow run service exists (openglue.scheduler.workflow_wiring).
        self.workflows: Any = None

    def run(
        self,
        trigger: TriggerRecord,
        fire_key: str,
        predecessor_runs: Sequence[dict[str, str]] = (),
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Start every action; one outcome per action, in order. A workflow's start trigger
        starts a run of its workflow instead, which runs the actions (``context`` is the
        fire's: an EVENT trigger's batch becomes the run's ``aws:eventIds``)."""
        if trigger.workflow_name and self.workflows is not None:
            return [self.workflows.fire_start_trigger(trigger, fire_key, context)]
        outcomes = []
        for index, action in enumerate(trigger.spec.get("Actions", [])):
            if action.get("JobName") is not None:
                run_id = fire_run_id(trigger, fire_key, index)
                outcome = self._start_job(trigger.name, action, predecessor_runs, run_id)
            else:
                outcome = self._start_crawler(trigger.name, action["CrawlerName"])
            outcomes.append(outcome)
        return outcomes

    def _start_job(
        self,
        trigger_name: str,
        action: dict[str, Any],
        predecessor_runs: Sequence[dict[str, str]],
        run_id: str,
    ) -> dict[str, Any]:
        job = action["JobName"]
        request = {k: action[k] for k in _RUN_MEMBERS if action.get(k) is not None}
        started_by = {"TriggerName": trigger_name, "PredecessorRuns": list(predecessor_runs)}
        try:
            run_id = self.job_runs.start(job, request, started_by=started_by, run_id=run_id)
        except GlueError as exc:
            log.warning("trigger %s: cannot start job %s: %s", trigger_name, job, exc.message)
            return {"JobName": job, "ErrorCode": exc.code, "ErrorMessage": exc.message}
        log.info("trigger %s started job %s run %s", trigger_name, job, run_id)
        return {"JobName": job, "JobRunId": run_id}

    def _start_crawler(self, trigger_name: str, crawler: str) -> dict[str, Any]:
        starter = self.crawlers
        if starter is None or not callable(getattr(starter, "start", None)):
            message = f"cannot start crawler {crawler}: this OpenGlue server has no crawler service"
            log.warning("trigger %s: %s", trigger_name, message)
            return {"CrawlerName": crawler, "ErrorCode": "NotImplemented", "ErrorMessage": message}
        try:
            crawl_id = starter.start(crawler)
        except GlueError as exc:
            log.warning("trigger %s: cannot start crawler %s: %s", trigger_name, crawler, exc)
            return {"CrawlerName": crawler, "ErrorCode": exc.code, "ErrorMessage": exc.message}
        log.info("trigger %s started crawler %s (crawl %s)", trigger_name, crawler, crawl_id)
        if isinstance(crawl_id, str):
            self.crawls_started[crawl_id] = trigger_name
            return {"CrawlerName": crawler, "CrawlId": crawl_id}
        return {"CrawlerName": crawler}
