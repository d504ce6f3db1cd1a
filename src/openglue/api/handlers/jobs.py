"""CreateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.jobs.definitions import to_aws

DEFAULT_PAGE_SIZE = 100


@operation("CreateJob")
def create_job(ctx: RequestContext, body: Body) -> Body:
    return {"Name": ctx.services.jobs.create(body)}


@operation("GetJob")
def get_job(ctx: RequestContext, body: Body) -> Body:
    return {"Job": to_aws(ctx.services.jobs.get(body["JobName"]))}


@operation("GetJobs")
def get_jobs(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("GetJobs", body.get("NextToken"), str)
    records = ctx.services.jobs.list(after, limit + 1)
    page = records[:limit]
    result: Body = {"Jobs": [to_aws(r) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetJobs", page[-1].name)
    return result


@operation("ListJobs")
def list_jobs(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("ListJobs", body.get("NextToken"), str)
    records = ctx.services.jobs.list(after, limit + 1, body.get("Tags"))
    page = records[:limit]
    result: Body = {"JobNames": [r.name for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("ListJobs", page[-1].name)
    return result


@operation("BatchGetJobs")
def batch_get_jobs(ctx: RequestContext, body: Body) -> Body:
    found, missing = ctx.services.jobs.get_many(body["JobNames"])
    return {"Jobs": [to_aws(r) for r in found], "JobsNotFound": missing}


@operation("UpdateJob")
def update_job(ctx: RequestContext, body: Body) -> Body:
    ctx.services.jobs.update(body["JobName"], body["JobUpdate"])
    return {"JobName": body["JobName"]}


@operation("DeleteJob")
def delete_job(ctx: RequestContext, body: Body) -> Body:
    ctx.services.jobs.delete(body["JobName"])
    return {"JobName": body["JobName"]}
