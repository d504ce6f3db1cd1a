"""CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.catalog.databases import to_aws
from openglue.catalog.names import fold
from openglue.catalog.tags import check_tags


@operation("CreateDatabase")
def create_database(ctx: RequestContext, body: Body) -> Body:
    check_tags(body.get("Tags") or {})  # before creating: bad tags must leave nothing behind
    ctx.services.databases.create(body["DatabaseInput"])
    ctx.services.tags.tag_new_resource("database", body["DatabaseInput"]["Name"], body.get("Tags"))
    return {}


@operation("GetDatabase")
def get_database(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.databases.get(body["Name"])
    return {"Database": to_aws(record, ctx.services.catalog_id)}


@operation("GetDatabases")
def get_databases(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or 100
    after = decode_token("GetDatabases", body.get("NextToken"), str)
    records = ctx.services.databases.list(after, limit + 1)
    page = records[:limit]
    result: Body = {"DatabaseList": [to_aws(r, ctx.services.catalog_id) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetDatabases", page[-1].name)
    return result


@operation("UpdateDatabase")
def update_database(ctx: RequestContext, body: Body) -> Body:
    old_name, new_name = body["Name"], body["DatabaseInput"]["Name"]
    ctx.services.databases.update(old_name, body["DatabaseInput"])
    if fold(old_name) != fold(new_name):
        ctx.services.tags.renamed("database", old_name, new_name)
    return {}


@operation("DeleteDatabase")
def delete_database(ctx: RequestContext, body: Body) -> Body:
    ctx.services.databases.delete(body["Name"])
    ctx.services.tags.forget("database", body["Name"])
    return {}
