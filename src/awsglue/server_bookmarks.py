"""Bookmark state kept by the Glue endpoint the job runs against (an OpenGlue server).

``job.init`` reads the job's bookmark with GetJobBookmark (boto3, like every other call of the
runtime); under ``job-bookmark-pause`` with ``--job-bookmark-from/-to`` it reads the states
those two runs committed instead. ``job.commit`` sends the staged elements with OpenGlue's
private ``OpenGlue.CommitJobBookmark`` operation — Glue's public API has no call that writes a
bookmark — signed with SigV4 like any boto3 request, and naming the Version read at init: if
another run committed meanwhile the server refuses, and ``commit`` raises
``BookmarkCommitError`` so the run fails instead of overwriting the other run's progress.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from awsglue.bookmarks import ENABLE, PAUSE, BookmarkState, StateElement

__all__ = ["COMMIT_TARGET", "BookmarkCommitError", "ServerBookmarks", "open_server_bookmarks"]

log = logging.getLogger("awsglue.bookmarks")

COMMIT_TARGET = "OpenGlue.CommitJobBookmark"


class BookmarkCommitError(RuntimeError):
    """The server refused or could not take the bookmark commit; nothing was saved."""


def _state(entry: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    if not entry:
        return {}
    parsed = json.loads(entry.get("JobBookmark") or "{}")
    return {ctx: dict(element) for ctx, element in parsed.items() if isinstance(element, dict)}


class ServerBookmarks(BookmarkState):
    """``BookmarkState`` read from and committed to the Glue endpoint of ``client``."""

    def __init__(
        self,
        job_name: str,
        option: str,
        client: Any,
        latest: Mapping[str, Any] | None,
        *,
        run_id: str | None = None,
        lower: Mapping[str, Any] | None = None,
        upper: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(job_name, option)
        self._client = client
        self._run_id = run_id
        self.version = int(latest["Version"]) if latest else 0
        self._lower = _state(latest if lower is None else lower)
        self._upper = _state(upper) if upper is not None else None
        self._staged: dict[str, dict[str, str]] = {}

    def get(self, transformation_ctx: str) -> StateElement | None:
        element = self._lower.get(transformation_ctx)
        return None if element is None else dict(element)

    def upper_bound(self, transformation_ctx: str) -> StateElement | None:
        if self._upper is None:
            return None
        return dict(self._upper.get(transformation_ctx, {}))

    def update(self, transformation_ctx: str, element: StateElement) -> None:
        if self.tracking:
            self._staged[transformation_ctx] = dict(element)

    def commit(self) -> None:
        staged, self._staged = self._staged, {}
        if self.option != ENABLE or not staged:
            return
        body: dict[str, Any] = {
            "JobName": self.job_name,
            "ExpectedVersion": self.version,
            "JobBookmark": staged,
        }
        if self._run_id:
            body["RunId"] = self._run_id
        entry = _post(self._client, COMMIT_TARGET, body)["JobBookmarkEntry"]
        self.version = int(entry["Version"])
        self._lower = _state(entry)
        log.info("job bookmark of %s committed as version %s", self.job_name, self.version)


def _post(client: Any, target: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST ``body`` to the client's endpoint as ``target``, SigV4-signed with the default
    session's credentials (those the runtime's Glue client is made with)."""
    import boto3
    from botocore.exceptions import ClientError

    from awsglue.private_request import post_private

    credentials = boto3.session.Session().get_credentials()
    try:
        return post_private(client, target, body, credentials)
    except ClientError as error:
        code, message = error.response["Error"]["Code"], error.response["Error"]["Message"]
        raise BookmarkCommitError(
            f"the job bookmark of {body.get('JobName')} was not saved: {code}: {message}"
        ) from None
    except OSError as error:
        raise BookmarkCommitError(
            f"the job bookmark of {body.get('JobName')} was not saved: the Glue endpoint "
            f"{client.meta.endpoint_url} could not be reached ({error})"
        ) from None


def _entry(client: Any, job_name: str, run_id: str | None = None) -> dict[str, Any] | None:
    request = {"JobName": job_name, **({"RunId": run_id} if run_id else {})}
    try:
        entry: dict[str, Any] = client.get_job_bookmark(**request)["JobBookmarkEntry"]
        return entry
    except client.exceptions.EntityNotFoundException:
        return None


def open_server_bookmarks(
    job_name: str, option: str, args: Mapping[str, object], client: Any = None
) -> ServerBookmarks | None:
    """The job's server-side state, or None when the endpoint has no job of that name (a
    script run by hand before the job is defined: bookmarks then stay in the process)."""
    from awsglue.catalog import glue_client

    client = client or glue_client()
    latest = _entry(client, job_name)
    if latest is None:
        try:
            client.get_job(JobName=job_name)
        except client.exceptions.EntityNotFoundException:
            log.warning(
                "Job %r is not defined at %s, so its job bookmark cannot be kept there and is"
                " kept in this process only; create the job (CreateJob) to persist it",
                job_name,
                client.meta.endpoint_url,
            )
            return None
    run_id = str(args.get("JOB_RUN_ID") or "") or None
    first, last = args.get("job_bookmark_from"), args.get("job_bookmark_to")
    if option != PAUSE or not (first and last):
        return ServerBookmarks(job_name, option, client, latest, run_id=run_id)
    lower, upper = _entry(client, job_name, str(first)), _entry(client, job_name, str(last))
    for name, found in ((first, lower), (last, upper)):
        if found is None:
            raise ValueError(
                f"--job-bookmark-from/-to: run {name} of job {job_name} committed no bookmark"
            )
    return ServerBookmarks(
        job_name, option, client, latest, run_id=run_id, lower=lower, upper=upper
    )
