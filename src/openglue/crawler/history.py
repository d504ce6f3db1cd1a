"""What crawls did, for ListCrawls, GetCrawlerMetrics and the crawl log.

ListCrawls' ``Summary`` is at most 255 characters (the model's NameString), so it carries the
counts, in Glue's ``{"TABLE":{"ADD":{"Count":1}}}`` form; the full account (every decision and
its reason) is in the crawl's log stream and in the stored report.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from openglue.errors import InvalidInputException
from openglue.logs.groups import CRAWLER_LOG_GROUP
from openglue.store.crawlers import CrawlerRecord, CrawlRecord

if TYPE_CHECKING:
    from openglue.crawler.crawl import Survey
    from openglue.crawler.reconcile import Reconciliation

_SUMMARY_KEYS = {
    "create_table": ("TABLE", "ADD"),
    "update_table": ("TABLE", "UPDATE"),
    "deprecate_table": ("TABLE", "DEPRECATE"),
    "delete_table": ("TABLE", "DELETE"),
    "add_partitions": ("PARTITION", "ADD"),
    "delete_partitions": ("PARTITION", "DELETE"),
}


def crawl_summary(counts: Mapping[str, int]) -> str:
    summary: dict[str, dict[str, dict[str, int]]] = {}
    for action, count in counts.items():
        kind, verb = _SUMMARY_KEYS[action]
        if count:
            summary.setdefault(kind, {})[verb] = {"Count": count}
    return json.dumps(summary, separators=(",", ":"))


def _decision_line(kind: str, subject: str, reason: str, similarity: float | None) -> str:
    line = f"{kind.upper()} {subject}: {reason}"
    return line if similarity is None else f"{line} (similarity {similarity:.2f})"


def explain_lines(survey: Survey, decided: Reconciliation) -> list[str]:
    """The crawl's decisions, skipped files and catalog changes, one line each."""
    lines = [_decision_line(d.kind, d.subject, d.reason, d.similarity) for d in survey.decisions]
    lines += [f"SKIPPED {s.key}: {s.reason}" for s in survey.skipped]
    lines += [_decision_line(d.kind, d.subject, d.reason, d.similarity) for d in decided.decisions]
    lines += [f"CHANGE {c.describe()}" for c in decided.changes]
    if not decided.changes:
        lines.append("CHANGE none: the catalog already matches the data")
    return lines


def previous_folders(crawls: Sequence[CrawlRecord]) -> dict[str, list[str]]:
    """Top-level folders already crawled, per target root, from the latest completed crawls
    (for CRAWL_NEW_FOLDERS_ONLY)."""
    seen: dict[str, set[str]] = {}
    for crawl in crawls:
        if crawl.state != "COMPLETED" or not crawl.report:
            continue
        for root, folders in (crawl.report.get("folders") or {}).items():
            seen.setdefault(root, set()).update(folders)
    return {root: sorted(folders) for root, folders in seen.items()}


def history_to_aws(crawl: CrawlRecord, stream: str | None) -> dict[str, Any]:
    """The ``CrawlerHistory`` shape."""
    entry: dict[str, Any] = {
        "CrawlId": crawl.crawl_id,
        "State": crawl.state,
        "StartTime": crawl.start_time,
        "LogGroup": CRAWLER_LOG_GROUP,
        "MessagePrefix": crawl.crawl_id,
        "DPUHour": crawl.dpu_hour,
    }
    if stream:
        entry["LogStream"] = stream
    if crawl.end_time is not None:
        entry["EndTime"] = crawl.end_time
    if crawl.summary and crawl.summary != "{}":
        entry["Summary"] = crawl.summary
    if crawl.error_message:
        entry["ErrorMessage"] = crawl.error_message
    return entry


_FIELDS: dict[str, Callable[[CrawlRecord], Any]] = {
    "CRAWL_ID": lambda c: c.crawl_id,
    "STATE": lambda c: c.state,
    "START_TIME": lambda c: c.start_time,
    "END_TIME": lambda c: c.end_time,
    "DPU_HOUR": lambda c: c.dpu_hour,
}
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "EQ": lambda a, b: a == b,
    "NE": lambda a, b: a != b,
    "GT": lambda a, b: a > b,
    "GE": lambda a, b: a >= b,
    "LT": lambda a, b: a < b,
    "LE": lambda a, b: a <= b,
}


def _filter_value(field: str, text: str) -> Any:
    if field in ("CRAWL_ID", "STATE"):
        return text
    if field.endswith("_TIME"):
        return _time_value(field, text)
    try:
        return float(text)
    except ValueError:
        raise InvalidInputException(f"Filter value {text!r} for {field} is not a number") from None


def _time_value(field: str, text: str) -> float:
    """Epoch seconds from epoch milliseconds (what the console sends), epoch seconds, or an
    ISO 8601 date-time."""
    try:
        number = float(text)
    except ValueError:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInputException(
                f"Filter value {text!r} for {field} is not a time; give epoch milliseconds "
                "or an ISO 8601 date-time such as 2026-01-31T12:00:00Z"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    # Below 10^11 it cannot be milliseconds of any date since 1973: take it as seconds.
    return number / 1000 if number >= 1e11 else number


def crawl_filter(filters: Sequence[Mapping[str, Any]]) -> Callable[[CrawlRecord], bool]:
    """A predicate over crawls for ListCrawls' ``Filters`` (all must hold)."""
    tests = []
    for entry in filters:
        field, operator = entry.get("FieldName"), entry.get("FilterOperator")
        if field is None or operator is None or entry.get("FieldValue") is None:
            raise InvalidInputException(
                "Each filter needs FieldName, FilterOperator and FieldValue"
            )
        tests.append(
            (_FIELDS[field], _OPERATORS[operator], _filter_value(field, entry["FieldValue"]))
        )

    def keep(crawl: CrawlRecord) -> bool:
        for read, compare, value in tests:
            actual = read(crawl)
            if actual is None or not compare(actual, value):
                return False
        return True

    return keep


def metrics_to_aws(record: CrawlerRecord, crawls: Sequence[CrawlRecord]) -> dict[str, Any]:
    """The ``CrawlerMetrics`` shape: table counts of the last finished crawl, run times."""
    finished = [c for c in crawls if c.end_time is not None]
    runtimes = [c.end_time - c.start_time for c in finished if c.end_time is not None]
    counts = (finished[0].report or {}).get("counts", {}) if finished else {}
    return {
        "CrawlerName": record.name,
        "TimeLeftSeconds": 0.0,
        "StillEstimating": record.state != "READY",
        "LastRuntimeSeconds": round(runtimes[0], 3) if runtimes else 0.0,
        "MedianRuntimeSeconds": round(statistics.median(runtimes), 3) if runtimes else 0.0,
        "TablesCreated": counts.get("create_table", 0),
        "TablesUpdated": counts.get("update_table", 0),
        "TablesDeleted": counts.get("delete_table", 0) + counts.get("deprecate_table", 0),
    }
