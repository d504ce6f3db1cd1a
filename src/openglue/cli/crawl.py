"""``openglue crawl PATH… --database DB``: crawl folders into a database without defining a
crawler first.

A throwaway crawler (``openglue-crawl-<database>``) is created, run and deleted; the catalog
changes are printed (``--explain``: every decision, with the similarity behind each grouping,
and every skipped file). ``--dry-run`` writes nothing: the crawl is planned here, against the
catalog as the server has it, and the changes it would make are printed. The paths are read
on this machine for a dry run and on the server's otherwise (the same machine, usually).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from openglue.cli.client import Api, CommandError, add_endpoint_option, run_command
from openglue.cli.crawlers import (
    DEFAULT_ROLE,
    EXIT_STATUS,
    print_crawl,
    target_path,
    wait_for_crawl,
)
from openglue.cli.progress import RunProgress


class ApiCatalog:
    """The catalog read through the Glue API, for a dry run's reconcile."""

    def __init__(self, glue: Any) -> None:
        self.glue = glue

    def get_table(self, database: str, name: str) -> dict[str, Any] | None:
        try:
            table: dict[str, Any] = self.glue.get_table(DatabaseName=database, Name=name)["Table"]
        except self.glue.exceptions.EntityNotFoundException:
            return None
        return table

    def tables_of_crawler(self, database: str, crawler: str) -> list[dict[str, Any]]:
        pages = self.glue.get_paginator("get_tables").paginate(DatabaseName=database)
        try:
            tables = [t for page in pages for t in page["TableList"]]
        except self.glue.exceptions.EntityNotFoundException:
            return []
        return [t for t in tables if t.get("Parameters", {}).get("UPDATED_BY_CRAWLER") == crawler]

    def partition_values(self, database: str, table: str) -> set[tuple[str, ...]]:
        pages = self.glue.get_paginator("get_partitions").paginate(
            DatabaseName=database, TableName=table, ExcludeColumnSchema=True
        )
        return {tuple(p["Values"]) for page in pages for p in page["Partitions"]}


def _dry_run(api: Api, args: argparse.Namespace, spec: dict[str, Any]) -> int:
    # Imported here: the other commands do not need the inference pipeline loaded.
    from openglue.crawler import crawl as steps
    from openglue.crawler.history import explain_lines
    from openglue.settings import load_settings
    from openglue.storage.sources import object_source_for

    # Paths mean what they mean to a server started from this shell: the same OpenGlue home
    # (embedded buckets) and S3 settings.
    try:
        server_settings = load_settings({})
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    settings = steps.settings_of(args.name, spec, ())
    catalog = ApiCatalog(api.glue)
    try:
        survey = steps.survey_targets(
            settings,
            lambda path: object_source_for(path, server_settings),
            steps.load_planner(),
            catalog,
            {},
            lambda: None,
        )
        decided = steps.decide(settings, survey, catalog)
    except steps.CrawlFailed as exc:
        raise CommandError(str(exc)) from None
    for line in explain_lines(survey, decided):
        if args.explain or line.startswith("CHANGE "):
            print(line if args.explain else line.removeprefix("CHANGE "))
    print(f"dry run: {len(decided.changes)} change(s), nothing written", file=sys.stderr)
    return 0


def _ensure_database(api: Api, database: str) -> None:
    try:
        api.glue.get_database(Name=database)
    except api.glue.exceptions.EntityNotFoundException:
        api.glue.create_database(DatabaseInput={"Name": database})
        print(f"created database {database}", file=sys.stderr)


def _crawl(api: Api, args: argparse.Namespace) -> int:
    spec: dict[str, Any] = {
        "Role": DEFAULT_ROLE,
        "DatabaseName": args.database,
        "Targets": {"S3Targets": [{"Path": target_path(p)} for p in args.paths]},
        "TablePrefix": args.prefix or "",
        "SchemaChangePolicy": {
            "UpdateBehavior": "UPDATE_IN_DATABASE",
            "DeleteBehavior": "LOG",  # an ad hoc crawl never removes what others crawled
        },
    }
    # One name per database, so that tables keep the same UPDATED_BY_CRAWLER from one ad hoc
    # crawl to the next (a different crawler would count as a change of the table).
    args.name = args.name or f"openglue-crawl-{args.database}"
    if args.dry_run:
        return _dry_run(api, args, spec)
    _ensure_database(api, args.database)
    api.glue.create_crawler(Name=args.name, **{k: v for k, v in spec.items() if v})
    try:
        api.glue.start_crawler(Name=args.name)
        last = wait_for_crawl(api, args.name, RunProgress(sys.stderr, "crawl", args.name))
        print_crawl(api, args.name, last, args.explain)
        return EXIT_STATUS.get(last["Status"], 1)
    except KeyboardInterrupt:
        with contextlib.suppress(ClientError, BotoCoreError):
            api.glue.stop_crawler(Name=args.name)
        return 130
    finally:
        if not args.keep_crawler:
            # Best effort: a failure to clean up must not hide how the crawl went.
            with contextlib.suppress(ClientError, BotoCoreError):
                _delete_when_ready(api, args.name)


def _delete_when_ready(api: Api, name: str) -> None:
    for _ in range(100):
        try:
            api.glue.delete_crawler(Name=name)
            return
        except api.glue.exceptions.CrawlerRunningException:
            time.sleep(0.1)


def add_crawl_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    crawl = commands.add_parser(
        "crawl",
        help="crawl folders into a database, printing the catalog changes",
        description="Crawl PATHs (folders, files or s3:// prefixes) into database DB without "
        "defining a crawler first: a throwaway crawler is created, run and deleted, and the "
        "catalog changes are printed. The database is created if missing. Exit status 0 only "
        "if the crawl SUCCEEDED.",
    )
    crawl.add_argument("paths", nargs="+", metavar="PATH", help="what to crawl")
    crawl.add_argument("--database", required=True, metavar="DB", help="the database")
    crawl.add_argument("--prefix", default=None, help="TablePrefix for the tables created")
    crawl.add_argument(
        "--explain",
        action="store_true",
        help="print every decision (grouping and its similarity, partitions, skipped files)",
    )
    crawl.add_argument(
        "--dry-run", action="store_true", help="print the catalog changes without writing any"
    )
    crawl.add_argument(
        "--name", default=None, help="name the crawler (default: openglue-crawl-<database>)"
    )
    crawl.add_argument(
        "--keep-crawler", action="store_true", help="keep the crawler (and its history)"
    )
    add_endpoint_option(crawl)


def run_crawl(args: argparse.Namespace) -> int:
    return run_command("openglue crawl", args, _crawl)
