"""CreateConnection, GetConnection, GetConnections, UpdateConnection, DeleteConnection,
BatchDeleteConnection."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.catalog.connections import to_aws
from openglue.errors import InvalidInputException

DEFAULT_PAGE_SIZE = 100


@operation("CreateConnection")
def create_connection(ctx: RequestContext, body: Body) -> Body:
    status = ctx.services.connections.create(body["ConnectionInput"], body.get("Tags"))
    return {"CreateConnectionStatus": status}


@operation("GetConnection")
def get_connection(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.connections.get(body["Name"])
    return {"Connection": to_aws(record, bool(body.get("HidePassword")))}


@operation("GetConnections")
def get_connections(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("GetConnections", body.get("NextToken"))
    if after is not None and not isinstance(after, str):
        raise InvalidInputException("NextToken is not valid for this listing")
    records = ctx.services.connections.list(after, limit + 1, body.get("Filter"))
    page = records[:limit]
    hide = bool(body.get("HidePassword"))
    result: Body = {"ConnectionList": [to_aws(r, hide) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetConnections", page[-1].name)
    return result


@operation("UpdateConnection")
def update_connection(ctx: RequestContext, body: Body) -> Body:
    ctx.services.connections.update(body["Name"], body["ConnectionInput"])
    return {}


@operation("DeleteConnection")
def delete_connection(ctx: RequestContext, body: Body) -> Body:
    ctx.services.connections.delete(body["ConnectionName"])
    return {}


@operation("BatchDeleteConnection")
def batch_delete_connection(ctx: RequestContext, body: Body) -> Body:
    succeeded, errors = ctx.services.connections.delete_many(body["ConnectionNameList"])
    return {"Succeeded": succeeded, "Errors": errors}
