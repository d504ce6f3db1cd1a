"""Crawlers: definitions, crawls, history, metrics and schedules."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token, page_of
from openglue.crawler.definitions import to_aws

DEFAULT_PAGE_SIZE = 100


@operation("CreateCrawler")
def create_crawler(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.create(body)
    return {}


@operation("GetCrawler")
def get_crawler(ctx: RequestContext, body: Body) -> Body:
    return {"Crawler": to_aws(ctx.services.crawlers.get(body["Name"]))}


@operation("GetCrawlers")
def get_crawlers(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("GetCrawlers", body.get("NextToken"), str)
    records = ctx.services.crawlers.list(after, limit + 1)
    page = records[:limit]
    result: Body = {"Crawlers": [to_aws(r) for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("GetCrawlers", page[-1].name)
    return result


@operation("ListCrawlers")
def list_crawlers(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    after = decode_token("ListCrawlers", body.get("NextToken"), str)
    records = ctx.services.crawlers.list(after, limit + 1, body.get("Tags"))
    page = records[:limit]
    result: Body = {"CrawlerNames": [r.name for r in page]}
    if len(records) > limit:
        result["NextToken"] = encode_token("ListCrawlers", page[-1].name)
    return result


@operation("BatchGetCrawlers")
def batch_get_crawlers(ctx: RequestContext, body: Body) -> Body:
    found, missing = ctx.services.crawlers.get_many(body["CrawlerNames"])
    return {"Crawlers": [to_aws(r) for r in found], "CrawlersNotFound": missing}


@operation("UpdateCrawler")
def update_crawler(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.update(body)
    return {}


@operation("DeleteCrawler")
def delete_crawler(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.delete(body["Name"])
    return {}


@operation("StartCrawler")
def start_crawler(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawl_runner.start(body["Name"])
    return {}


@operation("StopCrawler")
def stop_crawler(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawl_runner.stop(body["Name"])
    return {}


@operation("GetCrawlerMetrics")
def get_crawler_metrics(ctx: RequestContext, body: Body) -> Body:
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    names = body.get("CrawlerNameList")
    if names:
        # Page through the names asked for, so MaxResults below their number loses none.
        asked, token = page_of(
            "GetCrawlerMetrics:names",
            list(dict.fromkeys(names)),
            body.get("NextToken"),
            limit,
            DEFAULT_PAGE_SIZE,
        )
        named: Body = {"CrawlerMetricsList": ctx.services.crawlers.metrics(asked, None, limit)}
        if token:
            named["NextToken"] = token
        return named
    after = decode_token("GetCrawlerMetrics", body.get("NextToken"), str)
    metrics = ctx.services.crawlers.metrics(None, after, limit + 1)
    page = metrics[:limit]
    result: Body = {"CrawlerMetricsList": page}
    if len(metrics) > limit:
        result["NextToken"] = encode_token("GetCrawlerMetrics", page[-1]["CrawlerName"])
    return result


@operation("ListCrawls")
def list_crawls(ctx: RequestContext, body: Body) -> Body:
    crawlers = ctx.services.crawlers
    limit = body.get("MaxResults") or DEFAULT_PAGE_SIZE
    before = decode_token("ListCrawls", body.get("NextToken"), int)
    crawls = crawlers.crawls(body["CrawlerName"], body.get("Filters") or [], before, limit + 1)
    page = crawls[:limit]
    result: Body = {"Crawls": [crawlers.crawl_to_aws(c) for c in page]}
    if len(crawls) > limit:
        result["NextToken"] = encode_token("ListCrawls", page[-1].seq)
    return result


@operation("UpdateCrawlerSchedule")
def update_crawler_schedule(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.update_schedule(body["CrawlerName"], body.get("Schedule"))
    return {}


@operation("StartCrawlerSchedule")
def start_crawler_schedule(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.start_schedule(body["CrawlerName"])
    return {}


@operation("StopCrawlerSchedule")
def stop_crawler_schedule(ctx: RequestContext, body: Body) -> Body:
    ctx.services.crawlers.stop_schedule(body["CrawlerName"])
    return {}
