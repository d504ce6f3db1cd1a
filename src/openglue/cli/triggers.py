"""``openglue triggers create|list|show|start|stop|delete``: triggers on a running server,
through the Glue API (boto3), like any other client."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from openglue.cli.client import (
    Api,
    CommandError,
    add_argument_options,
    add_endpoint_option,
    parse_arguments,
    run_command,
)
from openglue.cli.private_call import private_call
from openglue.errors import InvalidInputException
from openglue.scheduler.cron import parse_cron
from openglue.scheduler.event_sources import SOURCE_TAG

TYPES = {
    "scheduled": "SCHEDULED",
    "on-demand": "ON_DEMAND",
    "conditional": "CONDITIONAL",
    "event": "EVENT",
}


def _conditions(watched: list[str]) -> list[dict[str, str]]:
    """``JOB`` or ``JOB=STATE`` (default SUCCEEDED); ``crawler:NAME=STATE`` for crawlers."""
    conditions = []
    for item in watched:
        name, _, state = item.partition("=")
        if name.startswith("crawler:"):
            conditions.append({"CrawlerName": name[8:], "CrawlState": state or "SUCCEEDED"})
        else:
            conditions.append({"JobName": name, "State": state or "SUCCEEDED"})
    return conditions


def trigger_request(args: argparse.Namespace) -> dict[str, Any]:
    """The CreateTrigger members the command line describes."""
    arguments = parse_arguments(args.arguments)
    actions: list[dict[str, Any]] = [
        {"JobName": job, **({"Arguments": arguments} if arguments else {})} for job in args.jobs
    ]
    actions += [{"CrawlerName": crawler} for crawler in args.crawlers]
    if not actions:
        raise CommandError("name what the trigger starts: --job NAME and/or --crawler NAME")
    request: dict[str, Any] = {"Name": args.name, "Type": TYPES[args.type], "Actions": actions}
    if args.schedule:
        request["Schedule"] = args.schedule
    if args.after:
        request["Predicate"] = {"Logical": args.logical, "Conditions": _conditions(args.after)}
    if args.workflow:
        request["WorkflowName"] = args.workflow
    if args.description:
        request["Description"] = args.description
    if args.on_new:
        request["Tags"] = {SOURCE_TAG: " ".join(args.on_new)}
    if args.batch_size is not None or args.batch_window is not None:
        batching = {"BatchSize": args.batch_size or 1}
        if args.batch_window is not None:
            batching["BatchWindow"] = args.batch_window
        request["EventBatchingCondition"] = batching
    if args.start:
        request["StartOnCreation"] = True
    return request


def _create(api: Api, args: argparse.Namespace) -> int:
    api.glue.create_trigger(**trigger_request(args))
    state = api.glue.get_trigger(Name=args.name)["Trigger"]["State"]
    print(f"created trigger {args.name} ({TYPES[args.type]}, {state})")
    return 0


def _what_it_does(trigger: dict[str, Any]) -> str:
    starts = [a.get("JobName") or f"crawler {a.get('CrawlerName')}" for a in trigger["Actions"]]
    when = trigger.get("Schedule", "")
    if "Predicate" in trigger:
        conditions = trigger["Predicate"].get("Conditions", [])
        watched = [
            f"{c.get('JobName') or c.get('CrawlerName')} {c.get('State') or c.get('CrawlState')}"
            for c in conditions
        ]
        when = f" {trigger['Predicate'].get('Logical', 'AND')} ".join(watched)
    if "EventBatchingCondition" in trigger:
        batching = trigger["EventBatchingCondition"]
        when = (
            f"new objects, {batching.get('BatchSize', 1)} at a time or within "
            f"{batching.get('BatchWindow', 900)} s"
        )
    return f"{when or 'on demand'} → {', '.join(starts)}"


def _list(api: Api, args: argparse.Namespace) -> int:
    pages = api.glue.get_paginator("get_triggers").paginate()
    triggers = [t for page in pages for t in page.get("Triggers", [])]
    if not triggers:
        print("no triggers (create one with `openglue triggers create NAME --type … --job JOB`)")
        return 0
    rows = [("NAME", "TYPE", "STATE", "WHEN → STARTS")]
    rows += [(t["Name"], t["Type"], t["State"], _what_it_does(t)) for t in triggers]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[3]]))
    return 0


def next_fire_text(trigger: dict[str, Any], now: dt.datetime) -> str:
    if trigger.get("State") != "ACTIVATED" or not trigger.get("Schedule"):
        return "not scheduled (the trigger is not an ACTIVATED SCHEDULED trigger)"
    try:
        following = parse_cron(trigger["Schedule"]).next_fire(now)
    except InvalidInputException as exc:
        return exc.message
    return "never" if following is None else following.strftime("%Y-%m-%d %H:%M UTC")


def _show(api: Api, args: argparse.Namespace) -> int:
    trigger = api.glue.get_trigger(Name=args.name)["Trigger"]
    print(f"{trigger['Name']}  {trigger['Type']}  {trigger['State']}")
    if trigger.get("Description"):
        print(f"  {trigger['Description']}")
    print(f"  when:      {_what_it_does(trigger).split(' → ')[0]}")
    if trigger["Type"] == "SCHEDULED":
        print(f"  next fire: {next_fire_text(trigger, dt.datetime.now(dt.UTC))}")
    for action in trigger["Actions"]:
        if action.get("JobName"):
            extra = f" with {action['Arguments']}" if action.get("Arguments") else ""
            print(f"  starts:    job {action['JobName']}{extra}")
            for run in api.glue.get_job_runs(JobName=action["JobName"], MaxResults=50).get(
                "JobRuns", []
            ):
                if run.get("TriggerName") == args.name:
                    print(f"             last run {run['Id']} {run['JobRunState']}")
                    break
        else:
            print(f"  starts:    crawler {action['CrawlerName']}")
    fires = private_call(api.glue, "GetTriggerFires", {"Name": args.name, "MaxResults": 5})
    print("  fires:" if fires["Fires"] else "  fires:     none yet")
    for fire in fires["Fires"]:
        print(f"    {_utc_text(fire['FiredOn'])}  {fire['Reason']}")
        objects = fire.get("Objects") or []
        for address in objects[:3]:
            print(f"      new: {address}")
        if len(objects) > 3:
            print(f"      new: … and {len(objects) - 3} more")
        for done in fire.get("Outcome") or []:
            print(f"      {_outcome_text(done)}")
    return 0


def _utc_text(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _outcome_text(done: dict[str, Any]) -> str:
    target = f"job {done['JobName']}" if "JobName" in done else f"crawler {done['CrawlerName']}"
    if done.get("ErrorCode"):
        return f"{target}: not started: {done['ErrorCode']}: {done.get('ErrorMessage', '')}"
    started = done.get("JobRunId") or done.get("CrawlId") or ""
    return f"{target}: started {started}".rstrip()


def _simple(operation: str, verb: str) -> Any:
    def command(api: Api, args: argparse.Namespace) -> int:
        getattr(api.glue, operation)(Name=args.name)
        print(f"{verb} trigger {args.name}")
        return 0

    return command


_COMMANDS = {
    "create": _create,
    "list": _list,
    "show": _show,
    "start": _simple("start_trigger", "started"),
    "stop": _simple("stop_trigger", "stopped"),
    "delete": _simple("delete_trigger", "deleted"),
}


def add_triggers_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    triggers = commands.add_parser(
        "triggers",
        help="create, list, start, stop and delete triggers on a running server",
        description="Triggers start jobs and crawlers on a schedule, on demand, or when other "
        "jobs end (Glue's CreateTrigger and friends). Start a server first with `openglue "
        "server`.",
    )
    sub = triggers.add_subparsers(dest="triggers_command", metavar="COMMAND", required=True)
    create = sub.add_parser(
        "create",
        help="define a trigger",
        description="Define a trigger (CreateTrigger). Examples: --type scheduled --schedule "
        "'cron(0 6 * * ? *)' --job nightly --start; --type conditional --after extract "
        "--job load --start; --type on-demand --job nightly.",
    )
    create.add_argument("name", metavar="NAME", help="the trigger's name")
    create.add_argument("--type", choices=sorted(TYPES), required=True, help="the trigger type")
    create.add_argument(
        "--schedule", metavar="CRON", help="for scheduled triggers: cron(m h dom mon dow year)"
    )
    create.add_argument(
        "--job", dest="jobs", action="append", default=[], metavar="JOB", help="a job to start"
    )
    create.add_argument(
        "--crawler", dest="crawlers", action="append", default=[], metavar="CRAWLER",
        help="a crawler to start",
    )  # fmt: skip
    add_argument_options(create, "an argument for the jobs it starts")
    create.add_argument(
        "--after", action="append", default=[], metavar="JOB[=STATE]",
        help="for conditional triggers: fire when JOB ends in STATE (default SUCCEEDED; "
        "crawler:NAME=STATE for a crawler); repeatable",
    )  # fmt: skip
    create.add_argument(
        "--logical", choices=("AND", "ANY"), default="AND", help="with several --after"
    )
    create.add_argument(
        "--on-new", action="append", default=[], metavar="S3_PREFIX",
        help=f"for event triggers: fire on new objects under this s3:// prefix (sets the "
        f"{SOURCE_TAG} tag); repeatable",
    )  # fmt: skip
    create.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help="for event triggers: fire after N events (1-100)",
    )
    create.add_argument(
        "--batch-window", type=int, metavar="SECONDS",
        help="for event triggers: or this long after the batch's first event (default 900)",
    )  # fmt: skip
    create.add_argument("--description", help="a description")
    create.add_argument(
        "--workflow", metavar="WORKFLOW", help="the workflow it belongs to (docs/workflows.md)"
    )
    create.add_argument(
        "--start", action="store_true", help="activate it at once (StartOnCreation)"
    )
    sub.add_parser("list", help="list the triggers", description="List triggers (GetTriggers).")
    parsers = [create, sub.choices["list"]]
    for name, what in (
        ("show", "show a trigger, its next fire time and the last run it started"),
        ("start", "activate a trigger (an on-demand trigger fires at once)"),
        ("stop", "deactivate a trigger"),
        ("delete", "delete a trigger"),
    ):
        parser = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        parser.add_argument("name", metavar="NAME", help="the trigger's name")
        parsers.append(parser)
    for parser in parsers:
        add_endpoint_option(parser)


def run_triggers(args: argparse.Namespace) -> int:
    command = _COMMANDS[args.triggers_command]
    return run_command(f"openglue triggers {args.triggers_command}", args, command)
