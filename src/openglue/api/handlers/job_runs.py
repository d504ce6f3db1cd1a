"""StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.jobs.runs import to_aws

DEFAULT_PAGE_SIZE = 100


@operation("StartJobRun")
def start_job_run(ctx: RequestContext, body: Body) -> Body:
    return {"JobRunId": ctx.services.job_runs.start(body["JobName"], body)}


@operation("GetJobRun")
def get_job_run(ctx: RequestContext, body: Body) -> Body:
    return {"JobRun": to_aws(ctx.services.job_runs.get(body["JobName"], body["RunId"]))}


@operation("GetJobRuns")
def get_job_runs(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    before = decode_token("GetJobRuns", body.get("NextToken"), int)
    runs = ctx.services.job_runs.newest_first(body["JobName"], before, limit + 1)
    page = runs[:limit]
    result: Body = {"JobRuns": [to_aws(r) for r in page]}
    if len(runs) > limit:
        result["NextToken"] = encode_token("GetJobRuns", page[-1].seq)
    return result


@operation("BatchStopJobRun")
def batch_stop_job_run(ctx: RequestContext, body: Body) -> Body:
    job_name = body["JobName"]
    stopped, errors = ctx.services.job_runs.stop_many(job_name, body["JobRunIds"])
    return {
        "SuccessfulSubmissions": [{"JobName": job_name, "JobRunId": i} for i in stopped],
        "Errors": [
            {"JobName": job_name, "JobRunId": i, "ErrorDetail": detail}
            for i, detail in errors.items()
        ],
    }
