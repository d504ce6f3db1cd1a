"""``openglue jobs create|list|run|runs|stop``: define, start, watch and stop jobs on a running
server, through the Glue API (boto3), like any other client."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openglue.cli.client import (
    Api,
    add_argument_options,
    add_endpoint_option,
    exit_status,
    parse_arguments,
    run_command,
)
from openglue.cli.follow import follow_run
from openglue.cli.progress import RunProgress, elapsed_text

JOB_TYPES = ("glueetl", "pythonshell")
_S3 = ("s3://", "s3a://", "s3n://")
DEFAULT_ROLE = "openglue"  # Glue requires a Role; OpenGlue records it and checks nothing


def script_location(script: str) -> str:
    """A local script as the absolute path the server opens; ``s3://`` locations as they are."""
    if script.lower().startswith(_S3):
        return script
    return str(Path(script).expanduser().absolute())


def job_definition(
    script: str, job_type: str, arguments: dict[str, str], timeout: int | None
) -> dict[str, Any]:
    """The CreateJob members (but the name) for a job that runs ``script``."""
    definition: dict[str, Any] = {
        "Role": DEFAULT_ROLE,
        "Command": {"Name": job_type, "ScriptLocation": script_location(script)},
    }
    if arguments:
        definition["DefaultArguments"] = arguments
    if timeout is not None:
        definition["Timeout"] = timeout
    return definition


def add_job_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        dest="job_type",
        choices=JOB_TYPES,
        default="glueetl",
        help="glueetl (Spark, the default, as in Glue) or pythonshell",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="MINUTES",
        help="the job's Timeout in minutes (default: Glue's, 480 or 2880)",
    )


def _create(api: Api, args: argparse.Namespace) -> int:
    if not args.script.lower().startswith(_S3) and not Path(args.script).is_file():
        print(f"openglue jobs create: warning: {args.script} is not a file here", file=sys.stderr)
    definition = job_definition(
        args.script, args.job_type, parse_arguments(args.arguments), args.timeout
    )
    if args.max_concurrent_runs is not None:
        definition["ExecutionProperty"] = {"MaxConcurrentRuns": args.max_concurrent_runs}
    api.glue.create_job(Name=args.name, **definition)
    print(f"created job {args.name} ({args.job_type}, {definition['Command']['ScriptLocation']})")
    return 0


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())


def _list(api: Api, args: argparse.Namespace) -> int:
    jobs = [
        job
        for page in api.glue.get_paginator("get_jobs").paginate()
        for job in page.get("Jobs", [])
    ]
    if not jobs:
        print("no jobs (create one with `openglue jobs create NAME --script PATH`)")
        return 0
    rows = [("NAME", "TYPE", "GLUE", "SCRIPT")]
    for job in sorted(jobs, key=lambda j: j["Name"]):
        command = job.get("Command", {})
        rows.append(
            (job["Name"], command.get("Name", ""), job.get("GlueVersion", ""),
             command.get("ScriptLocation", ""))
        )  # fmt: skip
    _table(rows)
    return 0


def _local_time(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _runs(api: Api, args: argparse.Namespace) -> int:
    runs = api.glue.get_job_runs(JobName=args.name, MaxResults=args.limit).get("JobRuns", [])
    if not runs:
        print(f"job {args.name} has no runs (start one with `openglue jobs run {args.name}`)")
        return 0
    rows = [("RUN ID", "STATE", "STARTED", "TIME", "ERROR")]
    for run in runs:
        seconds = run.get("ExecutionTime") or 0
        rows.append(
            (run["Id"], run["JobRunState"], _local_time(run.get("StartedOn")),
             elapsed_text(seconds) if seconds else "", run.get("ErrorMessage", ""))
        )  # fmt: skip
    _table(rows)
    return 0


def _run(api: Api, args: argparse.Namespace) -> int:
    request: dict[str, Any] = {"JobName": args.name}
    arguments = parse_arguments(args.arguments)
    if arguments:
        request["Arguments"] = arguments
    run_id = api.glue.start_job_run(**request)["JobRunId"]
    if not (args.wait or args.logs):
        print(run_id)
        return 0
    progress = RunProgress(sys.stderr, args.name, run_id)
    try:
        run = follow_run(api, args.name, run_id, progress, show_logs=args.logs)
    except KeyboardInterrupt:
        progress.clear()
        print(
            f"stopped waiting; run {run_id} goes on (`openglue jobs stop {args.name} {run_id}` "
            "stops it)",
            file=sys.stderr,
        )
        return 130
    return exit_status(run["JobRunState"])


def _stop(api: Api, args: argparse.Namespace) -> int:
    answer = api.glue.batch_stop_job_run(JobName=args.name, JobRunIds=args.run_ids)
    for done in answer.get("SuccessfulSubmissions", []):
        print(f"stopping {done['JobRunId']}")
    for error in answer.get("Errors", []):
        detail = error.get("ErrorDetail", {})
        print(
            f"openglue jobs stop: {error['JobRunId']}: {detail.get('ErrorCode')}: "
            f"{detail.get('ErrorMessage')}",
            file=sys.stderr,
        )
    return 1 if answer.get("Errors") else 0


_COMMANDS = {"create": _create, "list": _list, "run": _run, "runs": _runs, "stop": _stop}


def add_jobs_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    jobs = commands.add_parser(
        "jobs",
        help="define, run, watch and stop jobs on a running server",
        description="Define, run, watch and stop jobs on a running OpenGlue server, through "
        "its Glue API. Start a server first with `openglue server`.",
    )
    sub = jobs.add_subparsers(dest="jobs_command", metavar="COMMAND", required=True)

    create = sub.add_parser(
        "create", help="define a job", description="Define a job (CreateJob) that runs SCRIPT."
    )
    create.add_argument("name", metavar="NAME", help="the job's name")
    create.add_argument(
        "--script", required=True, help="the script: a path (on the server's machine) or s3://…"
    )
    add_job_options(create)
    add_argument_options(create, "a default argument of the job")
    create.add_argument(
        "--max-concurrent-runs",
        type=int,
        default=None,
        metavar="N",
        help="the job's ExecutionProperty.MaxConcurrentRuns (default: 1)",
    )

    sub.add_parser("list", help="list the jobs", description="List the jobs (GetJobs).")

    run = sub.add_parser(
        "run",
        help="start a run of a job",
        description="Start a run of job NAME (StartJobRun) and print its run id; with --wait, "
        "show its state until it ends and exit 0 only if it SUCCEEDED (1 FAILED, 124 TIMEOUT, "
        "130 STOPPED).",
    )
    run.add_argument("name", metavar="NAME", help="the job's name")
    add_argument_options(run, "an argument of this run")
    run.add_argument("--wait", action="store_true", help="wait for the run to end")
    run.add_argument(
        "--logs", action="store_true", help="print the run's output while waiting (implies --wait)"
    )

    runs = sub.add_parser(
        "runs", help="list a job's runs", description="List job NAME's runs, newest first."
    )
    runs.add_argument("name", metavar="NAME", help="the job's name")
    runs.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")

    stop = sub.add_parser(
        "stop", help="stop runs", description="Stop runs of job NAME (BatchStopJobRun)."
    )
    stop.add_argument("name", metavar="NAME", help="the job's name")
    stop.add_argument("run_ids", nargs="+", metavar="RUN_ID", help="the runs to stop (jr_…)")

    for parser in (create, sub.choices["list"], run, runs, stop):
        add_endpoint_option(parser)


def run_jobs(args: argparse.Namespace) -> int:
    command = _COMMANDS[args.jobs_command]
    return run_command(f"openglue jobs {args.jobs_command}", args, command)
