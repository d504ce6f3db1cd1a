"""``openglue crawlers create|start|list|show``: define, run and inspect crawlers on a running
server, through the Glue API (boto3), like any other client."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openglue.cli.client import Api, CommandError, add_endpoint_option, run_command
from openglue.cli.progress import RunProgress
from openglue.logs.groups import CRAWLER_LOG_GROUP

DEFAULT_ROLE = "openglue"  # Glue requires a Role; OpenGlue records it and checks nothing
# Exit statuses of commands that wait for a crawl: 0 only when it SUCCEEDED.
EXIT_STATUS = {"SUCCEEDED": 0, "FAILED": 1, "CANCELLED": 130}
_POLL_SECONDS = 0.1
_PROGRESS_SECONDS = 0.5


def target_path(path: str) -> str:
    """A local folder as the absolute path the server reads; ``s3://`` addresses as they are."""
    if path.lower().startswith(("s3://", "s3a://", "s3n://", "file://")):
        return path
    return str(Path(path).expanduser().absolute())


def wait_for_crawl(api: Api, name: str, progress: RunProgress) -> dict[str, Any]:
    """Poll until the crawler is READY again, showing how far the crawl got; its LastCrawl."""
    since = int(time.time() * 1000) - 1000  # the crawl's log lines, not an earlier crawl's
    shown, polled = "", 0.0
    while True:
        crawler = api.glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY" and "LastCrawl" in crawler:
            last: dict[str, Any] = crawler["LastCrawl"]
            progress.finish(last["Status"], last.get("ErrorMessage"))
            return last
        if time.monotonic() - polled > _PROGRESS_SECONDS:
            polled = time.monotonic()
            shown = _latest_progress(api, name, since) or shown
        progress.update(f"{crawler['State']} {shown}".rstrip())
        time.sleep(_POLL_SECONDS)


def _latest_progress(api: Api, crawler: str, since: int) -> str | None:
    """The newest PROGRESS line the crawl logged (files read, tables found)."""
    try:
        events = api.logs.get_log_events(
            logGroupName=CRAWLER_LOG_GROUP,
            logStreamName=crawler,
            startTime=since,
            startFromHead=False,
        )["events"]
    except api.logs.exceptions.ResourceNotFoundException:
        return None
    for event in reversed(events):
        message: str = event["message"]
        _, found, text = message.partition(" : PROGRESS ")
        if found:
            return text
    return None


def crawl_lines(api: Api, crawler: str, crawl_id: str) -> list[str]:
    """The crawl's log lines (without their ``[crawl id] LEVEL :`` prefix)."""
    prefix = f"[{crawl_id}] "
    lines: list[str] = []
    request: dict[str, Any] = {
        "logGroupName": CRAWLER_LOG_GROUP,
        "logStreamName": crawler,
        "startFromHead": True,
    }
    while True:
        try:
            answer = api.logs.get_log_events(**request)
        except api.logs.exceptions.ResourceNotFoundException:
            return lines
        for event in answer.get("events", []):
            message = event["message"]
            if message.startswith(prefix):
                lines.append(message[len(prefix) :].split(" : ", 1)[-1])
        token = answer.get("nextForwardToken")
        if not answer.get("events") or token == request.get("nextToken"):
            return lines
        request["nextToken"] = token


def print_crawl(api: Api, crawler: str, last: dict[str, Any], explain: bool) -> None:
    """The catalog changes of a crawl; with ``explain``, every decision and skipped file."""
    lines = crawl_lines(api, crawler, last.get("MessagePrefix", ""))
    for line in lines:
        if explain or line.startswith("CHANGE "):
            print(line.removeprefix("CHANGE ") if not explain else line)


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())


def _targets(crawler: dict[str, Any]) -> str:
    targets = crawler.get("Targets", {})
    paths = [t.get("Path", "") for t in targets.get("S3Targets", [])]
    paths += [
        f"{t['DatabaseName']}.{','.join(t['Tables'])}" for t in targets.get("CatalogTargets", [])
    ]
    return " ".join(paths)


def _create(api: Api, args: argparse.Namespace) -> int:
    request: dict[str, Any] = {
        "Name": args.name,
        "Role": DEFAULT_ROLE,
        "DatabaseName": args.database,
        "Targets": {"S3Targets": [{"Path": target_path(p)} for p in args.paths]},
    }
    if args.prefix:
        request["TablePrefix"] = args.prefix
    if args.schedule:
        request["Schedule"] = args.schedule
    api.glue.create_crawler(**request)
    print(f"created crawler {args.name} ({_targets(request)} → database {args.database})")
    return 0


def _start(api: Api, args: argparse.Namespace) -> int:
    api.glue.start_crawler(Name=args.name)
    if not args.wait:
        print(f"started crawler {args.name}")
        return 0
    last = wait_for_crawl(api, args.name, RunProgress(sys.stderr, "crawler", args.name))
    print_crawl(api, args.name, last, args.explain)
    return EXIT_STATUS.get(last["Status"], 1)


def _list(api: Api, args: argparse.Namespace) -> int:
    pages = api.glue.get_paginator("get_crawlers").paginate()
    crawlers = [c for page in pages for c in page.get("Crawlers", [])]
    if not crawlers:
        print("no crawlers (create one with `openglue crawlers create NAME PATH --database DB`)")
        return 0
    rows = [("NAME", "STATE", "LAST CRAWL", "DATABASE", "TARGETS")]
    for crawler in crawlers:
        last = crawler.get("LastCrawl", {}).get("Status", "")
        rows.append(
            (
                crawler["Name"],
                crawler["State"],
                last,
                crawler.get("DatabaseName", "default"),
                _targets(crawler),
            )
        )
    _table(rows)
    return 0


def _show(api: Api, args: argparse.Namespace) -> int:
    crawler = api.glue.get_crawler(Name=args.name)["Crawler"]
    schedule = crawler.get("Schedule", {})
    print(f"crawler   {crawler['Name']} ({crawler['State']}, version {crawler['Version']})")
    prefix = crawler.get("TablePrefix") or "-"
    print(f"database  {crawler.get('DatabaseName', 'default')}  prefix {prefix}")
    print(f"targets   {_targets(crawler)}")
    print(
        f"policies  {json.dumps(crawler.get('SchemaChangePolicy', {}))} "
        f"{crawler.get('RecrawlPolicy', {}).get('RecrawlBehavior', '')}"
    )
    if schedule:
        print(f"schedule  {schedule['ScheduleExpression']} ({schedule['State']})")
    crawls = api.glue.list_crawls(CrawlerName=args.name, MaxResults=args.limit)["Crawls"]
    if crawls:
        rows = [("CRAWL ID", "STATE", "STARTED", "SUMMARY")]
        for crawl in crawls:
            started = crawl["StartTime"].astimezone().strftime("%Y-%m-%d %H:%M:%S")
            detail = crawl.get("ErrorMessage") or crawl.get("Summary", "")
            rows.append((crawl["CrawlId"], crawl["State"], started, detail))
        print()
        _table(rows)
    if args.explain:
        last = crawler.get("LastCrawl")
        if not last:
            raise CommandError(f"crawler {args.name} has not crawled yet")
        print()
        print_crawl(api, args.name, last, explain=True)
    return 0


_COMMANDS = {"create": _create, "start": _start, "list": _list, "show": _show}


def add_crawlers_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    crawlers = commands.add_parser(
        "crawlers",
        help="define, run and inspect crawlers on a running server",
        description="Define, run and inspect crawlers on a running OpenGlue server, through its "
        "Glue API. Start a server first with `openglue server`.",
    )
    sub = crawlers.add_subparsers(dest="crawlers_command", metavar="COMMAND", required=True)
    create = sub.add_parser(
        "create", help="define a crawler", description="Define a crawler (CreateCrawler)."
    )
    create.add_argument("name", metavar="NAME", help="the crawler's name")
    create.add_argument(
        "paths", nargs="+", metavar="PATH", help="folders (on the server's machine) or s3://…"
    )
    create.add_argument("--database", required=True, help="the database its tables go to")
    create.add_argument("--prefix", default=None, help="TablePrefix for the tables it creates")
    create.add_argument("--schedule", default=None, metavar="CRON", help="e.g. 'cron(0 2 * * ? *)'")
    start = sub.add_parser(
        "start",
        help="start a crawl",
        description="Start a crawl of crawler NAME (StartCrawler); with --wait, show its state "
        "until it ends, print the catalog changes and exit 0 only if it SUCCEEDED "
        "(1 FAILED, 130 CANCELLED).",
    )
    start.add_argument("name", metavar="NAME", help="the crawler's name")
    start.add_argument("--wait", action="store_true", help="wait for the crawl to end")
    start.add_argument(
        "--explain", action="store_true", help="print every decision (implies --wait)"
    )
    sub.add_parser("list", help="list the crawlers", description="List the crawlers (GetCrawlers).")
    show = sub.add_parser(
        "show",
        help="show a crawler and its crawls",
        description="Show crawler NAME and its crawls.",
    )
    show.add_argument("name", metavar="NAME", help="the crawler's name")
    show.add_argument("--limit", type=int, default=10, metavar="N", help="crawls shown (10)")
    show.add_argument(
        "--explain", action="store_true", help="print what the last crawl decided and why"
    )
    for parser in (create, start, sub.choices["list"], show):
        add_endpoint_option(parser)


def run_crawlers(args: argparse.Namespace) -> int:
    if args.crawlers_command == "start" and args.explain:
        args.wait = True
    command = _COMMANDS[args.crawlers_command]
    return run_command(f"openglue crawlers {args.crawlers_command}", args, command)
