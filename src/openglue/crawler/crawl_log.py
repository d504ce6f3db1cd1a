"""A crawl's log: lines appended to the crawler's stream in the ``/aws-glue/crawlers`` group.

The stream is a file laid out like a job run's (``logs/aws-glue/crawlers/<crawler>`` plus its
``.times`` index of ``<byte offset> <epoch ms>`` lines), so GetLogEvents, FilterLogEvents and
``aws logs tail`` read it with no code of their own. Every line starts with ``[<crawl id>]``:
the crawl's MessagePrefix, which tells the crawls of one stream apart.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from openglue.jobs.layout import times_path
from openglue.logs.groups import CRAWLER_LOG_GROUP

# The names the log layout serves as streams (the same rule as job run ids).
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def log_stream_name(crawler: str) -> str | None:
    """The crawler's stream, or ``None`` for a name that cannot be a file name (such a
    crawler's log is kept only in its crawls' reports)."""
    if not _SAFE_NAME.fullmatch(crawler) or crawler.startswith("."):
        return None
    return crawler


def crawler_log_path(data_dir: Path, crawler: str) -> Path | None:
    stream = log_stream_name(crawler)
    return None if stream is None else data_dir / "logs" / CRAWLER_LOG_GROUP.strip("/") / stream


class CrawlLog:
    """Appends one crawl's lines; also keeps them, for the crawl's report."""

    def __init__(self, data_dir: Path, crawler: str, crawl_id: str) -> None:
        self.path = crawler_log_path(data_dir, crawler)
        self.prefix = f"[{crawl_id}]"
        self.lines: list[str] = []
        self._lock = threading.Lock()
        if self.path is not None:
            times_path(self.path).parent.mkdir(parents=True, exist_ok=True)

    @property
    def stream(self) -> str | None:
        return None if self.path is None else self.path.name

    def write(self, level: str, message: str) -> None:
        for text in message.splitlines() or [""]:
            line = f"{self.prefix} {level} : {text}"
            self.lines.append(line)
            self._append(line)

    def info(self, message: str) -> None:
        self.write("INFO", message)

    def error(self, message: str) -> None:
        self.write("ERROR", message)

    def _append(self, line: str) -> None:
        if self.path is None:
            return
        data = (line + "\n").encode("utf-8")
        stamp = int(time.time() * 1000)
        with self._lock:
            offset = self.path.stat().st_size if self.path.exists() else 0
            # The index entry first: a reader never sees bytes without their timestamp.
            with open(times_path(self.path), "a", encoding="ascii") as index:
                index.write(f"{offset} {stamp}\n")
            with open(self.path, "ab") as log:
                log.write(data)
