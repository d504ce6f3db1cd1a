"""``openglue run SCRIPT [-- ARGS]``: run a local script as a Glue job without defining one.

It defines a throwaway job for the script (``run-<script name>-<random>``), starts it with the
arguments given after ``--``, prints the run's output as it comes, and exits with the run's
outcome (0 only if it SUCCEEDED). The job is deleted afterwards unless ``--keep-job``; the
run's log files stay in the server's data directory. Ctrl-C stops the run.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from openglue.cli.client import (
    Api,
    CommandError,
    add_argument_options,
    add_endpoint_option,
    exit_status,
    parse_arguments,
    run_command,
    script_arguments,
)
from openglue.cli.follow import follow_run
from openglue.cli.jobs import add_job_options, job_definition
from openglue.cli.progress import RunProgress

EXIT_INTERRUPTED = 130
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def throwaway_name(script: str) -> str:
    stem = _UNSAFE.sub("-", Path(script).stem).strip("-")[:40] or "script"
    return f"run-{stem}-{secrets.token_hex(4)}"


def _run(api: Api, args: argparse.Namespace) -> int:
    script = Path(args.script)
    if not script.is_file():
        raise CommandError(f"{args.script} is not a file")
    arguments = {**parse_arguments(args.arguments), **script_arguments(args.script_args)}
    name = throwaway_name(args.script)
    api.glue.create_job(
        Name=name, **job_definition(str(script), args.job_type, arguments, args.timeout)
    )
    try:
        run_id = api.glue.start_job_run(JobName=name)["JobRunId"]
        progress = RunProgress(sys.stderr, name, run_id)
        try:
            run = follow_run(api, name, run_id, progress, show_logs=True)
        except KeyboardInterrupt:
            progress.clear()
            print(f"stopping run {run_id}", file=sys.stderr)
            api.glue.batch_stop_job_run(JobName=name, JobRunIds=[run_id])
            return EXIT_INTERRUPTED
        return exit_status(run["JobRunState"])
    finally:
        if not args.keep_job:
            # Best effort: a failure to clean up must not hide how the run went.
            with contextlib.suppress(ClientError, BotoCoreError):
                api.glue.delete_job(JobName=name)


def add_run_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run",
        usage="%(prog)s [options] SCRIPT [-- --KEY VALUE ...]",
        help="run a local script as a job, printing its output",
        description="Run SCRIPT as a Glue job on a running OpenGlue server without defining "
        "one first: a throwaway job is created, run and deleted. The run's output is printed "
        "as it comes (stdout and stderr); the exit status is 0 only if the run SUCCEEDED "
        "(1 FAILED, 124 TIMEOUT, 130 STOPPED or interrupted). Arguments after -- go to the "
        "script the way Glue passes them: --KEY VALUE pairs or a --KEY alone.",
    )
    run.add_argument("script", metavar="SCRIPT", help="the script (a path on this machine)")
    add_job_options(run)
    add_argument_options(run, "an argument of the job")
    run.add_argument(
        "--keep-job", action="store_true", help="keep the job (and its runs) afterwards"
    )
    add_endpoint_option(run)


def split_script_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """``openglue run``'s own arguments, and the script's (after the first ``--``).

    Split before argparse sees them: it would take the script's ``--KEY``s for options."""
    if argv[:1] != ["run"] or "--" not in argv:
        return argv, []
    cut = argv.index("--")
    return argv[:cut], argv[cut + 1 :]


def run_script(args: argparse.Namespace, script_args: list[str]) -> int:
    args.script_args = script_args
    return run_command("openglue run", args, _run)
