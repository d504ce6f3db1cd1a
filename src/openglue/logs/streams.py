"""A log stream's events, read from a run's log file and its timestamp index.

An event is a line of the file (its ``message``, without the line break), positioned by the
byte offset where it starts and timestamped by the index the run's leader keeps
(``jobs/pump.py``): the time of the chunk holding the line's first byte. Lines the index does
not cover (a message the server wrote itself because the script could not start, logs from
before the index existed) get the file's modification time.

Choices where CloudWatch has no counterpart:
- empty lines are not events (CloudWatch refuses empty messages);
- a last line without its line break is an event only once the run has ended: until then it
  may still grow, and serving it early would serve it twice.

Files are parsed incrementally: a reader remembers how far it got and reads only what was
appended since, so polling a live stream (``aws logs tail --follow``) costs what is new.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from openglue.jobs.layout import times_path

_CACHED_STREAMS = 256


@dataclass(frozen=True)
class LogEvent:
    offset: int  # where the line starts in the file: the event's position in its stream
    timestamp: int  # epoch milliseconds
    message: str


@dataclass(frozen=True)
class StreamTimes:
    """When a stream was created and last written, from the ends of its index."""

    created: int
    first_write: int | None  # None while the stream is empty
    last_write: int | None
    size: int


def _millis(seconds: float) -> int:
    return int(seconds * 1000)


def _parse_times(data: bytes) -> tuple[list[int], list[int]]:
    offsets: list[int] = []
    stamps: list[int] = []
    for line in data.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
            offsets.append(int(parts[0]))
            stamps.append(int(parts[1]))
    return offsets, stamps


def _read_from(path: Path, offset: int) -> bytes:
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            return stream.read()
    except FileNotFoundError:
        return b""


@dataclass
class _Parsed:
    inode: int
    parsed_to: int = 0  # bytes of the log consumed: up to the end of its last complete line
    times_read: int = 0  # bytes of the index consumed: up to the end of its last full entry
    offsets: list[int] = field(default_factory=list)
    stamps: list[int] = field(default_factory=list)
    events: list[LogEvent] = field(default_factory=list)

    def stamp_at(self, offset: int, fallback: int) -> int:
        index = bisect.bisect_right(self.offsets, offset) - 1
        return self.stamps[index] if index >= 0 else fallback

    def consume(self, log: Path, fallback: int) -> bytes:
        """Take in what was appended to the index and the log; the unfinished last line."""
        fresh = _read_from(times_path(log), self.times_read)
        complete = fresh[: fresh.rfind(b"\n") + 1]
        offsets, stamps = _parse_times(complete)
        self.offsets += offsets
        self.stamps += stamps
        self.times_read += len(complete)
        # The index is read before the log: the pump writes an entry before the bytes it
        # covers, so every byte read below has its timestamp already.
        data = _read_from(log, self.parsed_to)
        end = data.rfind(b"\n") + 1
        start = 0
        while start < end:
            stop = data.index(b"\n", start)
            self._add(self.parsed_to + start, data[start:stop], fallback)
            start = stop + 1
        self.parsed_to += end
        return data[end:]

    def _add(self, offset: int, line: bytes, fallback: int) -> None:
        message = line.rstrip(b"\r").decode("utf-8", "replace")
        if message:
            self.events.append(LogEvent(offset, self.stamp_at(offset, fallback), message))


class StreamReader:
    """Events of log files, parsed incrementally; safe to share between threads."""

    def __init__(self, cached_streams: int = _CACHED_STREAMS) -> None:
        self._lock = threading.Lock()
        self._parsed: OrderedDict[Path, _Parsed] = OrderedDict()
        self._limit = cached_streams

    def events(self, log: Path, ended: bool) -> list[LogEvent]:
        """The events of the log file ``log`` in file order; ``ended`` when its run has
        ended (so that an unfinished last line is final)."""
        try:
            info = os.stat(log)
        except FileNotFoundError:
            return []
        fallback = _millis(info.st_mtime)
        with self._lock:
            parsed = self._parsed.pop(log, None)
            if parsed is None or parsed.inode != info.st_ino or info.st_size < parsed.parsed_to:
                parsed = _Parsed(info.st_ino)
            self._parsed[log] = parsed
            while len(self._parsed) > self._limit:
                self._parsed.popitem(last=False)
            rest = parsed.consume(log, fallback)
            events = list(parsed.events)
            if ended and rest.strip():
                offset = parsed.parsed_to
                events.append(LogEvent(offset, parsed.stamp_at(offset, fallback), _text(rest)))
        return events


def _text(line: bytes) -> str:
    return line.rstrip(b"\r\n").decode("utf-8", "replace")


def stream_times(log: Path, size: int, mtime: float) -> StreamTimes:
    """A stream's creation and first and last write times, read from the two ends of its
    index (cheap enough to do for every stream of a group)."""
    fallback = _millis(mtime)
    path = times_path(log)
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
            stream.seek(max(0, os.fstat(stream.fileno()).st_size - 64))
            tail = stream.read()
    except FileNotFoundError:
        written = fallback if size else None
        return StreamTimes(fallback, written, written, size)
    offsets, stamps = _parse_times(head[: head.rfind(b"\n") + 1])
    if not stamps:
        written = fallback if size else None
        return StreamTimes(fallback, written, written, size)
    if not size:
        return StreamTimes(stamps[0], None, None, size)
    last = _parse_times(tail[: tail.rfind(b"\n") + 1])[1]
    # The last entry at offset 0 covers the first byte (an earlier one marks creation).
    zero = [s for o, s in zip(offsets, stamps, strict=True) if o == 0]
    first_write = zero[-1] if zero else stamps[0]
    return StreamTimes(stamps[0], first_write, last[-1] if last else stamps[-1], size)
