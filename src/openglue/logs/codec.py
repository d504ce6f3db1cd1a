"""Log events, streams and groups as CloudWatch Logs shapes, and GetLogEvents' tokens."""

from __future__ import annotations

import re
import zlib
from typing import Any

from openglue.errors import InvalidParameterException
from openglue.logs.groups import LogLayout, LogStream
from openglue.logs.service import GroupInfo
from openglue.logs.streams import LogEvent

_EVENTS_TOKEN = re.compile(r"([fb])/(\d{1,20})")


def event_id(stream: str, event: LogEvent) -> str:
    """A stable id (the same event gets the same id on every call: ``aws logs tail
    --follow`` recognises the events it printed by it), digits only like CloudWatch's."""
    return f"{event.timestamp:020d}{zlib.crc32(stream.encode()):010d}{event.offset:020d}"


def output_event(event: LogEvent) -> dict[str, Any]:
    """``OutputLogEvent``. Lines are ingested as they are written: ingestionTime = timestamp."""
    return {
        "timestamp": event.timestamp,
        "message": event.message,
        "ingestionTime": event.timestamp,
    }


def filtered_event(stream: str, event: LogEvent) -> dict[str, Any]:
    return {**output_event(event), "logStreamName": stream, "eventId": event_id(stream, event)}


def stream_to_aws(layout: LogLayout, group: str, stream: LogStream) -> dict[str, Any]:
    times = stream.times
    return {
        "logStreamName": stream.name,
        "creationTime": times.created,
        "firstEventTimestamp": times.first_write,
        "lastEventTimestamp": times.last_write,
        "lastIngestionTime": times.last_write,
        "arn": f"{layout.group_arn(group)}:log-stream:{stream.name}",
        "storedBytes": times.size,
    }


def group_to_aws(layout: LogLayout, info: GroupInfo) -> dict[str, Any]:
    arn = layout.group_arn(info.group.name)
    return {
        "logGroupName": info.group.name,
        "creationTime": info.created,
        "metricFilterCount": 0,
        "arn": f"{arn}:*",
        "logGroupArn": arn,
        "storedBytes": info.stored_bytes,
        "logGroupClass": "STANDARD",
    }


def events_token(direction: str, offset: int) -> str:
    return f"{direction}/{offset:020d}"


def parse_events_token(token: str | None) -> tuple[int | None, int | None]:
    """GetLogEvents' nextToken as (forward offset, backward offset), one of them set."""
    if not token:
        return None, None
    match = _EVENTS_TOKEN.fullmatch(token)
    if match is None:
        raise InvalidParameterException(
            "The specified nextToken is invalid: pass a nextForwardToken or nextBackwardToken "
            "of an earlier GetLogEvents unchanged"
        )
    offset = int(match[2])
    return (offset, None) if match[1] == "f" else (None, offset)
