"""Tables and their versions: CreateTable, GetTable(s), UpdateTable, DeleteTable,
BatchDeleteTable, GetTableVersion(s), DeleteTableVersion, BatchDeleteTableVersion,
SearchTables."""

from __future__ import annotations

from typing import Any

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token, page_of
from openglue.catalog.tables import to_aws, version_to_aws
from openglue.errors import InvalidInputException


def _position(scope: str, token: str | None, kind: type[Any]) -> Any:
    position = decode_token(scope, token)
    if position is not None and (not isinstance(position, kind) or isinstance(position, bool)):
        raise InvalidInputException(f"NextToken is not valid for {scope}")
    return position


@operation("CreateTable")
def create_table(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tables.create(
        body["DatabaseName"],
        body.get("TableInput"),
        name=body.get("Name"),
        partition_indexes=body.get("PartitionIndexes"),
    )
    return {}


@operation("GetTable")
def get_table(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.tables.get(body["DatabaseName"], body["Name"])
    return {"Table": to_aws(record, ctx.services.catalog_id)}


@operation("GetTables")
def get_tables(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or 100
    after = _position("GetTables", body.get("NextToken"), str)
    records = ctx.services.tables.list_tables(
        body["DatabaseName"], body.get("Expression"), after, limit + 1
    )
    page = records[:limit]
    result: Body = {"TableList": [to_aws(r, ctx.services.catalog_id) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetTables", page[-1].name)
    return result


@operation("UpdateTable")
def update_table(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tables.update(
        body["DatabaseName"],
        body.get("TableInput"),
        name=body.get("Name"),
        skip_archive=bool(body.get("SkipArchive")),
        version_id=body.get("VersionId"),
    )
    return {}


@operation("DeleteTable")
def delete_table(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tables.delete(body["DatabaseName"], body["Name"])
    return {}


@operation("BatchDeleteTable")
def batch_delete_table(ctx: RequestContext, body: Body) -> Body:
    errors = ctx.services.tables.batch_delete(body["DatabaseName"], body["TablesToDelete"])
    return {"Errors": errors}


@operation("GetTableVersion")
def get_table_version(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.tables.get_version(
        body["DatabaseName"], body["TableName"], body.get("VersionId")
    )
    return {"TableVersion": version_to_aws(record, ctx.services.catalog_id)}


@operation("GetTableVersions")
def get_table_versions(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or 100
    before = _position("GetTableVersions", body.get("NextToken"), int)
    records = ctx.services.tables.list_versions(
        body["DatabaseName"], body["TableName"], before, limit + 1
    )
    page = records[:limit]
    result: Body = {"TableVersions": [version_to_aws(r, ctx.services.catalog_id) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetTableVersions", page[-1].version_id)
    return result


@operation("DeleteTableVersion")
def delete_table_version(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tables.delete_version(body["DatabaseName"], body["TableName"], body["VersionId"])
    return {}


@operation("BatchDeleteTableVersion")
def batch_delete_table_version(ctx: RequestContext, body: Body) -> Body:
    errors = ctx.services.tables.batch_delete_versions(
        body["DatabaseName"], body["TableName"], body["VersionIds"]
    )
    return {"Errors": errors}


@operation("SearchTables")
def search_tables(ctx: RequestContext, body: Body) -> Body:
    records = ctx.services.tables.search(
        body.get("SearchText"),
        body.get("Filters") or [],
        body.get("SortCriteria") or [],
        body.get("ResourceShareType"),
    )
    page, token = page_of(
        "SearchTables", records, body.get("NextToken"), body.get("MaxResults"), 100
    )
    result: Body = {"TableList": [to_aws(r, ctx.services.catalog_id) for r in page]}
    if token is not None:
        result["NextToken"] = token
    return result
