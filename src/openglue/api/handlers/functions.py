"""CreateUserDefinedFunction, GetUserDefinedFunction, GetUserDefinedFunctions,
UpdateUserDefinedFunction, DeleteUserDefinedFunction."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.catalog.functions import to_aws
from openglue.errors import InvalidInputException

DEFAULT_PAGE_SIZE = 100


@operation("CreateUserDefinedFunction")
def create_user_defined_function(ctx: RequestContext, body: Body) -> Body:
    ctx.services.functions.create(body["DatabaseName"], body["FunctionInput"])
    return {}


@operation("GetUserDefinedFunction")
def get_user_defined_function(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.functions.get(body["DatabaseName"], body["FunctionName"])
    return {"UserDefinedFunction": to_aws(record, ctx.services.catalog_id)}


@operation("GetUserDefinedFunctions")
def get_user_defined_functions(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = _position(decode_token("GetUserDefinedFunctions", body.get("NextToken")))
    records = ctx.services.functions.list(
        body.get("DatabaseName"), body["Pattern"], body.get("FunctionType"), after, limit + 1
    )
    page = records[:limit]
    result: Body = {"UserDefinedFunctions": [to_aws(r, ctx.services.catalog_id) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token(
            "GetUserDefinedFunctions", [page[-1].database, page[-1].name]
        )
    return result


def _position(raw: object) -> tuple[str, str] | None:
    if raw is None:
        return None
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(p, str) for p in raw):
        return raw[0], raw[1]
    raise InvalidInputException("NextToken is not valid for this listing")


@operation("UpdateUserDefinedFunction")
def update_user_defined_function(ctx: RequestContext, body: Body) -> Body:
    ctx.services.functions.update(body["DatabaseName"], body["FunctionName"], body["FunctionInput"])
    return {}


@operation("DeleteUserDefinedFunction")
def delete_user_defined_function(ctx: RequestContext, body: Body) -> Body:
    ctx.services.functions.delete(body["DatabaseName"], body["FunctionName"])
    return {}
