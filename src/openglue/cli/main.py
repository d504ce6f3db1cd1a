"""``openglue``: run the server and talk to it.

Every command has ``--help``; every server flag is declared once in ``openglue.settings``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from openglue import __version__
from openglue.cli.crawl import add_crawl_parser, run_crawl
from openglue.cli.crawlers import add_crawlers_parser, run_crawlers
from openglue.cli.docs import add_docs_parser, run_docs
from openglue.cli.jobs import add_jobs_parser, run_jobs
from openglue.cli.logs import add_logs_parser, run_logs
from openglue.cli.run import add_run_parser, run_script, split_script_args
from openglue.cli.triggers import add_triggers_parser, run_triggers
from openglue.cli.workflows import add_workflows_parser, run_workflows
from openglue.settings import SETTINGS, load_settings


def _add_server_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser(
        "server",
        help="run the Glue API server",
        description="Run the OpenGlue server. It prints AWS_ENDPOINT_URL=... once it is ready; "
        "point boto3, the AWS CLI or the AWS SDK for JavaScript at that URL. "
        "SIGTERM or Ctrl-C stops it cleanly.",
    )
    for setting in SETTINGS:
        if setting.flag:
            server.add_argument(
                setting.flag,
                dest=setting.name,
                default=None,
                metavar=setting.name.upper(),
                help=f"{setting.help} (env {setting.env}; default: {setting.default or 'empty'})",
            )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openglue",
        description="OpenGlue: a self-hosted ETL service that speaks the AWS Glue API.",
    )
    parser.add_argument("--version", action="version", version=f"openglue {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_server_parser(commands)
    commands.add_parser(
        "version", help="print the OpenGlue version", description="Print the OpenGlue version."
    )
    add_docs_parser(commands)
    add_logs_parser(commands)
    add_jobs_parser(commands)
    add_crawlers_parser(commands)
    add_crawl_parser(commands)
    add_triggers_parser(commands)
    add_workflows_parser(commands)
    add_run_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv, script_args = split_script_args(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.command == "version":
        print(f"openglue {__version__}")
        return 0
    if args.command == "docs":
        return run_docs(args)
    if args.command == "logs":
        return run_logs(args)
    if args.command == "jobs":
        return run_jobs(args)
    if args.command == "crawlers":
        return run_crawlers(args)
    if args.command == "crawl":
        return run_crawl(args)
    if args.command == "triggers":
        return run_triggers(args)
    if args.command == "workflows":
        return run_workflows(args)
    if args.command == "run":
        return run_script(args, script_args)
    if args.command == "server":
        from openglue.server import serve

        flags = {s.name: getattr(args, s.name) for s in SETTINGS if s.flag}
        try:
            settings = load_settings(flags)
        except ValueError as exc:
            parser.error(str(exc))
        serve(settings)
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
