"""Following one pass of the pipeline through the API, printing each step as it happens.

Nothing sleeps blindly: every wait polls the API at short intervals against one deadline for
the whole demo, and a wait that runs out names what it was waiting for.
"""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from demo_server import DemoError
from pipeline_setup import CLEANED_CRAWLER, CRAWLER, JOB

from openglue.cli.private_call import private_call

T = TypeVar("T")
POLL_SECONDS = 0.1
FINAL_JOB_STATES = {"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"}
BOOKMARK_CTX = "orders"  # the transformation_ctx of the bookmarked script's read


@dataclass
class PassResult:
    files_read: int  # new files the job's bookmark took on
    files_bookmarked: int
    job_seconds: float
    cataloged_at: float  # time.monotonic() when the output's crawl ended


class Watch:
    """Polls the server for what the triggers start, remembering what it has already seen."""

    def __init__(self, glue: Any, logs: Any, timeout: float, show: Callable[[str], None]) -> None:
        self.glue = glue
        self.logs = logs
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.show = show
        self.seen: set[str] = set()
        self.bookmarked: set[str] = set()

    def until(self, what: str, probe: Callable[[], T | None]) -> T:
        while (found := probe()) is None:
            self.tick(what)
        return found

    def tick(self, what: str) -> None:
        """A short pause before the next poll, or the end of the demo past its deadline."""
        if time.monotonic() > self.deadline:
            raise DemoError(
                f"gave up after {self.timeout:.0f} s of the demo waiting for {what}; "
                "the server's output follows the demo's"
            )
        time.sleep(POLL_SECONDS)

    def follow_pass(self, trigger: str) -> PassResult:
        """Trigger fired → crawl → job run → crawl of the job's output."""
        fire = self.until(f"trigger {trigger} to fire", lambda: self._new_fire(trigger))
        objects = fire.get("Objects") or []
        what = f"{len(objects)} new object(s)" if objects else fire.get("Reason", "")
        self.show(f"trigger {trigger} fired: {what}")
        self._follow_crawl(CRAWLER)
        run = self._follow_job()
        new_files, files = self._bookmark_news()
        self._follow_crawl(CLEANED_CRAWLER)
        return PassResult(new_files, files, float(run.get("ExecutionTime", 0)), time.monotonic())

    def _new_fire(self, trigger: str) -> dict[str, Any] | None:
        fires = private_call(self.glue, "GetTriggerFires", {"Name": trigger, "MaxResults": 5})
        for fire in fires.get("Fires", []):
            key = f"fire:{trigger}:{fire['FireKey']}"
            if key not in self.seen and "Outcome" in fire:  # its actions have run
                self.seen.add(key)
                return dict(fire)
        return None

    def _new_id(self, ids: list[str]) -> str | None:
        fresh = [i for i in ids if i not in self.seen]
        if fresh:
            self.seen.add(fresh[0])
            return fresh[0]
        return None

    def follow_hand_crawl(self, after_crawl: str) -> None:
        """StartCrawler by hand: the crawl runs, and the conditional trigger says why it did not
        start the job (its fire history, as ``openglue triggers show`` prints it)."""
        self.glue.start_crawler(Name=CRAWLER)
        self.show(f"StartCrawler {CRAWLER}")
        crawl_id = self._follow_crawl(CRAWLER)
        key = f"not-by-trigger:{crawl_id}"

        def skipped() -> str | None:
            fires = private_call(self.glue, "GetTriggerFires", {"Name": after_crawl})
            return next((f["Reason"] for f in fires["Fires"] if f["FireKey"] == key), None)

        reason = self.until(f"trigger {after_crawl} to take note of the crawl", skipped)
        for line in textwrap.wrap(f"trigger {after_crawl}: {reason}", 92, subsequent_indent="  "):
            self.show(line)

    def _follow_crawl(self, crawler: str) -> str:
        def newest() -> list[str]:
            return [c["CrawlId"] for c in self.glue.list_crawls(CrawlerName=crawler)["Crawls"]]

        crawl_id = self.until(f"a crawl of {crawler}", lambda: self._new_id(newest()))
        last = ""
        while True:
            crawls = self.glue.list_crawls(CrawlerName=crawler)["Crawls"]
            crawl = next(c for c in crawls if c["CrawlId"] == crawl_id)
            if crawl["State"] != last:
                last = crawl["State"]
                summary = f": {crawl['Summary']}" if crawl.get("Summary") else ""
                self.show(f"crawl of {crawler} {last}{summary}")
            if last != "RUNNING":
                break
            self.tick(f"the crawl of {crawler} to end")
        if last != "COMPLETED":
            raise DemoError(f"the crawl of {crawler} ended {last}: {crawl.get('ErrorMessage')}")
        for change in self._crawl_changes(crawler, crawl_id):
            self.show("  " + textwrap.shorten(change, 100, placeholder=" …"))
        return crawl_id

    def _crawl_changes(self, crawler: str, crawl_id: str) -> list[str]:
        """What the crawl wrote to the catalog, from its log (CloudWatch Logs' API)."""
        events = self.logs.get_log_events(
            logGroupName="/aws-glue/crawlers", logStreamName=crawler, startFromHead=True
        )["events"]
        lines = [e["message"] for e in events if crawl_id in e["message"]]
        changes = [line.split("CHANGE ", 1)[1] for line in lines if "CHANGE " in line]
        return [c.replace("none: ", "no change: ", 1) for c in changes]

    def _follow_job(self) -> dict[str, Any]:
        def newest() -> list[str]:
            return [r["Id"] for r in self.glue.get_job_runs(JobName=JOB)["JobRuns"]]

        run_id = self.until(f"a run of {JOB}", lambda: self._new_id(newest()))
        last = ""
        while True:
            run: dict[str, Any] = self.glue.get_job_run(JobName=JOB, RunId=run_id)["JobRun"]
            if run["JobRunState"] != last:
                last = run["JobRunState"]
                self.show(f"job run of {JOB} {last} (TriggerName {run.get('TriggerName')})")
            if last in FINAL_JOB_STATES:
                break
            self.tick(f"the run of {JOB} to end")
        if last != "SUCCEEDED":
            raise DemoError(f"{JOB} ended {last}: {run.get('ErrorMessage', '')}")
        return run

    def _bookmark_news(self) -> tuple[int, int]:
        """How many files the job's bookmark took on in this run, and how many it holds.

        GetJobBookmark gives the ``orders`` ctx's element, whose ``INCLUDE_LIST`` names every
        file it has processed within its band (15 min: the whole demo) by a hash.
        """
        entry = self.glue.get_job_bookmark(JobName=JOB)["JobBookmarkEntry"]
        element = json.loads(entry.get("JobBookmark") or "{}").get(BOOKMARK_CTX, {})
        files = {h for h in element.get("INCLUDE_LIST", "").split(",") if h}
        new = files - self.bookmarked
        self.bookmarked = files
        self.show(
            f"GetJobBookmark: version {entry['Version']}, run {entry['Run']}; "
            f"ctx {BOOKMARK_CTX!r} has {len(files)} file(s), {len(new)} new in this run"
        )
        return len(new), len(files)
