"""TagResource, UntagResource, GetTags."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation


@operation("TagResource")
def tag_resource(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tags.tag(body["ResourceArn"], body["TagsToAdd"])
    return {}


@operation("UntagResource")
def untag_resource(ctx: RequestContext, body: Body) -> Body:
    ctx.services.tags.untag(body["ResourceArn"], body["TagsToRemove"])
    return {}


@operation("GetTags")
def get_tags(ctx: RequestContext, body: Body) -> Body:
    return {"Tags": ctx.services.tags.get(body["ResourceArn"])}
