"""The log groups and streams on disk, named as CloudWatch Logs names them.

Glue writes a job run's stdout and stderr to the groups ``/aws-glue/jobs/output`` and
``/aws-glue/jobs/error`` (``/aws-glue/python-jobs/…`` for Python shell jobs), one stream per
run named by its run id. OpenGlue keeps them as ``<data dir>/logs/aws-glue/jobs/output/<run
id>`` (see ``jobs/layout.py``), so a group is a folder and a stream is a file. A group exists
once a run has written to it, as in Glue.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from openglue.errors import InvalidParameterException, ResourceNotFoundException
from openglue.jobs.layout import LOG_GROUPS, STREAMS, RunFiles
from openglue.logs.streams import StreamTimes, stream_times

# Crawls log to one stream per crawler (named after it), appended to by every crawl.
CRAWLER_LOG_GROUP = "/aws-glue/crawlers"
GROUP_NAMES = tuple(
    sorted(
        [
            *(f"{prefix}/{stream}" for prefix in LOG_GROUPS.values() for stream in STREAMS),
            CRAWLER_LOG_GROUP,
        ]
    )
)


@dataclass(frozen=True)
class LogGroup:
    name: str
    folder: Path


@dataclass(frozen=True)
class LogStream:
    name: str  # the run id
    path: Path
    times: StreamTimes

    @property
    def last_event(self) -> int:
        """What ``orderBy=LastEventTime`` sorts by (creation for a stream with no event)."""
        return self.times.last_write or self.times.created


class LogLayout:
    """Where the groups and streams of one data directory are, and what they are called."""

    def __init__(self, data_dir: Path, region: str, account_id: str) -> None:
        self.data_dir = data_dir
        self.region = region
        self.account_id = account_id

    def group_arn(self, name: str) -> str:
        return f"arn:aws:logs:{self.region}:{self.account_id}:log-group:{name}"

    def _folder(self, name: str) -> Path:
        return self.data_dir / "logs" / name.strip("/")

    def groups(self) -> list[LogGroup]:
        """The groups that exist, by name."""
        return [LogGroup(n, self._folder(n)) for n in GROUP_NAMES if self._folder(n).is_dir()]

    def group(self, name: str | None, identifier: str | None) -> LogGroup:
        """The group a request names (by ``logGroupName`` or ``logGroupIdentifier``, a name
        or an ARN); ``ResourceNotFoundException`` when it does not exist."""
        if name and identifier:
            raise InvalidParameterException(
                "logGroupName and logGroupIdentifier cannot both be given; use one"
            )
        wanted = name or self.group_name(identifier)
        if not wanted:
            raise InvalidParameterException("Either logGroupName or logGroupIdentifier is required")
        if wanted not in GROUP_NAMES or not self._folder(wanted).is_dir():
            raise ResourceNotFoundException("The specified log group does not exist.")
        return LogGroup(wanted, self._folder(wanted))

    def group_name(self, identifier: str | None) -> str | None:
        """The name in a group identifier: the name itself, or the name inside its ARN."""
        if identifier and identifier.startswith("arn:"):
            parts = identifier.split(":")
            if len(parts) < 7 or parts[5] != "log-group":
                raise InvalidParameterException(f"{identifier!r} is not a log group ARN")
            return parts[6]
        return identifier

    def stream(self, group: LogGroup, name: str) -> LogStream:
        missing = ResourceNotFoundException("The specified log stream does not exist.")
        try:
            RunFiles(self.data_dir, name, "/")  # refuses names that are not run ids
        except ValueError:
            raise missing from None
        path = group.folder / name
        try:
            info = path.stat()
        except OSError:
            raise missing from None
        if not path.is_file():
            raise missing
        return LogStream(name, path, stream_times(path, info.st_size, info.st_mtime))

    def streams(self, group: LogGroup, prefix: str | None = None) -> list[LogStream]:
        """The group's streams whose names start with ``prefix``, by name."""
        found = []
        with os.scandir(group.folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.name.startswith(prefix or ""):
                    continue
                if entry.is_file():
                    info = entry.stat()
                    times = stream_times(Path(entry.path), info.st_size, info.st_mtime)
                    found.append(LogStream(entry.name, Path(entry.path), times))
        return sorted(found, key=lambda s: s.name)

    def has_ended(self, stream: LogStream) -> bool:
        """Whether the stream's run has ended (its leader recorded an exit status, or the
        server recorded a final state): nothing more will be written to it."""
        files = RunFiles(self.data_dir, stream.name, "/")
        return files.exit_status.exists() or files.outcome.exists()
