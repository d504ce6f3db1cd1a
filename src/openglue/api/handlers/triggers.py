"""CreateTrigger, GetTrigger, GetTriggers, ListTriggers, BatchGetTriggers, UpdateTrigger,
DeleteTrigger, StartTrigger, StopTrigger, and OpenGlue's private GetTriggerFires."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.api.private_ops import SERVICE as PRIVATE
from openglue.scheduler.triggers import to_aws

DEFAULT_PAGE_SIZE = 100


@operation("CreateTrigger")
def create_trigger(ctx: RequestContext, body: Body) -> Body:
    return {"Name": ctx.services.triggers.create(body)}


@operation("GetTrigger")
def get_trigger(ctx: RequestContext, body: Body) -> Body:
    return {"Trigger": to_aws(ctx.services.triggers.get(body["Name"]))}


@operation("GetTriggers")
def get_triggers(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("GetTriggers", body.get("NextToken"), str)
    records = ctx.services.triggers.list(after, limit + 1, body.get("DependentJobName"))
    page = records[:limit]
    result: Body = {"Triggers": [to_aws(r) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetTriggers", page[-1].name)
    return result


@operation("ListTriggers")
def list_triggers(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("ListTriggers", body.get("NextToken"), str)
    records = ctx.services.triggers.list(
        after, limit + 1, body.get("DependentJobName"), body.get("Tags")
    )
    page = records[:limit]
    result: Body = {"TriggerNames": [r.name for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("ListTriggers", page[-1].name)
    return result


@operation("BatchGetTriggers")
def batch_get_triggers(ctx: RequestContext, body: Body) -> Body:
    found, missing = ctx.services.triggers.get_many(body["TriggerNames"])
    return {"Triggers": [to_aws(r) for r in found], "TriggersNotFound": missing}


@operation("UpdateTrigger")
def update_trigger(ctx: RequestContext, body: Body) -> Body:
    return {"Trigger": to_aws(ctx.services.triggers.update(body["Name"], body["TriggerUpdate"]))}


@operation("DeleteTrigger")
def delete_trigger(ctx: RequestContext, body: Body) -> Body:
    ctx.services.triggers.delete(body["Name"])
    return {"Name": body["Name"]}


@operation("StartTrigger")
def start_trigger(ctx: RequestContext, body: Body) -> Body:
    ctx.services.triggers.start(body["Name"])
    return {"Name": body["Name"]}


@operation("StopTrigger")
def stop_trigger(ctx: RequestContext, body: Body) -> Body:
    ctx.services.triggers.stop(body["Name"])
    return {"Name": body["Name"]}


@operation("GetTriggerFires", service=PRIVATE)
def get_trigger_fires(ctx: RequestContext, body: Body) -> Body:
    fires = ctx.services.triggers.history(body["Name"], body.get("MaxResults", 20))
    shown = []
    for fire in fires:
        entry = {
            "FireKey": fire.fire_key,
            "Reason": fire.reason,
            "FiredOn": fire.fired_on,
            "DueOn": fire.due_on,
            "Owner": fire.owner,
            "Outcome": fire.outcome,  # absent while (or if never) its actions ran
            # An EVENT trigger's batch: the new objects that fired it, and why it was complete.
            "Objects": (fire.context or {}).get("Objects"),
            "StartingEventBatchCondition": (fire.context or {}).get("StartingEventBatchCondition"),
        }
        shown.append({k: v for k, v in entry.items() if v is not None})
    return {"Fires": shown}
