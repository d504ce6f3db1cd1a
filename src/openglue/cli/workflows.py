"""``openglue workflows create|list|show|start|runs|stop|resume``: workflows on a running
server, through the Glue API (boto3), like any other client."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from openglue.cli.client import Api, CommandError, add_endpoint_option, run_command
from openglue.cli.workflow_text import render_graph, statistics_text


def _properties(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise CommandError(f"--property {pair!r} is not KEY=VALUE")
        found[key] = value
    return found


def _when(moment: dt.datetime | None) -> str:
    """A timestamp as boto3 gives it, in UTC."""
    if moment is None:
        return "-"
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _create(api: Api, args: argparse.Namespace) -> int:
    request: dict[str, Any] = {"Name": args.name}
    if args.description:
        request["Description"] = args.description
    if args.properties:
        request["DefaultRunProperties"] = _properties(args.properties)
    if args.max_concurrent_runs is not None:
        request["MaxConcurrentRuns"] = args.max_concurrent_runs
    api.glue.create_workflow(**request)
    print(
        f"created workflow {args.name}; add its triggers with `openglue triggers create … "
        f"` or CreateTrigger(WorkflowName={args.name})"
    )
    return 0


def _list(api: Api, args: argparse.Namespace) -> int:
    names = [
        n for page in api.glue.get_paginator("list_workflows").paginate() for n in page["Workflows"]
    ]
    if not names:
        print("no workflows (create one with `openglue workflows create NAME`)")
        return 0
    rows = [("NAME", "LAST RUN", "STARTED")]
    for start in range(0, len(names), 25):
        for workflow in api.glue.batch_get_workflows(Names=names[start : start + 25])["Workflows"]:
            last = workflow.get("LastRun") or {}
            rows.append(
                (workflow["Name"], last.get("Status", "never run"), _when(last.get("StartedOn")))
            )
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for name, status, started in rows:
        print(f"{name.ljust(widths[0])}  {status.ljust(widths[1])}  {started}")
    return 0


def _show(api: Api, args: argparse.Namespace) -> int:
    workflow = api.glue.get_workflow(Name=args.name, IncludeGraph=True)["Workflow"]
    print(f"workflow {workflow['Name']}")
    if workflow.get("Description"):
        print(f"  {workflow['Description']}")
    if workflow.get("DefaultRunProperties"):
        print(f"  default run properties: {workflow['DefaultRunProperties']}")
    last = workflow.get("LastRun")
    graph, with_states = workflow["Graph"], False
    if last:
        run = api.glue.get_workflow_run(
            Name=args.name, RunId=last["WorkflowRunId"], IncludeGraph=True
        )["Run"]
        print(
            f"  last run {run['WorkflowRunId']} {run['Status']}, "
            f"started {_when(run['StartedOn'])} UTC"
        )
        print(f"  {statistics_text(run['Statistics'])}")
        graph, with_states = run["Graph"], True
    else:
        print("  never run (start it with `openglue workflows start " + args.name + "`)")
    lines = render_graph(graph, with_states)
    print("  graph:" if lines else "  graph: empty (no trigger names this workflow yet)")
    for line in lines:
        print("    " + line)
    return 0


def _start(api: Api, args: argparse.Namespace) -> int:
    request: dict[str, Any] = {"Name": args.name}
    if args.properties:
        request["RunProperties"] = _properties(args.properties)
    run_id = api.glue.start_workflow_run(**request)["RunId"]
    print(f"started workflow {args.name} run {run_id}")
    return 0


def _runs(api: Api, args: argparse.Namespace) -> int:
    runs = api.glue.get_workflow_runs(Name=args.name, MaxResults=args.limit)["Runs"]
    if not runs:
        print(f"workflow {args.name} has not run yet")
    for run in runs:
        previous = f"  resumes {run['PreviousRunId']}" if run.get("PreviousRunId") else ""
        print(
            f"{run['WorkflowRunId']}  {run['Status']:<9}  {_when(run['StartedOn'])}  "
            f"{statistics_text(run['Statistics'])}{previous}"
        )
    return 0


def _stop(api: Api, args: argparse.Namespace) -> int:
    api.glue.stop_workflow_run(Name=args.name, RunId=args.run_id)
    print(f"stopping workflow {args.name} run {args.run_id}")
    return 0


def _resume(api: Api, args: argparse.Namespace) -> int:
    """Nodes are named by job or crawler name (or by UniqueId, as the API takes them)."""
    run = api.glue.get_workflow_run(Name=args.name, RunId=args.run_id, IncludeGraph=True)["Run"]
    ids = {n["Name"]: n["UniqueId"] for n in run["Graph"]["Nodes"] if n["Type"] != "TRIGGER"}
    node_ids = [ids.get(node, node) for node in args.nodes]
    resumed = api.glue.resume_workflow_run(Name=args.name, RunId=args.run_id, NodeIds=node_ids)
    names = {v: k for k, v in ids.items()}
    restarted = ", ".join(names.get(i, i) for i in resumed["NodeIds"])
    print(f"resumed workflow {args.name} as run {resumed['RunId']}, restarting {restarted}")
    return 0


_COMMANDS = {
    "create": _create,
    "list": _list,
    "show": _show,
    "start": _start,
    "runs": _runs,
    "stop": _stop,
    "resume": _resume,
}


def _add_properties(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--property", dest="properties", action="append", default=[], metavar="KEY=VALUE", help=what
    )


def add_workflows_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    workflows = commands.add_parser(
        "workflows",
        help="create, show, start, stop and resume workflows on a running server",
        description="Workflows chain jobs and crawlers through the triggers that name them "
        "(Glue's CreateWorkflow and friends). Start a server first with `openglue server`.",
    )
    sub = workflows.add_subparsers(dest="workflows_command", metavar="COMMAND", required=True)
    create = sub.add_parser("create", help="define a workflow", description="Define a workflow.")
    create.add_argument("name", metavar="NAME", help="the workflow's name")
    create.add_argument("--description", help="a description")
    _add_properties(create, "a default run property (repeatable)")
    create.add_argument(
        "--max-concurrent-runs", type=int, metavar="N", help="runs at once (default: no limit)"
    )
    listing = sub.add_parser(
        "list", help="list the workflows and their last runs", description="List workflows."
    )
    parsers = [create, listing]
    for name, what in (
        ("show", "show a workflow's graph and the states its last run reached"),
        ("start", "start a run of a workflow"),
        ("runs", "list a workflow's runs, newest first"),
    ):
        parser = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        parser.add_argument("name", metavar="NAME", help="the workflow's name")
        parsers.append(parser)
    _add_properties(sub.choices["start"], "a run property for this run (repeatable)")
    sub.choices["runs"].add_argument("--limit", type=int, default=20, help="how many runs")
    for name, what in (
        ("stop", "stop a running workflow run"),
        ("resume", "resume a completed run"),
    ):
        parser = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        parser.add_argument("name", metavar="NAME", help="the workflow's name")
        parser.add_argument("run_id", metavar="RUN_ID", help="the workflow run's id")
        parsers.append(parser)
    sub.choices["resume"].add_argument(
        "nodes", nargs="+", metavar="NODE", help="jobs or crawlers to run again (names or node ids)"
    )
    for parser in parsers:
        add_endpoint_option(parser)


def run_workflows(args: argparse.Namespace) -> int:
    command = _COMMANDS[args.workflows_command]
    return run_command(f"openglue workflows {args.workflows_command}", args, command)
