"""What clients read of a workflow run: its ``WorkflowRun`` shape, with statistics and job
details taken live from the job runs (a node's row only changes when its run ends)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from openglue.jobs.runs import to_aws as job_run_to_aws
from openglue.scheduler.workflow_codec import ACTIVE_NODE_STATES, run_to_aws
from openglue.store.job_runs import JobRunRecord, JobRunStore
from openglue.store.workflows import NodeRecord, WorkflowRunRecord

ATTEMPT = "_attempt_"  # how the run ledger names a retry's run id: jr_<first id>_attempt_<n>


def latest_attempt(job_runs: JobRunStore, run_id: str) -> JobRunRecord | None:
    """The job run, or its latest retry."""
    found = job_runs.get(run_id)
    while found is not None and found.state == "FAILED":
        following = job_runs.get(f"{run_id.split(ATTEMPT)[0]}{ATTEMPT}{found.attempt + 1}")
        if following is None:
            break
        found = following
    return found


def run_shape(
    nodes: Sequence[NodeRecord],
    run: WorkflowRunRecord,
    job_runs: JobRunStore,
    include_graph: bool = False,
) -> dict[str, Any]:
    """The ``WorkflowRun`` shape; with ``include_graph``, each job node lists its run."""

    def job_run(run_id: str) -> dict[str, Any] | None:
        found = latest_attempt(job_runs, run_id)
        return None if found is None else job_run_to_aws(found)

    # A job node is STARTING until its run ends: the run (or its retry) says whether it is
    # queued (WAITING) or running now.
    live = [
        (n, latest_attempt(job_runs, n.run_id))
        if n.kind == "job" and n.run_id and n.state in ACTIVE_NODE_STATES
        else (n, None)
        for n in nodes
    ]
    current = [replace(n, state=found.state) if found else n for n, found in live]
    return run_to_aws(run, current, include_graph, job_run)
