"""CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.catalog.databases import to_aws


@operation("CreateDatabase")
def create_database(ctx: RequestContext, body: Body) -> Body:
    ctx.services.databases.create(body["DatabaseInput"])
    return {}


@operation("GetDatabase")
def get_database(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.databases.get(body["Name"])
    return {"Database": to_aws(record, ctx.services.catalog_id)}


@operation("GetDatabases")
def get_databases(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or 100
    after = decode_token("GetDatabases", body.get("NextToken"))
    records = ctx.services.databases.list(after, limit + 1)
    page = records[:limit]
    result: Body = {"DatabaseList": [to_aws(r, ctx.services.catalog_id) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetDatabases", page[-1].name)
    return result


@operation("UpdateDatabase")
def update_database(ctx: RequestContext, body: Body) -> Body:
    ctx.services.databases.update(body["Name"], body["DatabaseInput"])
    return {}


@operation("DeleteDatabase")
def delete_database(ctx: RequestContext, body: Body) -> Body:
    ctx.services.databases.delete(body["Name"])
    return {}
