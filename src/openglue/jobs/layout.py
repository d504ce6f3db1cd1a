"""Where a run's files live under the data directory.

- ``runs/<run id>/``: the run's working directory (the script's current directory);
- ``runs/<run id>.exit``: the script's exit status, written by the run's wrapper shell, so the
  outcome survives a server that was not there to see the process end;
- ``runs/<run id>.state``: the run's final state, written once it is known (``openglue logs
  --follow`` stops there);
- ``logs/<log group>/output|error/<run id>``: the run's stdout and stderr, laid out like the
  CloudWatch groups Glue writes to (``/aws-glue/jobs`` for Spark jobs, ``/aws-glue/python-jobs``
  for Python shell jobs), one stream per run;
- ``logs/<log group>/output|error/.times/<run id>``: when each part of that log was written
  (``<byte offset> <epoch ms>`` lines, see ``jobs/pump.py``): the events' timestamps for the
  CloudWatch Logs API. A hidden folder, so that a stream folder lists only streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LOG_GROUPS = {"glueetl": "/aws-glue/jobs", "pythonshell": "/aws-glue/python-jobs"}
STREAMS = ("output", "error")
TIMES_DIR = ".times"
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")


def log_group(command: str) -> str:
    return LOG_GROUPS.get(command, LOG_GROUPS["glueetl"])


@dataclass(frozen=True)
class RunFiles:
    data_dir: Path
    run_id: str
    log_group: str

    def __post_init__(self) -> None:
        # Run ids become file names; ours are always safe, but the CLI takes them from users.
        if not _SAFE_ID.fullmatch(self.run_id) or self.run_id.startswith("."):
            raise ValueError(f"{self.run_id!r} is not a job run id")

    @property
    def workdir(self) -> Path:
        return self.data_dir / "runs" / self.run_id

    @property
    def exit_status(self) -> Path:
        return self.data_dir / "runs" / f"{self.run_id}.exit"

    @property
    def outcome(self) -> Path:
        return self.data_dir / "runs" / f"{self.run_id}.state"

    def log(self, stream: str) -> Path:
        return self.data_dir / "logs" / self.log_group.strip("/") / stream / self.run_id

    def log_times(self, stream: str) -> Path:
        return times_path(self.log(stream))


def times_path(log: Path) -> Path:
    """The timestamp index of the log file ``log``."""
    return log.parent / TIMES_DIR / log.name


def find_run_files(data_dir: Path, run_id: str) -> RunFiles | None:
    """The files of a run that has logs in ``data_dir``, whichever group they are in."""
    for group in LOG_GROUPS.values():
        files = RunFiles(data_dir, run_id, group)
        if any(files.log(stream).exists() for stream in STREAMS):
            return files
    return None
