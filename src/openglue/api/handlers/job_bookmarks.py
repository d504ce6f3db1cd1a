"""GetJobBookmark, ResetJobBookmark, and OpenGlue's private CommitJobBookmark."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.private_ops import SERVICE as PRIVATE
from openglue.jobs.bookmarks import to_aws


@operation("GetJobBookmark")
def get_job_bookmark(ctx: RequestContext, body: Body) -> Body:
    entry = ctx.services.job_bookmarks.get(body["JobName"], body.get("RunId"))
    return {"JobBookmarkEntry": to_aws(entry)}


@operation("ResetJobBookmark")
def reset_job_bookmark(ctx: RequestContext, body: Body) -> Body:
    entry = ctx.services.job_bookmarks.reset(body["JobName"], body.get("RunId"))
    return {"JobBookmarkEntry": to_aws(entry)}


@operation("CommitJobBookmark", service=PRIVATE)
def commit_job_bookmark(ctx: RequestContext, body: Body) -> Body:
    entry = ctx.services.job_bookmarks.commit(
        body["JobName"], body.get("RunId"), body["ExpectedVersion"], body["JobBookmark"]
    )
    return {"JobBookmarkEntry": to_aws(entry)}
