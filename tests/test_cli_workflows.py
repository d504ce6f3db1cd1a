"""`openglue workflows …` as real subprocesses against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.jobs import shell_job, write_script
from tests.support.server import RunningServer
from tests.test_api_workflows import ECHO, FLAKY, _chain, _wait_for_status
from tests.test_aws_cli import Aws, _json
from tests.test_aws_cli import aws as aws  # the fixture, for the AWS CLI test
from tests.test_cli_jobs import _ok, openglue


def test_openglue_workflows_commands(
    server: RunningServer, glue: Any, unique_name: str, tmp_path: Path
) -> None:
    url = server.url
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    marker = tmp_path / "fixed"
    flaky = write_script(tmp_path, "flaky.py", FLAKY)
    glue.create_job(Name=first, **shell_job(flaky, DefaultArguments={"--marker": str(marker)}))
    glue.create_job(Name=second, **shell_job(write_script(tmp_path, "echo.py", ECHO)))

    created = openglue(
        tmp_path, "workflows", "create", name, "--description", "nightly",
        "--property", "day=mon", "--max-concurrent-runs", "2", endpoint=url,
    )  # fmt: skip
    assert _ok(created).startswith(f"created workflow {name};")
    workflow = glue.get_workflow(Name=name)["Workflow"]
    assert workflow["DefaultRunProperties"] == {"day": "mon"}
    assert workflow["MaxConcurrentRuns"] == 2
    glue.update_workflow(Name=name, DefaultRunProperties={})
    for trigger in (
        ["--type", "on-demand", "--job", first],
        ["--type", "conditional", "--after", first, "--job", second, "--arg", "from=a", "--start"],
    ):
        suffix = "-start" if "on-demand" in trigger else "-then"
        _ok(openglue(tmp_path, "triggers", "create", name + suffix, "--workflow", name,
                     *trigger, endpoint=url))  # fmt: skip
    assert glue.get_trigger(Name=name + "-then")["Trigger"]["WorkflowName"] == name

    shown = _ok(openglue(tmp_path, "workflows", "show", name, endpoint=url))
    assert "never run" in shown
    assert shown.endswith(
        "  graph:\n"
        f"    [trigger] {name}-start (ON_DEMAND)\n"
        f"      → [job] {first}\n"
        f"        → [trigger] {name}-then (CONDITIONAL: {first} SUCCEEDED)\n"
        f"          → [job] {second}\n"
    )
    started = _ok(openglue(tmp_path, "workflows", "start", name, "--property", "x=1", endpoint=url))
    run_id = started.split()[-1]
    assert started == f"started workflow {name} run {run_id}\n"
    _wait_for_status(glue, name, run_id)
    assert glue.get_workflow_run_properties(Name=name, RunId=run_id)["RunProperties"] == {"x": "1"}
    shown = _ok(openglue(tmp_path, "workflows", "show", name, endpoint=url))
    assert f"last run {run_id} COMPLETED" in shown
    assert "  1 actions: 1 failed\n" in shown
    assert f"      → [job] {first}  FAILED\n" in shown
    assert f"          → [job] {second}  not run\n" in shown
    listed = _ok(openglue(tmp_path, "workflows", "list", endpoint=url))
    assert any(line.split()[:2] == [name, "COMPLETED"] for line in listed.splitlines())

    stop = openglue(tmp_path, "workflows", "stop", name, run_id, endpoint=url)
    assert stop.returncode == 1
    assert "IllegalWorkflowStateException" in stop.stderr and "only a RUNNING run" in stop.stderr

    marker.write_text("ok")
    resumed = _ok(openglue(tmp_path, "workflows", "resume", name, run_id, first, endpoint=url))
    new_id = resumed.split()[5].rstrip(",")
    assert resumed == f"resumed workflow {name} as run {new_id}, restarting {first}\n"
    _wait_for_status(glue, name, new_id)
    runs = _ok(openglue(tmp_path, "workflows", "runs", name, endpoint=url)).splitlines()
    assert runs[0].startswith(f"{new_id}  COMPLETED")
    assert runs[0].endswith(f"2 actions: 2 succeeded  resumes {run_id}")
    assert runs[1].startswith(f"{run_id}  COMPLETED") and "1 failed" in runs[1]
    shown = _ok(openglue(tmp_path, "workflows", "show", name, endpoint=url))
    assert f"          → [job] {second}  SUCCEEDED\n" in shown

    missing = openglue(tmp_path, "workflows", "show", "no-" + name, endpoint=url)
    assert missing.returncode == 1
    assert missing.stderr == (
        f"openglue workflows show: EntityNotFoundException: Workflow no-{name} not found.\n"
    )


def test_aws_cli_workflow_commands(aws: Aws, glue: Any, unique_name: str, tmp_path: Path) -> None:
    name, first, second = unique_name, unique_name + "-a", unique_name + "-b"
    for job in (first, second):
        glue.create_job(Name=job, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    _json(aws("create-workflow", "--name", name, "--default-run-properties", "day=mon"))
    glue.delete_workflow(Name=name)
    _chain(glue, name, first, second)
    run_id = _json(aws("start-workflow-run", "--name", name))["RunId"]
    _wait_for_status(glue, name, run_id)
    run = _json(aws("get-workflow-run", "--name", name, "--run-id", run_id, "--include-graph"))
    assert run["Run"]["Statistics"]["SucceededActions"] == 2
    assert len(run["Run"]["Graph"]["Nodes"]) == 4
    _json(aws("put-workflow-run-properties", "--name", name, "--run-id", run_id,
              "--run-properties", "x=1"))  # fmt: skip
    properties = _json(aws("get-workflow-run-properties", "--name", name, "--run-id", run_id))
    assert properties == {"RunProperties": {"x": "1"}}
    assert name in _json(aws("list-workflows"))["Workflows"]
    stop = aws("stop-workflow-run", "--name", name, "--run-id", run_id)
    assert stop.returncode in (254, 255) and "IllegalWorkflowStateException" in stop.stderr
    _json(aws("delete-workflow", "--name", name))
