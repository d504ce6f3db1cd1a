"""Custom classifiers: CreateClassifier, GetClassifier, GetClassifiers, UpdateClassifier,
DeleteClassifier."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.crawler.classifiers import to_aws

DEFAULT_PAGE_SIZE = 100


@operation("CreateClassifier")
def create_classifier(ctx: RequestContext, body: Body) -> Body:
    ctx.services.classifiers.create(body)
    return {}


@operation("GetClassifier")
def get_classifier(ctx: RequestContext, body: Body) -> Body:
    return {"Classifier": to_aws(ctx.services.classifiers.get(body["Name"]))}


@operation("GetClassifiers")
def get_classifiers(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("GetClassifiers", body.get("NextToken"), str)
    records = ctx.services.classifiers.list(after, limit + 1)
    page = records[:limit]
    result: Body = {"Classifiers": [to_aws(r) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetClassifiers", page[-1].name)
    return result


@operation("UpdateClassifier")
def update_classifier(ctx: RequestContext, body: Body) -> Body:
    ctx.services.classifiers.update(body)
    return {}


@operation("DeleteClassifier")
def delete_classifier(ctx: RequestContext, body: Body) -> Body:
    ctx.services.classifiers.delete(body["Name"])
    return {}
