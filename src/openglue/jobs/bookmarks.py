"""Job bookmarks as Glue has them: GetJobBookmark, ResetJobBookmark (full reset, or rewind to
the state a run committed) and the commit a job's process makes at ``job.commit()``.

Rules kept here, not in the store:

- Only a live run of the job (STARTING or RUNNING) may commit; a run that has already ended —
  failed, timed out, stopped — is refused, so a failed run never moves the bookmark. A script
  run by hand (no run id) may commit too: that is how ``python job.py --JOB_NAME x`` against a
  server keeps its bookmark, as the same script does on Glue.
- A commit names the version it read at ``job.init``; if another run (or a reset) wrote a
  newer one meanwhile, the commit is refused with ``ConcurrentModificationException`` and
  nothing changes. The losing run then fails (its script's ``job.commit()`` raises), and a job
  with ``MaxRetries`` retries it from the new state — never a merge of two runs' views.
- ``Version`` grows by one per write (commit or reset); ``Run`` by one per commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from openglue.catalog.names import now
from openglue.errors import EntityNotFoundException, InvalidStateException
from openglue.store.job_bookmarks import BookmarkEntry, BookmarkState, JobBookmarkStore
from openglue.store.job_runs import JobRunStore

COMMITTING_STATES = ("STARTING", "RUNNING")


def to_aws(entry: BookmarkEntry) -> dict[str, Any]:
    """The ``JobBookmarkEntry`` shape (``JobBookmark`` is JSON text, as on Glue)."""
    result: dict[str, Any] = {
        "JobName": entry.job_name,
        "Version": entry.version,
        "Run": entry.run,
        "Attempt": entry.attempt,
        "JobBookmark": json.dumps(entry.state, sort_keys=True),
    }
    if entry.run_id:
        result["RunId"] = entry.run_id
    if entry.previous_run_id:
        result["PreviousRunId"] = entry.previous_run_id
    return result


class JobBookmarkService:
    def __init__(self, store: JobBookmarkStore, runs: JobRunStore) -> None:
        self.store = store
        self.runs = runs

    def get(self, job_name: str, run_id: str | None = None) -> BookmarkEntry:
        if run_id:
            entry = self.store.of_run(job_name, run_id)
            if entry is None:
                raise EntityNotFoundException(
                    f"Run {run_id} of job {job_name} committed no job bookmark"
                )
            return entry
        entry = self.store.latest(job_name)
        if entry is None:
            raise EntityNotFoundException(
                f"Job {job_name} has no job bookmark yet: none of its runs has committed one "
                "(bookmarks need --job-bookmark-option job-bookmark-enable, a "
                "transformation_ctx on each source, and job.init()/job.commit() in the script)"
            )
        return entry

    def reset(self, job_name: str, run_id: str | None = None) -> BookmarkEntry:
        """Without ``run_id``: forget everything (the next run reads all its input). With it:
        rewind to the state that run committed (the next run reads what came after it)."""
        latest = self.store.latest(job_name)
        target = self.get(job_name, run_id) if run_id else None
        if latest is None:
            return BookmarkEntry(job_name, 0, 0, 0, None, None, now())
        entry = BookmarkEntry(
            job_name=job_name,
            version=latest.version + 1,
            run=latest.run,
            attempt=target.attempt if target else 0,
            run_id=run_id,
            previous_run_id=latest.run_id,
            committed_on=now(),
            state=dict(target.state) if target else {},
        )
        self.store.append(entry, latest.version)
        return entry

    def commit(
        self,
        job_name: str,
        run_id: str | None,
        expected_version: int,
        elements: Mapping[str, Mapping[str, str]],
    ) -> BookmarkEntry:
        """Save ``elements`` (the ctxs this run read) over the state at ``expected_version``."""
        attempt = 0
        if run_id:
            run = self.runs.get(run_id)
            if run is None or run.job_name != job_name:
                raise EntityNotFoundException(
                    f"Job run {run_id} of job {job_name} not found: a job bookmark is "
                    "committed by a run of the job (or, for a script run by hand, without "
                    "--JOB_RUN_ID)"
                )
            if run.state not in COMMITTING_STATES:
                raise InvalidStateException(
                    f"Job run {run_id} is {run.state}: a run that has ended cannot commit "
                    "its job bookmark"
                )
            attempt = run.attempt
        latest = self.store.latest(job_name)
        state: BookmarkState = dict(latest.state) if latest else {}
        state.update({ctx: dict(element) for ctx, element in elements.items()})
        entry = BookmarkEntry(
            job_name=job_name,
            version=expected_version + 1,
            run=(latest.run if latest else 0) + 1,
            attempt=attempt,
            run_id=run_id,
            previous_run_id=latest.run_id if latest else None,
            committed_on=now(),
            state=state,
        )
        self.store.append(entry, expected_version)
        return entry
