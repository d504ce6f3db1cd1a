"""Building the workflow services and connecting them to triggers, job runs and crawls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openglue.catalog.tags import TagService
from openglue.jobs.runs import JobRunService
from openglue.scheduler.loop import Scheduler
from openglue.scheduler.triggers import TriggerService
from openglue.scheduler.workflow_runs import WorkflowRuns
from openglue.scheduler.workflows import WorkflowService
from openglue.store.sql import SqlStore
from openglue.store.workflows import SqlWorkflowStore


@dataclass
class WorkflowParts:
    workflows: WorkflowService
    runs: WorkflowRuns


def build_workflows(
    sql: SqlStore,
    triggers: TriggerService,
    job_runs: JobRunService,
    scheduler: Scheduler,
    tags: TagService,
    crawl_runner: Any,
) -> WorkflowParts:
    """Workflow runs learn how their job runs and crawls end on the scheduler's thread, start
    when one of their start triggers fires, and start crawls through the crawl runner."""
    store = SqlWorkflowStore(sql)
    workflows = WorkflowService(store, sql, triggers, tags, triggers.clock)
    runs = WorkflowRuns(store, workflows, job_runs, triggers.clock)
    runs.crawlers = crawl_runner
    scheduler.on_outcome.append(runs.outcome)
    triggers.firing.actions.workflows = runs
    tags.workflows = store
    triggers.workflow_exists = lambda name: store.get(name) is not None
    return WorkflowParts(workflows, runs)
