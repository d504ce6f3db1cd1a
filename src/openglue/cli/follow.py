"""Waiting for a run through the API: its state from GetJobRun, its output from the CloudWatch
Logs API (GetLogEvents on the run's ``output`` and ``error`` streams), as a client on another
machine would see them.

Output events go to stdout and error events to stderr, merged in timestamp order. The logs API
serves lines, so the run's empty lines are not shown (CloudWatch has no empty events).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from botocore.exceptions import ClientError

from openglue.cli.client import Api, is_final
from openglue.cli.progress import RunProgress

POLL_INTERVAL = 0.2  # seconds between looks at the run
_STREAMS = ("output", "error")


class RunLogs:
    """The events of a run's two log streams that have not been fetched yet."""

    def __init__(self, logs: Any, group: str, run_id: str) -> None:
        self.logs = logs
        self.group = group
        self.run_id = run_id
        self.tokens: dict[str, str | None] = dict.fromkeys(_STREAMS)

    def fetch(self) -> list[tuple[int, str, str]]:
        """New events as ``(timestamp, stream, message)``, oldest first (one page a stream)."""
        found: list[tuple[int, str, str]] = []
        for stream in _STREAMS:
            params: dict[str, Any] = {
                "logGroupName": f"{self.group}/{stream}",
                "logStreamName": self.run_id,
                "startFromHead": True,
            }
            token = self.tokens[stream]
            if token:
                params["nextToken"] = token
            try:
                page = self.logs.get_log_events(**params)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                    continue  # the run has not started writing yet
                raise
            found += [(e["timestamp"], stream, e["message"]) for e in page["events"]]
            self.tokens[stream] = page["nextForwardToken"]
        found.sort(key=lambda event: event[0])  # stable: each stream keeps its own order
        return found


def _show(events: list[tuple[int, str, str]], progress: RunProgress) -> None:
    if not events:
        return
    progress.clear()
    for _, stream, message in events:
        target = sys.stdout if stream == "output" else sys.stderr
        target.write(message + "\n")
        target.flush()


def follow_run(
    api: Api, job: str, run_id: str, progress: RunProgress, *, show_logs: bool
) -> dict[str, Any]:
    """Poll the run until it ends, showing its state (and its output); the final JobRun."""
    logs: RunLogs | None = None
    while True:
        run: dict[str, Any] = api.glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        state = run["JobRunState"]
        if show_logs:
            if logs is None:
                logs = RunLogs(api.logs, run.get("LogGroupName") or "/aws-glue/jobs", run_id)
            _show(logs.fetch(), progress)
        if is_final(state):
            # Everything the run wrote is on disk once its state is final: read to the end.
            while logs is not None and (events := logs.fetch()):
                _show(events, progress)
            progress.finish(state, run.get("ErrorMessage"))
            return run
        progress.update(state)
        time.sleep(POLL_INTERVAL)
