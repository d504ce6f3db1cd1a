"""Workflows through boto3 against a real server process: definitions and graphs, and runs
that really start jobs (ON_DEMAND start → job A → CONDITIONAL → job B), share run properties
with the jobs themselves, stop, and resume after a failed node."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.jobs import SLEEPER, shell_job, wait_for_run, write_script

ECHO = 'import sys\nprint("args", sys.argv[1:], flush=True)\n'

# Reads the run's properties through boto3 and adds one: what Glue's docs show jobs doing.
PRODUCER = """\
import sys
import boto3
args = sys.argv[1:]
workflow = args[args.index("--WORKFLOW_NAME") + 1]
run_id = args[args.index("--WORKFLOW_RUN_ID") + 1]
glue = boto3.client("glue")
given = glue.get_workflow_run_properties(Name=workflow, RunId=run_id)["RunProperties"]
glue.put_workflow_run_properties(
    Name=workflow, RunId=run_id, RunProperties={"produced": given["day"] + "-done"}
)
"""

# Fails until the file named by its argument exists: a node that is fixed, then resumed.
FLAKY = """\
import os, sys
args = sys.argv[1:]
if not os.path.exists(args[args.index("--marker") + 1]):
    raise SystemExit("marker missing")
"""


def _error(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _wait_for_status(
    glue: Any, name: str, run_id: str, statuses: tuple[str, ...] = ("COMPLETED",), timeout=60.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        run = glue.get_workflow_run(Name=name, RunId=run_id, IncludeGraph=True)["Run"]
        if run["Status"] in statuses:
            return run
        time.sleep(0.05)
    raise AssertionError(f"workflow run {run_id} is {run.get('Status')}, not in {statuses}")


def _chain(glue: Any, name: str, first: str, second: str, **start_args: Any) -> None:
    """An ON_DEMAND start trigger → ``first`` → on success → ``second``."""
    glue.create_workflow(Name=name, **start_args)
    glue.create_trigger(
        Name=name + "-start", WorkflowName=name, Type="ON_DEMAND", Actions=[{"JobName": first}]
    )
    glue.create_trigger(
        Name=name + "-then",
        WorkflowName=name,
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={
            "Conditions": [{"LogicalOperator": "EQUALS", "JobName": first, "State": "SUCCEEDED"}]
        },
        Actions=[{"JobName": second, "Arguments": {"--from": first}}],
    )


def _nodes(run_or_workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["Name"]: n for n in run_or_workflow["Graph"]["Nodes"]}


def test_definitions_and_graph(glue: Any, unique_name: str, tmp_path: Path) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    for job in (first, second):
        glue.create_job(Name=job, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _chain(
        glue,
        name,
        first,
        second,
        Description="nightly",
        DefaultRunProperties={"day": "mon"},
        MaxConcurrentRuns=2,
        Tags={"team": "data"},
    )
    workflow = glue.get_workflow(Name=name)["Workflow"]
    assert "Graph" not in workflow and "LastRun" not in workflow
    assert (workflow["Description"], workflow["DefaultRunProperties"]) == (
        "nightly",
        {"day": "mon"},
    )
    assert workflow["MaxConcurrentRuns"] == 2
    assert _error(glue.create_workflow, Name=name)[0] == "AlreadyExistsException"

    graphed = glue.get_workflow(Name=name, IncludeGraph=True)["Workflow"]
    nodes = _nodes(graphed)
    assert {n: nodes[n]["Type"] for n in nodes} == {
        name + "-start": "TRIGGER",
        name + "-then": "TRIGGER",
        first: "JOB",
        second: "JOB",
    }
    assert nodes[name + "-then"]["TriggerDetails"]["Trigger"]["WorkflowName"] == name
    assert all(
        n["UniqueId"].startswith("wnode_") and len(n["UniqueId"]) == 70 for n in nodes.values()
    )
    ids = {n: nodes[n]["UniqueId"] for n in nodes}
    edges = {(e["SourceId"], e["DestinationId"]) for e in graphed["Graph"]["Edges"]}
    assert edges == {
        (ids[name + "-start"], ids[first]),
        (ids[first], ids[name + "-then"]),
        (ids[name + "-then"], ids[second]),
    }

    glue.update_workflow(Name=name, Description="daily")
    updated = glue.get_workflow(Name=name)["Workflow"]
    assert updated["Description"] == "daily" and updated["DefaultRunProperties"] == {"day": "mon"}
    got = glue.batch_get_workflows(Names=[name, "no-" + name], IncludeGraph=True)
    assert [w["Name"] for w in got["Workflows"]] == [name]
    assert got["MissingWorkflows"] == ["no-" + name]
    glue.create_workflow(Name=name + "-z")
    page = glue.list_workflows(MaxResults=1)
    assert len(page["Workflows"]) == 1 and "NextToken" in page
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        listed = glue.list_workflows(MaxResults=25, **token)
        seen += listed["Workflows"]
        if "NextToken" not in listed:
            break
        token = {"NextToken": listed["NextToken"]}
    assert name in seen and name + "-z" in seen
    assert _error(glue.list_workflows, MaxResults=26)[0] == "InvalidInputException"

    arn = f"arn:aws:glue:us-east-1:123456789012:workflow/{name}"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "data"}
    glue.delete_workflow(Name=name)  # takes its triggers with it
    glue.delete_workflow(Name=name)  # and a missing workflow is no error
    assert _error(glue.get_trigger, Name=name + "-start")[0] == "EntityNotFoundException"
    code, message = _error(glue.get_workflow, Name=name)
    assert (code, message) == ("EntityNotFoundException", f"Workflow {name} not found.")
    code, message = _error(glue.tag_resource, ResourceArn=arn, TagsToAdd={"a": "b"})
    assert (code, message) == ("EntityNotFoundException", f"Workflow {name} not found.")
    code, message = _error(
        glue.create_trigger,
        Name=name + "-orphan",
        WorkflowName=name,
        Type="ON_DEMAND",
        Actions=[{"JobName": first}],
    )
    assert code == "EntityNotFoundException" and f"Workflow {name} not found" in message
    code, message = _error(glue.start_workflow_run, Name=name + "-z")
    assert code == "InvalidInputException" and "no start trigger" in message
    glue.delete_workflow(Name=name + "-z")


def test_run_starts_the_chain_and_shares_properties(
    glue: Any, unique_name: str, tmp_path: Path
) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    glue.create_job(Name=first, **shell_job(write_script(tmp_path, "produce.py", PRODUCER)))
    glue.create_job(Name=second, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _chain(glue, name, first, second, DefaultRunProperties={"day": "mon", "kept": "yes"})

    run_id = glue.start_workflow_run(Name=name, RunProperties={"day": "tue"})["RunId"]
    assert run_id.startswith("wr_")
    # Trigger edits after the start do not change the run: its graph was snapshotted.
    glue.update_trigger(
        Name=name + "-then",
        TriggerUpdate={
            "Predicate": {"Conditions": [{"JobName": first, "State": "FAILED"}]},
            "Actions": [{"JobName": second}],
        },
    )
    run = _wait_for_status(glue, name, run_id)
    assert run["Statistics"] == {
        "TotalActions": 2,
        "TimeoutActions": 0,
        "FailedActions": 0,
        "StoppedActions": 0,
        "SucceededActions": 2,
        "RunningActions": 0,
        "ErroredActions": 0,
        "WaitingActions": 0,
    }
    assert run["WorkflowRunProperties"] == {"day": "tue", "kept": "yes", "produced": "tue-done"}
    nodes = _nodes(run)
    (upstream,) = nodes[first]["JobDetails"]["JobRuns"]
    (downstream,) = nodes[second]["JobDetails"]["JobRuns"]
    assert upstream["JobRunState"] == downstream["JobRunState"] == "SUCCEEDED"
    assert downstream["Arguments"] == {
        "--from": first,
        "--WORKFLOW_NAME": name,
        "--WORKFLOW_RUN_ID": run_id,
    }
    assert downstream["TriggerName"] == name + "-then"
    assert downstream["PredecessorRuns"] == [{"JobName": first, "RunId": upstream["Id"]}]
    assert "Actions" in nodes[name + "-then"]["TriggerDetails"]["Trigger"]
    assert (
        nodes[name + "-then"]["TriggerDetails"]["Trigger"]["Predicate"]["Conditions"][0]["State"]
        == "SUCCEEDED"
    )  # the snapshot, not the edit

    workflow = glue.get_workflow(Name=name)["Workflow"]
    assert workflow["LastRun"]["WorkflowRunId"] == run_id
    assert workflow["LastRun"]["Status"] == "COMPLETED"
    glue.put_workflow_run_properties(Name=name, RunId=run_id, RunProperties={"kept": "no"})
    properties = glue.get_workflow_run_properties(Name=name, RunId=run_id)["RunProperties"]
    assert properties == {"day": "tue", "kept": "no", "produced": "tue-done"}
    listed = glue.get_workflow_runs(Name=name)["Runs"]
    assert [r["WorkflowRunId"] for r in listed] == [run_id]
    code, _ = _error(glue.get_workflow_run, Name=name, RunId="wr_missing")
    assert code == "EntityNotFoundException"
    code, _ = _error(glue.stop_workflow_run, Name=name, RunId=run_id)
    assert code == "IllegalWorkflowStateException"
    code, message = _error(glue.start_workflow_run, Name=name, RunProperties={"aws:x": "1"})
    assert code == "InvalidInputException" and "reserved" in message


def test_resume_after_a_failed_node(glue: Any, unique_name: str, tmp_path: Path) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    marker = tmp_path / "fixed"
    flaky = write_script(tmp_path, "flaky.py", FLAKY)
    glue.create_job(Name=first, **shell_job(flaky, DefaultArguments={"--marker": str(marker)}))
    glue.create_job(Name=second, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _chain(glue, name, first, second)

    failed_id = glue.start_workflow_run(Name=name)["RunId"]
    failed = _wait_for_status(glue, name, failed_id)
    # COMPLETED although a node failed, as in Glue: the statistics tell.
    assert failed["Statistics"]["TotalActions"] == 1
    assert failed["Statistics"]["FailedActions"] == 1
    assert _nodes(failed)[second]["JobDetails"]["JobRuns"] == []
    node_a = _nodes(failed)[first]["UniqueId"]

    code, message = _error(
        glue.resume_workflow_run,
        Name=name,
        RunId=failed_id,
        NodeIds=[_nodes(failed)[second]["UniqueId"]],
    )
    assert code == "InvalidInputException" and "did not run" in message
    code, message = _error(glue.resume_workflow_run, Name=name, RunId=failed_id, NodeIds=[])
    assert code == "InvalidInputException" and "at least one" in message
    code, message = _error(
        glue.resume_workflow_run, Name=name, RunId=failed_id, NodeIds=["wnode_" + "0" * 64]
    )
    assert code == "InvalidInputException" and "not a job or crawler node" in message
    marker.write_text("ok")
    resumed = glue.resume_workflow_run(Name=name, RunId=failed_id, NodeIds=[node_a])
    assert resumed["NodeIds"] == [node_a] and resumed["RunId"] != failed_id
    run = _wait_for_status(glue, name, resumed["RunId"])
    assert run["PreviousRunId"] == failed_id
    assert run["Statistics"]["SucceededActions"] == 2 and run["Statistics"]["TotalActions"] == 2
    second_runs = _nodes(run)[second]["JobDetails"]["JobRuns"]
    assert second_runs[0]["Arguments"]["--WORKFLOW_RUN_ID"] == resumed["RunId"]
    # The original run is left as it was.
    again = glue.get_workflow_run(Name=name, RunId=failed_id)["Run"]
    assert again["Statistics"]["FailedActions"] == 1


def test_stop_and_max_concurrent_runs(glue: Any, unique_name: str, tmp_path: Path) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    glue.create_job(
        Name=first,
        **shell_job(
            write_script(tmp_path, "sleep.py", SLEEPER), ExecutionProperty={"MaxConcurrentRuns": 2}
        ),
    )
    glue.create_job(Name=second, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _chain(glue, name, first, second, MaxConcurrentRuns=1)

    run_id = glue.start_workflow_run(Name=name)["RunId"]
    code, message = _error(glue.start_workflow_run, Name=name)
    assert code == "ConcurrentRunsExceededException" and "MaxConcurrentRuns" in message
    running = glue.get_workflow_run(Name=name, RunId=run_id, IncludeGraph=True)["Run"]
    (job_run,) = _nodes(running)[first]["JobDetails"]["JobRuns"]
    wait_for_run(glue, first, job_run["Id"], states=("RUNNING",))

    glue.stop_workflow_run(Name=name, RunId=run_id)
    stopped = _wait_for_status(glue, name, run_id, ("STOPPED",))
    assert stopped["Statistics"]["StoppedActions"] == 1
    assert wait_for_run(glue, first, job_run["Id"])["JobRunState"] == "STOPPED"
    assert glue.get_job_runs(JobName=second)["JobRuns"] == []
    code, _ = _error(glue.stop_workflow_run, Name=name, RunId=run_id)
    assert code == "IllegalWorkflowStateException"
    code, message = _error(glue.resume_workflow_run, Name=name, RunId=run_id, NodeIds=["x"])
    assert code == "IllegalWorkflowStateException" and "COMPLETED" in message


def test_start_trigger_of_a_workflow_starts_a_run(
    glue: Any, unique_name: str, tmp_path: Path
) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    for job in (first, second):
        glue.create_job(Name=job, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _chain(glue, name, first, second)
    glue.start_trigger(Name=name + "-start")
    (run,) = glue.get_workflow_runs(Name=name)["Runs"]
    finished = _wait_for_status(glue, name, run["WorkflowRunId"])
    assert finished["Statistics"]["SucceededActions"] == 2


def test_a_crawler_node_then_a_job(glue: Any, unique_name: str, tmp_path: Path) -> None:
    """Start → crawler → on the crawl's success → job: the seed pipeline's shape, in a workflow."""
    data = tmp_path / "orders"
    data.mkdir()
    (data / "part-0.csv").write_text("id,amount\n1,2.5\n2,3.5\n")
    database = "db_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    name, crawler, job = unique_name, unique_name + "-crawler", unique_name + "-job"
    glue.create_crawler(
        Name=crawler,
        Role="arn:aws:iam::123456789012:role/Crawler",
        DatabaseName=database,
        Targets={"S3Targets": [{"Path": str(data)}]},
    )
    glue.create_job(Name=job, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    glue.create_workflow(Name=name)
    glue.create_trigger(
        Name=name + "-crawl",
        WorkflowName=name,
        Type="ON_DEMAND",
        Actions=[{"CrawlerName": crawler}],
    )
    glue.create_trigger(
        Name=name + "-transform",
        WorkflowName=name,
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"CrawlerName": crawler, "CrawlState": "SUCCEEDED"}]},
        Actions=[{"JobName": job}],
    )
    run_id = glue.start_workflow_run(Name=name)["RunId"]
    run = _wait_for_status(glue, name, run_id)
    assert run["Statistics"]["SucceededActions"] == 2, run["Statistics"]
    nodes = _nodes(run)
    (crawl,) = nodes[crawler]["CrawlerDetails"]["Crawls"]
    assert crawl["State"] == "SUCCEEDED"
    (job_run,) = nodes[job]["JobDetails"]["JobRuns"]
    assert job_run["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
    assert glue.get_tables(DatabaseName=database)["TableList"]
