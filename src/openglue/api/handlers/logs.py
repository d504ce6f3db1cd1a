"""CloudWatch Logs (``Logs_20140328.*``): GetLogEvents, FilterLogEvents, DescribeLogStreams,
DescribeLogGroups, over the job runs' log groups."""

from __future__ import annotations

from typing import Any

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token
from openglue.errors import InvalidInputException, InvalidParameterException
from openglue.logs.codec import (
    events_token,
    filtered_event,
    group_to_aws,
    output_event,
    parse_events_token,
    stream_to_aws,
)
from openglue.logs.filter_pattern import parse_filter_pattern
from openglue.logs.service import FilterKey


def _position(scope: str, token: str | None, kind: type[Any]) -> Any:
    # The paging helper speaks Glue's error names; CloudWatch Logs calls bad input otherwise.
    try:
        return decode_token(scope, token, kind)
    except InvalidInputException as exc:
        raise InvalidParameterException(exc.message) from None


def _key(scope: str, token: str | None, types: tuple[type[Any], ...]) -> tuple[Any, ...] | None:
    position = _position(scope, token, list)
    if position is None:
        return None
    if len(position) != len(types) or not all(
        isinstance(v, t) and not isinstance(v, bool) for v, t in zip(position, types, strict=True)
    ):
        raise InvalidParameterException("The specified nextToken is invalid.")
    return tuple(position)


def _filter_key(scope: str, token: str | None) -> FilterKey | None:
    key = _key(scope, token, (int, str, int))
    return None if key is None else (key[0], key[1], key[2])


def _stream_key(scope: str, token: str | None) -> tuple[int, str] | None:
    key = _key(scope, token, (int, str))
    return None if key is None else (key[0], key[1])


@operation("GetLogEvents", service="logs")
def get_log_events(ctx: RequestContext, body: Body) -> Body:
    logs = ctx.services.logs
    group = logs.group(body.get("logGroupName"), body.get("logGroupIdentifier"))
    forward, backward = parse_events_token(body.get("nextToken"))
    page = logs.get_log_events(
        group,
        body["logStreamName"],
        start=body.get("startTime"),
        end=body.get("endTime"),
        limit=body.get("limit"),
        from_head=bool(body.get("startFromHead")),
        forward_from=forward,
        backward_from=backward,
    )
    return {
        "events": [output_event(e) for e in page.events],
        "nextForwardToken": events_token("f", page.forward),
        "nextBackwardToken": events_token("b", page.backward),
    }


@operation("FilterLogEvents", service="logs")
def filter_log_events(ctx: RequestContext, body: Body) -> Body:
    logs = ctx.services.logs
    group = logs.group(body.get("logGroupName"), body.get("logGroupIdentifier"))
    scope = f"FilterLogEvents:{group.name}"
    page = logs.filter_log_events(
        group,
        names=body.get("logStreamNames"),
        prefix=body.get("logStreamNamePrefix"),
        start=body.get("startTime"),
        end=body.get("endTime"),
        pattern=parse_filter_pattern(body.get("filterPattern")),
        limit=body.get("limit"),
        after=_filter_key(scope, body.get("nextToken")),
    )
    result: Body = {
        "events": [filtered_event(stream, event) for stream, event in page.events],
        "searchedLogStreams": [
            {"logStreamName": name, "searchedCompletely": True} for name in page.searched
        ],
    }
    if page.after is not None:
        result["nextToken"] = encode_token(scope, list(page.after))
    return result


@operation("DescribeLogStreams", service="logs")
def describe_log_streams(ctx: RequestContext, body: Body) -> Body:
    logs = ctx.services.logs
    group = logs.group(body.get("logGroupName"), body.get("logGroupIdentifier"))
    by_last_event = body.get("orderBy") == "LastEventTime"
    descending = bool(body.get("descending"))
    scope = f"DescribeLogStreams:{group.name}:{by_last_event}:{descending}"
    streams, after = logs.describe_log_streams(
        group,
        prefix=body.get("logStreamNamePrefix"),
        by_last_event=by_last_event,
        descending=descending,
        limit=body.get("limit"),
        after=_stream_key(scope, body.get("nextToken")),
    )
    result: Body = {"logStreams": [stream_to_aws(logs.layout, group.name, s) for s in streams]}
    if after is not None:
        result["nextToken"] = encode_token(scope, list(after))
    return result


@operation("DescribeLogGroups", service="logs")
def describe_log_groups(ctx: RequestContext, body: Body) -> Body:
    logs = ctx.services.logs
    groups, after = logs.describe_log_groups(
        prefix=body.get("logGroupNamePrefix"),
        pattern=body.get("logGroupNamePattern"),
        identifiers=body.get("logGroupIdentifiers"),
        limit=body.get("limit"),
        after=_position("DescribeLogGroups", body.get("nextToken"), str),
    )
    result: Body = {"logGroups": [group_to_aws(logs.layout, g) for g in groups]}
    if after is not None:
        result["nextToken"] = encode_token("DescribeLogGroups", after)
    return result
