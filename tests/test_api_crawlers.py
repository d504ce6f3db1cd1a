"""Crawler definitions, schedules, states and errors through boto3 against a real server."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

ARN = "arn:aws:glue:us-east-1:123456789012:crawler/"
ROLE = "arn:aws:iam::123456789012:role/Crawler"


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def _targets(path: str = "s3://bucket/data/") -> dict[str, Any]:
    return {"S3Targets": [{"Path": path}]}


def test_crawler_lifecycle(glue: Any, unique_name: str) -> None:
    name = "Raw-" + unique_name
    glue.create_crawler(
        Name=name,
        Role=ROLE,
        DatabaseName="raw",
        Description="raw orders",
        Targets=_targets(),
        TablePrefix="raw_",
        Schedule="cron(15 12 * * ? *)",
        Tags={"team": "data"},
    )
    crawler = glue.get_crawler(Name=name)["Crawler"]
    assert crawler["Name"] == name and crawler["State"] == "READY"
    assert crawler["Targets"] == {"S3Targets": [{"Path": "s3://bucket/data/", "Exclusions": []}]}
    assert crawler["SchemaChangePolicy"] == {
        "UpdateBehavior": "UPDATE_IN_DATABASE",
        "DeleteBehavior": "DEPRECATE_IN_DATABASE",
    }
    assert crawler["RecrawlPolicy"] == {"RecrawlBehavior": "CRAWL_EVERYTHING"}
    assert crawler["Schedule"] == {
        "ScheduleExpression": "cron(15 12 * * ? *)",
        "State": "SCHEDULED",
    }
    assert (crawler["Version"], crawler["TablePrefix"], crawler["Classifiers"]) == (1, "raw_", [])
    assert "LastCrawl" not in crawler
    assert glue.get_tags(ResourceArn=ARN + name)["Tags"] == {"team": "data"}

    with pytest.raises(ClientError) as exc:
        glue.create_crawler(Name=name, Role=ROLE, Targets=_targets())
    assert _code(exc) == "AlreadyExistsException"

    # UpdateCrawler changes only what it is given, and bumps Version.
    glue.update_crawler(Name=name, Description="", TablePrefix="r_", Targets=_targets("/tmp/x"))
    updated = glue.get_crawler(Name=name)["Crawler"]
    assert "Description" not in updated
    assert (updated["TablePrefix"], updated["DatabaseName"], updated["Version"]) == ("r_", "raw", 2)
    assert updated["Targets"]["S3Targets"][0]["Path"] == "/tmp/x"
    assert updated["Schedule"]["ScheduleExpression"] == "cron(15 12 * * ? *)"
    assert updated["LastUpdated"] >= crawler["LastUpdated"]

    glue.update_crawler(Name=name, Schedule="cron(0 3 * * ? *)")
    updated = glue.get_crawler(Name=name)["Crawler"]
    assert updated["Schedule"]["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert updated["Version"] == 3

    glue.delete_crawler(Name=name)
    with pytest.raises(ClientError) as exc:
        glue.get_crawler(Name=name)
    assert _code(exc) == "EntityNotFoundException" and name in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.delete_crawler(Name=name)
    assert _code(exc) == "EntityNotFoundException"


def test_listings_and_batch_get(glue: Any, unique_name: str) -> None:
    names = [f"{unique_name}-{i}" for i in range(3)]
    for index, name in enumerate(names):
        tags = {"tier": "gold"} if index != 1 else {"tier": "silver"}
        glue.create_crawler(Name=name, Role=ROLE, Targets=_targets(), Tags=tags)
    listed = glue.list_crawlers(Tags={"tier": "gold"})["CrawlerNames"]
    assert [n for n in listed if n.startswith(unique_name)] == [names[0], names[2]]
    pages = glue.get_paginator("get_crawlers").paginate(PaginationConfig={"PageSize": 1})
    seen = [c["Name"] for page in pages for c in page["Crawlers"]]
    assert [n for n in seen if n.startswith(unique_name)] == names
    got = glue.batch_get_crawlers(CrawlerNames=[names[1], "nope-" + unique_name, names[0]])
    assert [c["Name"] for c in got["Crawlers"]] == [names[1], names[0]]
    assert got["CrawlersNotFound"] == ["nope-" + unique_name]
    metrics = glue.get_crawler_metrics(CrawlerNameList=names[:2])["CrawlerMetricsList"]
    assert [m["CrawlerName"] for m in metrics] == names[:2]
    assert metrics[0]["TablesCreated"] == 0 and metrics[0]["StillEstimating"] is False
    # Named crawlers beyond MaxResults come on the next pages, not dropped.
    pages = glue.get_paginator("get_crawler_metrics").paginate(
        CrawlerNameList=names, PaginationConfig={"PageSize": 1}
    )
    assert [m["CrawlerName"] for page in pages for m in page["CrawlerMetricsList"]] == names
    for name in names:
        glue.delete_crawler(Name=name)


@pytest.mark.parametrize(
    ("members", "fragment"),
    [
        ({"Targets": {}}, "no target"),
        ({"Targets": {"S3Targets": [{"Path": "relative/folder"}]}}, "absolute"),
        ({"Targets": {"JdbcTargets": [{"Path": "db/public/%"}]}}, "ConnectionName"),
        ({"Targets": {"DynamoDBTargets": [{"Path": "t"}]}}, "DynamoDBTargets"),
        ({"Schedule": "cron(0 12 * * * *)"}, "Day-of-week"),
        ({"Schedule": "rate(5 minutes)"}, "cron"),
        ({"Configuration": '{"Version": 1.0, "Grouping": {"TableGroupPolicy": "x"}}'}, "unknown"),
        ({"Configuration": "{not json"}, "not JSON"),
        ({"Classifiers": ["no-such-classifier"]}, "no-such-classifier"),
        (
            {
                "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
                "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE"},
            },
            "LOG",
        ),
        ({"RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVENT_MODE"}}, "CRAWL_EVENT_MODE"),
        ({"TablePrefix": "x" * 129}, "TablePrefix"),
    ],
)
def test_bad_definitions(
    glue: Any, unique_name: str, members: dict[str, Any], fragment: str
) -> None:
    request = {"Name": unique_name, "Role": ROLE, "Targets": _targets(), **members}
    with pytest.raises(ClientError) as exc:
        glue.create_crawler(**request)
    assert _code(exc) == "InvalidInputException"
    assert fragment in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.get_crawler(Name=unique_name)
    assert _code(exc) == "EntityNotFoundException"  # nothing was left behind


def test_incremental_crawler_defaults_to_log_policies(glue: Any, unique_name: str) -> None:
    glue.create_crawler(
        Name=unique_name,
        Role=ROLE,
        Targets=_targets(),
        RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
    )
    crawler = glue.get_crawler(Name=unique_name)["Crawler"]
    assert crawler["SchemaChangePolicy"] == {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}
    glue.delete_crawler(Name=unique_name)


def test_schedules(glue: Any, unique_name: str) -> None:
    glue.create_crawler(Name=unique_name, Role=ROLE, Targets=_targets())
    assert "Schedule" not in glue.get_crawler(Name=unique_name)["Crawler"]
    with pytest.raises(ClientError) as exc:
        glue.start_crawler_schedule(CrawlerName=unique_name)
    assert _code(exc) == "NoScheduleException"
    with pytest.raises(ClientError) as exc:
        glue.stop_crawler_schedule(CrawlerName=unique_name)
    assert _code(exc) == "SchedulerNotRunningException"

    glue.update_crawler_schedule(CrawlerName=unique_name, Schedule="cron(0/10 * * * ? *)")
    schedule = glue.get_crawler(Name=unique_name)["Crawler"]["Schedule"]
    assert schedule == {"ScheduleExpression": "cron(0/10 * * * ? *)", "State": "SCHEDULED"}
    with pytest.raises(ClientError) as exc:
        glue.start_crawler_schedule(CrawlerName=unique_name)
    assert _code(exc) == "SchedulerRunningException"
    glue.stop_crawler_schedule(CrawlerName=unique_name)
    assert glue.get_crawler(Name=unique_name)["Crawler"]["Schedule"]["State"] == "NOT_SCHEDULED"
    glue.start_crawler_schedule(CrawlerName=unique_name)
    assert glue.get_crawler(Name=unique_name)["Crawler"]["Schedule"]["State"] == "SCHEDULED"

    with pytest.raises(ClientError) as exc:
        glue.update_crawler_schedule(CrawlerName=unique_name, Schedule="cron(0/1 * * * ? *)")
    assert _code(exc) == "InvalidInputException" and "5 minutes" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.update_crawler_schedule(
            CrawlerName="missing-" + unique_name, Schedule="cron(0 1 * * ? *)"
        )
    assert _code(exc) == "EntityNotFoundException"
    glue.delete_crawler(Name=unique_name)


def _wait_ready(glue: Any, name: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        crawler: dict[str, Any] = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY" and "LastCrawl" in crawler:
            return crawler
        time.sleep(0.05)
    raise AssertionError(f"crawler {name} did not finish")


def test_state_errors(glue: Any, unique_name: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.start_crawler(Name="missing-" + unique_name)
    assert _code(exc) == "EntityNotFoundException"
    database = "nodb_" + unique_name
    glue.create_crawler(Name=unique_name, Role=ROLE, Targets=_targets(), DatabaseName=database)
    with pytest.raises(ClientError) as exc:
        glue.stop_crawler(Name=unique_name)
    assert _code(exc) == "CrawlerNotRunningException"
    # The crawler's database does not exist: the crawl starts, then fails saying why.
    glue.start_crawler(Name=unique_name)
    crawler = _wait_ready(glue, unique_name)
    last = crawler["LastCrawl"]
    assert last["Status"] == "FAILED" and f"Database {database} not found" in last["ErrorMessage"]
    assert (last["LogGroup"], last["LogStream"]) == ("/aws-glue/crawlers", unique_name)
    crawls = glue.list_crawls(CrawlerName=unique_name)["Crawls"]
    assert [c["State"] for c in crawls] == ["FAILED"]
    assert crawls[0]["CrawlId"] == last["MessagePrefix"]
    glue.delete_crawler(Name=unique_name)


def test_tags_on_crawlers(glue: Any, unique_name: str) -> None:
    glue.create_crawler(Name=unique_name, Role=ROLE, Targets=_targets())
    glue.tag_resource(ResourceArn=ARN + unique_name, TagsToAdd={"owner": unique_name})
    assert glue.get_tags(ResourceArn=ARN + unique_name)["Tags"] == {"owner": unique_name}
    assert glue.list_crawlers(Tags={"owner": unique_name})["CrawlerNames"] == [unique_name]
    glue.untag_resource(ResourceArn=ARN + unique_name, TagsToRemove=["owner"])
    assert glue.list_crawlers(Tags={"owner": unique_name})["CrawlerNames"] == []
    with pytest.raises(ClientError) as exc:
        glue.tag_resource(ResourceArn=ARN + "missing-" + unique_name, TagsToAdd={"a": "b"})
    assert _code(exc) == "EntityNotFoundException"
    glue.delete_crawler(Name=unique_name)
    # A new crawler of the same name starts with no tags.
    glue.create_crawler(Name=unique_name, Role=ROLE, Targets=_targets())
    assert glue.get_tags(ResourceArn=ARN + unique_name)["Tags"] == {}
    glue.delete_crawler(Name=unique_name)


def test_list_crawls_pages_and_filters(glue: Any, unique_name: str) -> None:
    glue.create_crawler(
        Name=unique_name, Role=ROLE, Targets=_targets(), DatabaseName="nodb_" + unique_name
    )
    for _ in range(3):
        glue.start_crawler(Name=unique_name)
        _wait_ready(glue, unique_name)
        time.sleep(0.01)  # distinct start times
    everything = glue.list_crawls(CrawlerName=unique_name)["Crawls"]
    starts = [c["StartTime"] for c in everything]
    assert starts == sorted(starts, reverse=True) and len(starts) == 3  # newest first

    first = glue.list_crawls(CrawlerName=unique_name, MaxResults=2)
    assert [c["CrawlId"] for c in first["Crawls"]] == [c["CrawlId"] for c in everything[:2]]
    rest = glue.list_crawls(CrawlerName=unique_name, MaxResults=2, NextToken=first["NextToken"])
    assert [c["CrawlId"] for c in rest["Crawls"]] == [everything[2]["CrawlId"]]
    assert "NextToken" not in rest

    middle_ms = str(int(starts[1].timestamp() * 1000))
    newer = glue.list_crawls(
        CrawlerName=unique_name,
        Filters=[{"FieldName": "START_TIME", "FilterOperator": "GE", "FieldValue": middle_ms}],
    )["Crawls"]
    assert [c["CrawlId"] for c in newer] == [c["CrawlId"] for c in everything[:2]]
    one = glue.list_crawls(
        CrawlerName=unique_name,
        Filters=[
            {
                "FieldName": "CRAWL_ID",
                "FilterOperator": "EQ",
                "FieldValue": everything[1]["CrawlId"],
            }
        ],
    )["Crawls"]
    assert [c["CrawlId"] for c in one] == [everything[1]["CrawlId"]]
    with pytest.raises(ClientError) as exc:
        glue.list_crawls(
            CrawlerName=unique_name,
            Filters=[{"FieldName": "END_TIME", "FilterOperator": "LT", "FieldValue": "soon"}],
        )
    assert _code(exc) == "InvalidInputException" and "not a time" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.list_crawls(CrawlerName="missing-" + unique_name)
    assert _code(exc) == "EntityNotFoundException"
    metrics = glue.get_crawler_metrics(CrawlerNameList=[unique_name])["CrawlerMetricsList"][0]
    assert metrics["LastRuntimeSeconds"] >= 0 and metrics["MedianRuntimeSeconds"] >= 0
    glue.delete_crawler(Name=unique_name)
