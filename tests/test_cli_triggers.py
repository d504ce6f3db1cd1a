"""`openglue triggers …` and the AWS CLI's `aws glue …-trigger` commands, as real subprocesses
against a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.jobs import shell_job, wait_for_run, write_script
from tests.support.server import RunningServer
from tests.test_aws_cli import Aws, _json
from tests.test_aws_cli import aws as aws  # the fixture, for the AWS CLI test
from tests.test_cli_jobs import _ok, openglue

ECHO = "import sys\nprint('args', sys.argv[1:])\n"


def test_openglue_triggers_commands(
    server: RunningServer, glue: Any, unique_name: str, tmp_path: Path
) -> None:
    url = server.url
    job = unique_name + "-job"
    glue.create_job(Name=job, **shell_job(write_script(tmp_path, "e.py", ECHO)))

    done = openglue(
        tmp_path, "triggers", "create", unique_name, "--type", "scheduled",
        "--schedule", "cron(0 6 ? * MON-FRI *)", "--job", job, "--arg", "day=mon", "--start",
        endpoint=url,
    )  # fmt: skip
    assert _ok(done) == f"created trigger {unique_name} (SCHEDULED, ACTIVATED)\n"
    shown = _ok(openglue(tmp_path, "triggers", "show", unique_name, endpoint=url))
    assert f"{unique_name}  SCHEDULED  ACTIVATED" in shown
    assert "when:      cron(0 6 ? * MON-FRI *)" in shown
    assert "next fire: " in shown and " 06:00 UTC" in shown
    assert f"starts:    job {job} with {{'--day': 'mon'}}" in shown
    assert "fires:     none yet" in shown

    on_demand = unique_name + "-now"
    _ok(openglue(tmp_path, "triggers", "create", on_demand, "--type", "on-demand", "--job", job,
                 endpoint=url))  # fmt: skip
    listed = _ok(openglue(tmp_path, "triggers", "list", endpoint=url))
    assert f"cron(0 6 ? * MON-FRI *) → {job}" in listed
    assert f"on demand → {job}" in listed
    assert _ok(openglue(tmp_path, "triggers", "start", on_demand, endpoint=url)) == (
        f"started trigger {on_demand}\n"
    )
    run = glue.get_job_runs(JobName=job)["JobRuns"][0]
    assert run["TriggerName"] == on_demand
    wait_for_run(glue, job, run["Id"])
    shown = _ok(openglue(tmp_path, "triggers", "show", on_demand, endpoint=url))
    assert "last run " + run["Id"] in shown
    assert "  fires:\n" in shown and " UTC  StartTrigger\n" in shown
    assert f"      job {job}: started {run['Id']}\n" in shown

    _ok(openglue(tmp_path, "triggers", "stop", unique_name, endpoint=url))
    assert glue.get_trigger(Name=unique_name)["Trigger"]["State"] == "DEACTIVATED"
    _ok(openglue(tmp_path, "triggers", "delete", unique_name, endpoint=url))
    failed = openglue(tmp_path, "triggers", "show", unique_name, endpoint=url)
    assert failed.returncode == 1
    assert failed.stderr == (
        f"openglue triggers show: EntityNotFoundException: Trigger {unique_name} not found.\n"
    )
    bad = openglue(
        tmp_path, "triggers", "create", "x" + unique_name, "--type", "scheduled",
        "--schedule", "cron(0 6 * * * *)", "--job", job, endpoint=url,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "InvalidInputException" in bad.stderr and "must be ?" in bad.stderr
    assert openglue(tmp_path, "triggers", "--help").stdout.count("create") >= 1


def test_aws_cli_trigger_commands(
    aws: Aws,
    glue: Any,
    unique_name: str,
    tmp_path: Path,
) -> None:
    job = unique_name + "-job"
    glue.create_job(Name=job, **shell_job(write_script(tmp_path, "e.py", ECHO)))
    actions = json.dumps([{"JobName": job, "Arguments": {"--x": "1"}}])
    created = _json(
        aws("create-trigger", "--name", unique_name, "--type", "SCHEDULED",
            "--schedule", "cron(0/30 8-17 ? * MON-FRI *)", "--actions", actions,
            "--start-on-creation")
    )  # fmt: skip
    assert created == {"Name": unique_name}
    trigger = _json(aws("get-trigger", "--name", unique_name))["Trigger"]
    assert trigger["State"] == "ACTIVATED" and trigger["Actions"][0]["Arguments"] == {"--x": "1"}
    names = _json(aws("list-triggers", "--dependent-job-name", job))["TriggerNames"]
    assert names == [unique_name]
    _json(aws("stop-trigger", "--name", unique_name))
    assert _json(aws("get-triggers"))["Triggers"]  # the CLI pages through them
    bad = aws("create-trigger", "--name", "y" + unique_name, "--type", "ON_DEMAND",
              "--actions", actions, "--start-on-creation")  # fmt: skip
    assert bad.returncode in (254, 255) and "InvalidInputException" in bad.stderr
    _json(aws("delete-trigger", "--name", unique_name))
    gone = aws("get-trigger", "--name", unique_name)
    assert gone.returncode in (254, 255) and "EntityNotFoundException" in gone.stderr
