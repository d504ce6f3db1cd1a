"""The CloudWatch Logs operations Glue users read job logs with, over the run log files.

Positions, not tokens, cross this boundary (the handlers turn one into the other):
- GetLogEvents pages through one stream by byte offset: forward from an offset (events that
  start at or after it) or backward from one (events that start before it). A page that finds
  nothing new hands back the position it was given, so a client that loops until the token
  repeats (the SDKs' and the CLI's way) stops at the end of the stream, and can come back
  later for what the run writes next.
- FilterLogEvents merges the group's streams by (timestamp, stream, offset) and resumes after
  the last key it returned.
- DescribeLogStreams / DescribeLogGroups resume after the last sort key they returned.

Time ranges follow CloudWatch's documentation: GetLogEvents takes ``[startTime, endTime)``,
FilterLogEvents ``[startTime, endTime]``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from openglue.errors import InvalidParameterException
from openglue.logs.filter_pattern import FilterPattern
from openglue.logs.groups import LogGroup, LogLayout, LogStream
from openglue.logs.streams import LogEvent, StreamReader

MAX_EVENTS = 10_000
MAX_PAGE_BYTES = 1_048_576  # CloudWatch's cap on a page of events
EVENT_OVERHEAD = 26  # bytes CloudWatch counts per event on top of its message
DESCRIBE_LIMIT = 50

FilterKey = tuple[int, str, int]  # (timestamp, stream name, offset)


@dataclass(frozen=True)
class EventsPage:
    events: list[LogEvent]
    forward: int  # offset to read on from
    backward: int  # offset to read back from


@dataclass(frozen=True)
class FilteredPage:
    events: list[tuple[str, LogEvent]]  # (stream name, event)
    searched: list[str]
    after: FilterKey | None  # where the next page starts, when there is one


@dataclass(frozen=True)
class GroupInfo:
    group: LogGroup
    created: int
    stored_bytes: int


def _size(event: LogEvent) -> int:
    return len(event.message.encode()) + EVENT_OVERHEAD


def _first(events: Sequence[LogEvent], limit: int) -> list[LogEvent]:
    taken: list[LogEvent] = []
    size = 0
    for event in events[:limit]:
        size += _size(event)
        if taken and size > MAX_PAGE_BYTES:
            break
        taken.append(event)
    return taken


def _last(events: Sequence[LogEvent], limit: int) -> list[LogEvent]:
    return _first(events[-limit:][::-1], limit)[::-1]


class LogsService:
    def __init__(self, layout: LogLayout, reader: StreamReader | None = None) -> None:
        self.layout = layout
        self.reader = reader or StreamReader()

    def group(self, name: str | None, identifier: str | None) -> LogGroup:
        return self.layout.group(name, identifier)

    def _events(self, stream: LogStream) -> list[LogEvent]:
        return self.reader.events(stream.path, self.layout.has_ended(stream))

    def get_log_events(
        self,
        group: LogGroup,
        stream_name: str,
        *,
        start: int | None = None,
        end: int | None = None,
        limit: int | None = None,
        from_head: bool = False,
        forward_from: int | None = None,
        backward_from: int | None = None,
    ) -> EventsPage:
        stream = self.layout.stream(group, stream_name)
        events = [
            e
            for e in self._events(stream)
            if (start is None or e.timestamp >= start) and (end is None or e.timestamp < end)
        ]
        offsets = [e.offset for e in events]
        limit = limit or MAX_EVENTS
        if forward_from is not None:
            page = _first(events[bisect.bisect_left(offsets, forward_from) :], limit)
            here = forward_from
        elif backward_from is not None:
            page = _last(events[: bisect.bisect_left(offsets, backward_from)], limit)
            here = backward_from
        else:
            page = _first(events, limit) if from_head else _last(events, limit)
            here = 0
        if not page:
            return EventsPage([], here, here)
        return EventsPage(page, page[-1].offset + 1, page[0].offset)

    def filter_log_events(
        self,
        group: LogGroup,
        *,
        names: Sequence[str] | None = None,
        prefix: str | None = None,
        start: int | None = None,
        end: int | None = None,
        pattern: FilterPattern,
        limit: int | None = None,
        after: FilterKey | None = None,
    ) -> FilteredPage:
        if names and prefix:
            raise InvalidParameterException(
                "logStreamNames and logStreamNamePrefix cannot both be given; use one"
            )
        streams = self.layout.streams(group, prefix)
        if names:
            wanted = set(names)
            streams = [s for s in streams if s.name in wanted]
        found: list[tuple[FilterKey, LogEvent]] = []
        searched = []
        for stream in streams:
            times = stream.times
            # Skip streams that cannot hold an event in the range without reading them:
            # polling with a recent startTime (aws logs tail --follow) reads only live ones.
            if times.last_write is None or (start is not None and times.last_write < start):
                continue
            if end is not None and times.first_write is not None and times.first_write > end:
                continue
            searched.append(stream.name)
            for event in self._events(stream):
                if start is not None and event.timestamp < start:
                    continue
                if end is not None and event.timestamp > end:
                    continue
                key = (event.timestamp, stream.name, event.offset)
                if (after is None or key > after) and pattern.matches(event.message):
                    found.append((key, event))
        found.sort(key=lambda item: item[0])
        page = _first([event for _, event in found], limit or MAX_EVENTS)
        chosen = found[: len(page)]
        more = len(chosen) < len(found)
        return FilteredPage(
            [(key[1], event) for key, event in chosen],
            searched,
            chosen[-1][0] if more and chosen else None,
        )

    def describe_log_streams(
        self,
        group: LogGroup,
        *,
        prefix: str | None = None,
        by_last_event: bool = False,
        descending: bool = False,
        limit: int | None = None,
        after: tuple[int, str] | None = None,
    ) -> tuple[list[LogStream], tuple[int, str] | None]:
        """A page of the group's streams and, when more follow, the last one's sort key."""
        if prefix and by_last_event:
            raise InvalidParameterException(
                "Cannot order by LastEventTime with a logStreamNamePrefix."
            )

        def key(stream: LogStream) -> tuple[int, str]:
            return (stream.last_event if by_last_event else 0, stream.name)

        streams = sorted(self.layout.streams(group, prefix), key=key, reverse=descending)
        if after is not None:
            streams = [s for s in streams if (key(s) < after if descending else key(s) > after)]
        limit = limit or DESCRIBE_LIMIT
        page = streams[:limit]
        return page, key(page[-1]) if len(streams) > limit else None

    def describe_log_groups(
        self,
        *,
        prefix: str | None = None,
        pattern: str | None = None,
        identifiers: Sequence[str] | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> tuple[list[GroupInfo], str | None]:
        """A page of the groups (by name) and, when more follow, the last name on it."""
        if prefix and pattern:
            raise InvalidParameterException(
                "logGroupNamePrefix and logGroupNamePattern cannot both be given; use one"
            )
        groups = self.layout.groups()
        if identifiers:
            wanted = {self.layout.group_name(i) for i in identifiers}
            groups = [g for g in groups if g.name in wanted]
        if prefix:
            groups = [g for g in groups if g.name.startswith(prefix)]
        if pattern:
            groups = [g for g in groups if pattern.lower() in g.name.lower()]
        if after is not None:
            groups = [g for g in groups if g.name > after]
        limit = limit or DESCRIBE_LIMIT
        page = [self._group_info(g) for g in groups[:limit]]
        return page, page[-1].group.name if len(groups) > limit else None

    def _group_info(self, group: LogGroup) -> GroupInfo:
        streams = self.layout.streams(group)
        # A group has no creation record of its own: it was created with its first stream.
        created = min((s.times.created for s in streams), default=None)
        if created is None:
            created = int(group.folder.stat().st_mtime * 1000)
        return GroupInfo(group, created, sum(s.times.size for s in streams))
