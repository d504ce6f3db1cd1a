"""Workflow runs: start, follow, stop and resume (reference §6.3).

A run snapshots the workflow's triggers when it starts and follows only that snapshot: later
trigger edits do not change it (job and crawler edits do, as in Glue). Its start trigger fires
at once; a conditional trigger of the snapshot fires when jobs or crawls *of the same run* meet
its predicate, if the trigger is ACTIVATED (as in Glue, where a conditional trigger created
without StartOnCreation leaves a workflow stuck after its first jobs). Jobs it starts get
``--WORKFLOW_NAME`` and ``--WORKFLOW_RUN_ID``; crawls cannot take arguments. The run ends
COMPLETED when nothing of it is left running, even if nodes failed (Glue: check the
statistics), or STOPPED after a stop.

Outcomes of job runs and crawls arrive on the trigger scheduler's thread (``outcome``), so runs
move on one at a time. Each node is claimed in the store before it starts (see
``openglue.store.workflows``), and a job run's id is derived from the workflow run and the job:
an outcome examined twice (after a restart) starts nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from openglue.errors import (
    ConcurrentRunsExceededException,
    EntityNotFoundException,
    GlueError,
    IllegalWorkflowStateException,
    InvalidInputException,
)
from openglue.jobs.runs import JobRunService
from openglue.scheduler.clock import Clock
from openglue.scheduler.conditions import predecessors, runs_meeting
from openglue.scheduler.workflow_codec import ACTIVE_NODE_STATES, workflow_to_aws
from openglue.scheduler.workflow_graph import start_triggers, watchers
from openglue.scheduler.workflow_resume import plan_resume
from openglue.scheduler.workflow_run_views import ATTEMPT, latest_attempt, run_shape
from openglue.scheduler.workflows import WorkflowService
from openglue.store.triggers import Outcome, TriggerRecord
from openglue.store.workflows import (
    NodeRecord,
    WorkflowRecord,
    WorkflowRunRecord,
    WorkflowStore,
)

log = logging.getLogger("openglue.workflows")

_RUN_MEMBERS = ("Timeout", "SecurityConfiguration", "NotificationProperty")


def workflow_job_run_id(workflow_run_id: str, job: str) -> str:
    identity = f"{workflow_run_id}\0{job}"
    return "jr_" + hashlib.sha256(identity.encode()).hexdigest()


def new_workflow_run_id() -> str:
    return "wr_" + secrets.token_hex(32)


def fire_workflow_run_id(trigger: TriggerRecord, fire_key: str) -> str:
    """The run a start trigger's fire starts: one per fire, whoever carries the fire out."""
    identity = f"{trigger.name}\0{trigger.created_on!r}\0{fire_key}"
    return "wr_" + hashlib.sha256(identity.encode()).hexdigest()


def _run_properties(given: Mapping[str, str] | None) -> dict[str, str]:
    for key in given or {}:
        if key.startswith("aws:"):
            raise InvalidInputException(
                f"Run property {key!r}: keys starting with 'aws:' are reserved for Glue"
            )
    return dict(given or {})


class WorkflowRuns:
    def __init__(
        self,
        store: WorkflowStore,
        workflows: WorkflowService,
        job_runs: JobRunService,
        clock: Clock,
    ) -> None:
        self.store = store
        self.workflows = workflows
        self.job_runs = job_runs
        self.clock = clock
        self.crawlers: Any = None  # the crawl runner, once the server has one
        workflows.on_delete = self._stop_all

    # Starting

    def start(
        self,
        name: str,
        run_properties: Mapping[str, str] | None = None,
        start_trigger: str | None = None,
        start_context: Mapping[str, Any] | None = None,
        run_id: str | None = None,
    ) -> str:
        """StartWorkflowRun (or a start trigger firing): the new run's id. A given ``run_id``
        makes it idempotent: a run of that id that exists is carried on, not started again
        (a trigger fire resumed after a crash)."""
        existing = self.store.get_run(run_id) if run_id else None
        if existing is not None:
            for trigger in start_triggers(existing.graph):
                if start_trigger is None or trigger["Name"] == start_trigger:
                    self._fire(existing, trigger, [])
            self._settle(existing.id)
            return existing.id
        workflow = self.workflows.get(name)
        snapshot = self.workflows.trigger_shapes(name)
        starters = [
            t
            for t in start_triggers(snapshot)
            if start_trigger is None or t["Name"] == start_trigger
        ]
        if not starters:
            raise InvalidInputException(
                f"Workflow {name} has no start trigger: create an ON_DEMAND, SCHEDULED or "
                f"EVENT trigger with WorkflowName {name} that starts its first jobs or crawlers"
            )
        properties = {
            **workflow.spec.get("DefaultRunProperties", {}),
            **_run_properties(run_properties),
        }
        context = start_context or {}
        if context.get("EventIds"):
            properties["aws:eventIds"] = json.dumps(context["EventIds"])  # as Glue names them
        run = WorkflowRunRecord(
            id=run_id or new_workflow_run_id(),
            workflow_name=name,
            status="RUNNING",
            properties=properties,
            graph=snapshot,
            started_on=self.clock.now(),
            starting_condition=context.get("StartingEventBatchCondition"),
        )
        if not self.store.start_run(run, workflow.spec.get("MaxConcurrentRuns")):
            raise ConcurrentRunsExceededException(
                f"Workflow {name} already has {workflow.spec['MaxConcurrentRuns']} run(s) going, "
                "its MaxConcurrentRuns; wait for one to end or raise the limit with UpdateWorkflow"
            )
        log.info("workflow %s: run %s started", name, run.id)
        for trigger in starters:
            self._fire(run, trigger, [])
        self._settle(run.id)
        return run.id

    def _fire(
        self, run: WorkflowRunRecord, trigger: Mapping[str, Any], preds: list[dict[str, str]]
    ) -> None:
        fired = NodeRecord("trigger", str(trigger["Name"]), "FIRED", self.clock.now())
        if not self.store.claim_node(run.id, fired):
            return  # this run already fired it
        for action in trigger.get("Actions", []):
            self._start_action(run, str(trigger["Name"]), action, preds)

    def _start_action(
        self,
        run: WorkflowRunRecord,
        trigger: str,
        action: Mapping[str, Any],
        preds: list[dict[str, str]],
    ) -> None:
        if action.get("JobName") is not None:
            self._start_job(run, trigger, action, preds)
        else:
            self._start_crawler(run, trigger, str(action["CrawlerName"]))

    def _start_job(
        self,
        run: WorkflowRunRecord,
        trigger: str,
        action: Mapping[str, Any],
        preds: list[dict[str, str]],
    ) -> None:
        job = str(action["JobName"])
        run_id = workflow_job_run_id(run.id, job)
        node = NodeRecord("job", job, "STARTING", self.clock.now(), run_id, started_by=trigger)
        if not self.store.claim_node(run.id, node):
            return
        arguments = {
            **(action.get("Arguments") or {}),
            "--WORKFLOW_NAME": run.workflow_name,
            "--WORKFLOW_RUN_ID": run.id,
        }
        request = {"Arguments": arguments, **{k: action[k] for k in _RUN_MEMBERS if k in action}}
        started_by = {"TriggerName": trigger, "PredecessorRuns": preds}
        try:
            self.job_runs.start(job, request, started_by=started_by, run_id=run_id)
        except ConcurrentRunsExceededException as exc:
            # Glue records such a run FAILED ("exceeded its maximum allowed concurrent
            # runs"), and a FAILED job is something conditional triggers can watch.
            log.warning("workflow run %s: cannot start job %s: %s", run.id, job, exc.message)
            failed = Outcome("job", job, run_id, "FAILED", self.clock.now(), trigger)
            self.outcome(failed, exc.message)
        except GlueError as exc:  # a deleted job: Glue's ERROR
            log.warning("workflow run %s: cannot start job %s: %s", run.id, job, exc.message)
            self.store.finish_node("job", run_id, "ERROR", self.clock.now(), exc.message)

    def _start_crawler(self, run: WorkflowRunRecord, trigger: str, crawler: str) -> None:
        node = NodeRecord("crawler", crawler, "RUNNING", self.clock.now(), started_by=trigger)
        if not self.store.claim_node(run.id, node):
            return
        placeholder = f"unstarted:{run.id}:{crawler}"
        try:
            if self.crawlers is None:
                raise InvalidInputException("this OpenGlue server has no crawler service")
            crawl_id = str(self.crawlers.start(crawler))
        except GlueError as exc:
            self.store.attach_node(run.id, "crawler", crawler, placeholder)
            self.store.finish_node("crawler", placeholder, "ERROR", self.clock.now(), exc.message)
            return
        self.store.attach_node(run.id, "crawler", crawler, crawl_id)

    # Following

    def outcome(self, ended: Outcome, error: str | None = None) -> None:
        """A job run or crawl ended: fire what it meets in its workflow run, if it has one."""
        run_id = self.store.finish_node(
            ended.kind, ended.run_id, ended.state, ended.finished_on, error
        )
        first_attempt = ended.run_id.split(ATTEMPT)[0]
        if run_id is None and ended.kind == "job" and first_attempt != ended.run_id:
            # A retry (jr_<id>_attempt_<n>) of a run the workflow started: the node now shows
            # the last attempt, as its JobDetails.
            run_id = self.store.finish_node(
                "job", first_attempt, ended.state, ended.finished_on, None
            )
            if run_id is not None:
                self.store.attach_node(run_id, "job", ended.name, ended.run_id)
        if run_id is None:
            return
        run = self.store.get_run(run_id)
        if run is None:
            return
        if run.status == "RUNNING":
            latest = {
                (n.kind, n.name): Outcome(n.kind, n.name, n.run_id or "", n.state, 0.0, "")
                for n in self.store.nodes(run.id)
                if n.kind != "trigger" and n.state not in ACTIVE_NODE_STATES
            }
            ended_here = Outcome(ended.kind, ended.name, ended.run_id, ended.state, 0.0, "")
            for trigger in watchers(run.graph, (ended.kind, ended.name)):
                if trigger.get("State") != "ACTIVATED":
                    # As in Glue: a conditional trigger left CREATED (no StartOnCreation, no
                    # StartTrigger) or DEACTIVATED does not fire, in a workflow either.
                    log.info(
                        "workflow run %s: trigger %s is not activated", run.id, trigger["Name"]
                    )
                    continue
                met = runs_meeting(trigger.get("Predicate") or {}, ended_here, latest)
                if met is not None:
                    self._fire(run, trigger, predecessors(met))
        self._settle(run.id)

    def _settle(self, run_id: str) -> None:
        """End the run once none of its jobs or crawls is still going."""
        nodes = self.store.nodes(run_id)
        if any(n.kind != "trigger" and n.state in ACTIVE_NODE_STATES for n in nodes):
            return
        stamp = self.clock.now()
        if self.store.set_status(run_id, ("RUNNING",), "COMPLETED", stamp):
            log.info("workflow run %s: COMPLETED", run_id)
        elif self.store.set_status(run_id, ("STOPPING",), "STOPPED", stamp):
            log.info("workflow run %s: STOPPED", run_id)

    # Stopping and resuming

    def get(self, name: str, run_id: str) -> WorkflowRunRecord:
        run = self.store.get_run(run_id)
        if run is None or run.workflow_name != name:
            self.workflows.get(name)
            raise EntityNotFoundException(f"Workflow run {run_id} of workflow {name} not found.")
        return run

    def stop(self, name: str, run_id: str) -> None:
        run = self.get(name, run_id)
        if not self.store.set_status(run.id, ("RUNNING",), "STOPPING"):
            raise IllegalWorkflowStateException(
                f"Workflow run {run_id} is {self.get(name, run_id).status}: only a RUNNING run "
                "can be stopped"
            )
        for node in self.store.nodes(run.id):
            if node.state in ACTIVE_NODE_STATES and node.run_id is not None:
                self._stop_node(node)
        self._settle(run.id)

    def _stop_node(self, node: NodeRecord) -> None:
        """Stop a node's job run or crawl. One that is no longer going (a crawl cut short by
        a server restart, a job whose end was never reported) is closed here, so the run can
        still reach STOPPED."""
        assert node.run_id is not None
        stamp = self.clock.now()
        if node.kind == "job":
            latest = latest_attempt(self.job_runs.store, node.run_id)
            if latest is None:
                self.store.finish_node("job", node.run_id, "ERROR", stamp, "never started")
            elif self.job_runs.stop_many(node.name, [latest.id])[1]:
                self.store.finish_node("job", node.run_id, latest.state, stamp, None)
            return
        try:
            if self.crawlers is None:
                raise InvalidInputException("this OpenGlue server has no crawler service")
            self.crawlers.stop(node.name)
        except GlueError as exc:
            self.store.finish_node("crawler", node.run_id, "CANCELLED", stamp, exc.message)

    def _stop_all(self, name: str) -> None:
        for run in self.store.runs(name, None, 1000):
            if run.status == "RUNNING":
                try:
                    self.stop(name, run.id)
                except GlueError as exc:
                    log.warning("workflow %s: cannot stop run %s: %s", name, run.id, exc)

    def resume(self, name: str, run_id: str, node_ids: Sequence[str]) -> tuple[str, list[str]]:
        """ResumeWorkflowRun: the new run's id and the node ids it actually restarts."""
        run = self.get(name, run_id)
        if run.status != "COMPLETED":
            raise IllegalWorkflowStateException(
                f"Workflow run {run_id} is {run.status}: only a COMPLETED run can be resumed"
            )
        nodes = self.store.nodes(run.id)
        plan = plan_resume(run, nodes, node_ids)
        workflow = self.workflows.get(name)
        resumed = WorkflowRunRecord(
            id=new_workflow_run_id(),
            workflow_name=name,
            status="RUNNING",
            properties=run.properties,
            graph=run.graph,
            started_on=self.clock.now(),
            previous_run_id=run.id,
        )
        if not self.store.start_run(resumed, workflow.spec.get("MaxConcurrentRuns"), plan.kept):
            raise ConcurrentRunsExceededException(
                f"Workflow {name} already has {workflow.spec['MaxConcurrentRuns']} run(s) going"
            )
        for trigger, action in plan.restarts:
            self._start_action(resumed, trigger, action, [])
        self._settle(resumed.id)
        return resumed.id, plan.node_ids

    def fire_start_trigger(
        self, trigger: TriggerRecord, fire_key: str, context: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A workflow's start trigger fired (its schedule, StartTrigger, or a batch of events):
        start a run of the workflow; the fire's outcome. The fire's ``context`` holds an EVENT
        trigger's batch (see event_batches.fire_batch)."""
        name = str(trigger.workflow_name)
        try:
            run_id = self.start(
                name, None, trigger.name, context, fire_workflow_run_id(trigger, fire_key)
            )
        except GlueError as exc:
            log.warning("trigger %s: cannot start workflow %s: %s", trigger.name, name, exc)
            return {"WorkflowName": name, "ErrorCode": exc.code, "ErrorMessage": exc.message}
        return {"WorkflowName": name, "WorkflowRunId": run_id}

    # Reading

    def run_shape(self, run: WorkflowRunRecord, include_graph: bool = False) -> dict[str, Any]:
        """The ``WorkflowRun`` shape, with its graph's job runs when asked."""
        return run_shape(self.store.nodes(run.id), run, self.job_runs.store, include_graph)

    def workflow_shape(self, record: WorkflowRecord, include_graph: bool) -> dict[str, Any]:
        latest = self.store.runs(record.name, None, 1)
        last_run = self.run_shape(latest[0]) if latest else None
        graph = self.workflows.static_graph(record.name) if include_graph else None
        return workflow_to_aws(record, last_run, graph)

    def properties(self, name: str, run_id: str) -> dict[str, str]:
        return self.get(name, run_id).properties

    def put_properties(self, name: str, run_id: str, properties: Mapping[str, str]) -> None:
        """PutWorkflowRunProperties: add and overwrite; other keys stay."""
        self.get(name, run_id)
        if not self.store.merge_properties(run_id, _run_properties(properties)):
            raise EntityNotFoundException(f"Workflow run {run_id} of workflow {name} not found.")
