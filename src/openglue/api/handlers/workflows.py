"""CreateWorkflow, GetWorkflow, UpdateWorkflow, DeleteWorkflow, ListWorkflows,
BatchGetWorkflows, and the runs: StartWorkflowRun, GetWorkflowRun(s), StopWorkflowRun,
ResumeWorkflowRun, Get/PutWorkflowRunProperties."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token

LIST_PAGE_SIZE = 25  # ListWorkflows' maximum
RUNS_PAGE_SIZE = 100


@operation("CreateWorkflow")
def create_workflow(ctx: RequestContext, body: Body) -> Body:
    return {"Name": ctx.services.workflows.create(body)}


@operation("GetWorkflow")
def get_workflow(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.workflows.get(body["Name"])
    include = bool(body.get("IncludeGraph"))
    return {"Workflow": ctx.services.workflow_runs.workflow_shape(record, include)}


@operation("UpdateWorkflow")
def update_workflow(ctx: RequestContext, body: Body) -> Body:
    return {"Name": ctx.services.workflows.update(body["Name"], body)}


@operation("DeleteWorkflow")
def delete_workflow(ctx: RequestContext, body: Body) -> Body:
    ctx.services.workflows.delete(body["Name"])
    return {"Name": body["Name"]}


@operation("ListWorkflows")
def list_workflows(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or LIST_PAGE_SIZE
    after = decode_token("ListWorkflows", body.get("NextToken"), str)
    names = ctx.services.workflows.names(after, limit + 1)
    result: Body = {"Workflows": names[:limit]}
    if len(names) > limit:
        result["NextToken"] = encode_token("ListWorkflows", names[limit - 1])
    return result


@operation("BatchGetWorkflows")
def batch_get_workflows(ctx: RequestContext, body: Body) -> Body:
    found, missing = ctx.services.workflows.get_many(body["Names"])
    include = bool(body.get("IncludeGraph"))
    shapes = [ctx.services.workflow_runs.workflow_shape(r, include) for r in found]
    return {"Workflows": shapes, "MissingWorkflows": missing}


@operation("StartWorkflowRun")
def start_workflow_run(ctx: RequestContext, body: Body) -> Body:
    run_id = ctx.services.workflow_runs.start(body["Name"], body.get("RunProperties"))
    return {"RunId": run_id}


@operation("GetWorkflowRun")
def get_workflow_run(ctx: RequestContext, body: Body) -> Body:
    runs = ctx.services.workflow_runs
    run = runs.get(body["Name"], body["RunId"])
    return {"Run": runs.run_shape(run, bool(body.get("IncludeGraph")))}


@operation("GetWorkflowRuns")
def get_workflow_runs(ctx: RequestContext, body: Body) -> Body:
    runs = ctx.services.workflow_runs
    ctx.services.workflows.get(body["Name"])
    limit = body.get("MaxResults") or RUNS_PAGE_SIZE
    before = decode_token("GetWorkflowRuns", body.get("NextToken"), int)
    records = runs.store.runs(body["Name"], before, limit + 1)
    page = records[:limit]
    include = bool(body.get("IncludeGraph"))
    result: Body = {"Runs": [runs.run_shape(r, include) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetWorkflowRuns", page[-1].seq)
    return result


@operation("StopWorkflowRun")
def stop_workflow_run(ctx: RequestContext, body: Body) -> Body:
    ctx.services.workflow_runs.stop(body["Name"], body["RunId"])
    return {}


@operation("ResumeWorkflowRun")
def resume_workflow_run(ctx: RequestContext, body: Body) -> Body:
    run_id, node_ids = ctx.services.workflow_runs.resume(
        body["Name"], body["RunId"], body["NodeIds"]
    )
    return {"RunId": run_id, "NodeIds": node_ids}


@operation("GetWorkflowRunProperties")
def get_workflow_run_properties(ctx: RequestContext, body: Body) -> Body:
    properties = ctx.services.workflow_runs.properties(body["Name"], body["RunId"])
    return {"RunProperties": properties}


@operation("PutWorkflowRunProperties")
def put_workflow_run_properties(ctx: RequestContext, body: Body) -> Body:
    ctx.services.workflow_runs.put_properties(body["Name"], body["RunId"], body["RunProperties"])
    return {}
