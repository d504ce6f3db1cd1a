"""Triggers through boto3 against a real server process: definitions, validation, states, and
triggers that really start job runs (ON_DEMAND, and a CONDITIONAL chain)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from openglue.cli.private_call import private_call
from tests.support.jobs import shell_job, wait_for_run, wait_for_runs, write_script

ECHO = """\
import sys
print("args", sys.argv[1:], flush=True)
"""


def _error(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def job(glue: Any, unique_name: str, tmp_path: Path) -> str:
    script = write_script(tmp_path, "echo.py", ECHO)
    glue.create_job(Name=unique_name + "-job", **shell_job(script))
    return unique_name + "-job"


def test_create_get_update_list_delete(glue: Any, job: str, unique_name: str) -> None:
    name = unique_name
    glue.create_trigger(
        Name=name,
        Type="SCHEDULED",
        Schedule="cron(15 12 * * ? *)",
        Actions=[{"JobName": job, "Arguments": {"--day": "1"}, "Timeout": 5}],
        Description="daily",
        Tags={"team": "data"},
    )
    trigger = glue.get_trigger(Name=name)["Trigger"]
    assert trigger == {
        "Name": name,
        "Type": "SCHEDULED",
        "State": "CREATED",
        "Schedule": "cron(15 12 * * ? *)",
        "Description": "daily",
        "Actions": [{"JobName": job, "Arguments": {"--day": "1"}, "Timeout": 5}],
    }
    code, message = _error(
        glue.create_trigger, Name=name, Type="ON_DEMAND", Actions=[{"JobName": job}]
    )
    assert (code, message) == ("AlreadyExistsException", f"Trigger {name} already exists.")

    other = name + "-other"
    glue.create_trigger(Name=other, Type="ON_DEMAND", Actions=[{"JobName": job}])
    assert [t["Name"] for t in glue.get_triggers(DependentJobName=job)["Triggers"]] == [
        name,
        other,
    ]
    listed = glue.list_triggers(DependentJobName=job, Tags={"team": "data"})["TriggerNames"]
    assert listed == [name]
    got = glue.batch_get_triggers(TriggerNames=[other, "missing-" + name, name])
    assert [t["Name"] for t in got["Triggers"]] == [other, name]
    assert got["TriggersNotFound"] == ["missing-" + name]
    page = glue.get_triggers(DependentJobName=job, MaxResults=1)
    assert len(page["Triggers"]) == 1
    rest = glue.get_triggers(DependentJobName=job, NextToken=page["NextToken"])
    assert [t["Name"] for t in rest["Triggers"]] == [other]
    assert "NextToken" not in rest

    updated = glue.update_trigger(
        Name=name, TriggerUpdate={"Schedule": "cron(0 8 1 * ? *)", "Description": "monthly"}
    )["Trigger"]
    assert updated["Schedule"] == "cron(0 8 1 * ? *)" and updated["Description"] == "monthly"
    assert updated["Actions"] == trigger["Actions"]  # omitted Actions are kept
    cleared = glue.update_trigger(Name=name, TriggerUpdate={})["Trigger"]
    assert "Description" not in cleared  # other omitted members are reset

    arn = f"arn:aws:glue:us-east-1:123456789012:trigger/{name}"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "data"}
    glue.delete_trigger(Name=name)
    glue.delete_trigger(Name=name)  # no error for a missing trigger
    code, message = _error(glue.get_trigger, Name=name)
    assert code == "EntityNotFoundException" and name in message
    code, _ = _error(glue.update_trigger, Name=name, TriggerUpdate={})
    assert code == "EntityNotFoundException"
    code, message = _error(glue.tag_resource, ResourceArn=arn, TagsToAdd={"a": "b"})
    assert (code, message) == ("EntityNotFoundException", f"Trigger {name} not found.")
    glue.delete_trigger(Name=other)


@pytest.mark.parametrize(
    ("members", "code", "says"),
    [
        ({"Type": "ON_DEMAND", "StartOnCreation": True}, "InvalidInputException", "ON_DEMAND"),
        ({"Type": "SCHEDULED"}, "InvalidInputException", "needs a Schedule"),
        ({"Type": "SCHEDULED", "Schedule": "cron(0 12 * * * *)"}, "InvalidInputException", "?"),
        ({"Type": "SCHEDULED", "Schedule": "cron(* * * * ? *)"}, "InvalidInputException", "5"),
        ({"Type": "CONDITIONAL"}, "InvalidInputException", "needs a Predicate"),
        (
            {"Type": "ON_DEMAND", "Schedule": "cron(0 12 * * ? *)"},
            "InvalidInputException",
            "Schedule is only for SCHEDULED",
        ),
        (
            {
                "Type": "CONDITIONAL",
                "Predicate": {"Conditions": [{"JobName": "JOB", "State": "RUNNING"}]},
            },
            "InvalidInputException",
            "can watch SUCCEEDED, STOPPED, FAILED, TIMEOUT",
        ),
        (
            {
                "Type": "CONDITIONAL",
                "Predicate": {
                    "Conditions": [
                        {"JobName": "JOB", "State": "SUCCEEDED"},
                        {"JobName": "JOB", "State": "FAILED"},
                    ]
                },
            },
            "InvalidInputException",
            "set Logical",
        ),
        (
            {"Type": "ON_DEMAND", "Actions": [{"JobName": "JOB", "CrawlerName": "c"}]},
            "InvalidInputException",
            "exactly one of JobName and CrawlerName",
        ),
        (
            {"Type": "ON_DEMAND", "Actions": [{"JobName": "JOB", "Timeout": 20000}]},
            "InvalidInputException",
            "10080",
        ),
        (
            {"Type": "ON_DEMAND", "Actions": [{"JobName": "no-such-job"}]},
            "EntityNotFoundException",
            "Job no-such-job not found",
        ),
        (
            {"Type": "EVENT", "EventBatchingCondition": {"BatchSize": 101}},
            "InvalidInputException",
            "BatchSize",
        ),
    ],
)
def test_invalid_definitions(
    glue: Any, job: str, unique_name: str, members: dict[str, Any], code: str, says: str
) -> None:
    request = _with_job({"Actions": [{"JobName": "JOB"}], **members}, job)
    got_code, message = _error(glue.create_trigger, Name=unique_name, **request)
    assert (got_code, says in message) == (code, True), message
    assert _error(glue.get_trigger, Name=unique_name)[0] == "EntityNotFoundException"


def _with_job(value: Any, job: str) -> Any:
    """``value`` with the placeholder ``JOB`` replaced by the test job's name."""
    if isinstance(value, dict):
        return {k: _with_job(v, job) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_job(v, job) for v in value]
    return job if value == "JOB" else value


def test_states_and_listing_limits(glue: Any, job: str, unique_name: str) -> None:
    glue.create_trigger(
        Name=unique_name,
        Type="SCHEDULED",
        Schedule="cron(0 0 1 1 ? 2190)",
        Actions=[{"JobName": job}],
    )
    assert glue.get_trigger(Name=unique_name)["Trigger"]["State"] == "CREATED"
    glue.start_trigger(Name=unique_name)
    assert glue.get_trigger(Name=unique_name)["Trigger"]["State"] == "ACTIVATED"
    glue.stop_trigger(Name=unique_name)
    assert glue.get_trigger(Name=unique_name)["Trigger"]["State"] == "DEACTIVATED"
    glue.create_trigger(
        Name=unique_name + "-c",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"JobName": job, "State": "FAILED"}]},
        Actions=[{"JobName": job}],
    )
    conditional = glue.get_trigger(Name=unique_name + "-c")["Trigger"]
    assert conditional["State"] == "ACTIVATED"
    assert conditional["Predicate"] == {
        "Logical": "AND",
        "Conditions": [{"LogicalOperator": "EQUALS", "JobName": job, "State": "FAILED"}],
    }
    assert _error(glue.get_triggers, MaxResults=201)[0] == "InvalidInputException"
    assert _error(glue.start_trigger, Name=unique_name + "-none")[0] == "EntityNotFoundException"


def test_on_demand_trigger_starts_a_job_run(glue: Any, job: str, unique_name: str) -> None:
    glue.create_trigger(
        Name=unique_name,
        Type="ON_DEMAND",
        Actions=[
            {
                "JobName": job,
                "Arguments": {"--day": "friday"},
                "Timeout": 7,
                "NotificationProperty": {"NotifyDelayAfter": 3},
            }
        ],
    )
    glue.start_trigger(Name=unique_name)
    runs = glue.get_job_runs(JobName=job)["JobRuns"]
    assert len(runs) == 1  # started by the time StartTrigger returned
    run = wait_for_run(glue, job, runs[0]["Id"])
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    assert run["TriggerName"] == unique_name
    assert run["Arguments"] == {"--day": "friday"}
    assert run["Timeout"] == 7 and run["NotificationProperty"] == {"NotifyDelayAfter": 3}
    assert run["PredecessorRuns"] == []
    assert glue.get_trigger(Name=unique_name)["Trigger"]["State"] == "CREATED"
    code, message = _error(glue.stop_trigger, Name=unique_name)
    assert code == "InvalidInputException" and "ON_DEMAND" in message

    # Why it fired, through OpenGlue's private GetTriggerFires.
    (fire,) = private_call(glue, "GetTriggerFires", {"Name": unique_name})["Fires"]
    assert fire["Reason"] == "StartTrigger" and fire["FireKey"].startswith("start:")
    assert fire["Outcome"] == [{"JobName": job, "JobRunId": run["Id"]}]
    code, message = _error(private_call, glue=glue, operation="GetTriggerFires", body={})
    assert (code, message) == (
        "InvalidInputException",
        "Name must be a string of 1 to 255 characters",
    )
    code, _ = _error(
        private_call, glue=glue, operation="GetTriggerFires", body={"Name": "no-" + unique_name}
    )
    assert code == "EntityNotFoundException"


def test_conditional_chain(glue: Any, unique_name: str, tmp_path: Path) -> None:
    script = write_script(tmp_path, "echo.py", ECHO)
    first, second = unique_name + "-a", unique_name + "-b"
    for name in (first, second):
        glue.create_job(Name=name, **shell_job(script))
    glue.create_trigger(Name=unique_name + "-start", Type="ON_DEMAND", Actions=[{"JobName": first}])
    glue.create_trigger(
        Name=unique_name + "-then",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"JobName": first, "State": "SUCCEEDED"}]},
        Actions=[{"JobName": second, "Arguments": {"--from": first}}],
    )
    glue.start_trigger(Name=unique_name + "-start")
    upstream = glue.get_job_runs(JobName=first)["JobRuns"][0]
    assert wait_for_run(glue, first, upstream["Id"])["JobRunState"] == "SUCCEEDED"
    downstream = wait_for_runs(glue, second, 1)[0]
    assert downstream["TriggerName"] == unique_name + "-then"
    assert downstream["PredecessorRuns"] == [{"JobName": first, "RunId": upstream["Id"]}]
    assert downstream["Arguments"] == {"--from": first}
    assert wait_for_run(glue, second, downstream["Id"])["JobRunState"] == "SUCCEEDED"

    # A run started by hand does not start dependent jobs (Glue's rule outside workflows).
    manual = glue.start_job_run(JobName=first)["JobRunId"]
    assert wait_for_run(glue, first, manual)["JobRunState"] == "SUCCEEDED"
    time.sleep(1.0)
    assert len(glue.get_job_runs(JobName=second)["JobRuns"]) == 1
    fires = private_call(glue, "GetTriggerFires", {"Name": unique_name + "-then"})["Fires"]
    assert [f["Reason"].split(":")[0] for f in fires] == ["not fired", "predicate met (AND)"]
    assert manual in fires[0]["Reason"] and "not started by a trigger" in fires[0]["Reason"]
    assert fires[0]["Outcome"] == []


def test_crawler_then_job(glue: Any, unique_name: str, tmp_path: Path) -> None:
    """An ON_DEMAND trigger starts a crawler; a CONDITIONAL trigger on the crawl's success
    starts a job (the shape of the seed pipeline)."""
    data = tmp_path / "orders"
    data.mkdir()
    (data / "part-0.csv").write_text("id,amount\n1,2.5\n2,3.5\n")
    database = "db_" + unique_name
    glue.create_database(DatabaseInput={"Name": database})
    crawler, job = unique_name + "-crawler", unique_name + "-job"
    glue.create_crawler(
        Name=crawler,
        Role="arn:aws:iam::123456789012:role/Crawler",
        DatabaseName=database,
        Targets={"S3Targets": [{"Path": str(data)}]},
    )
    glue.create_job(Name=job, **shell_job(write_script(tmp_path, "echo.py", ECHO)))
    glue.create_trigger(
        Name=unique_name + "-crawl", Type="ON_DEMAND", Actions=[{"CrawlerName": crawler}]
    )
    glue.create_trigger(
        Name=unique_name + "-transform",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"CrawlerName": crawler, "CrawlState": "SUCCEEDED"}]},
        Actions=[{"JobName": job}],
    )
    glue.start_trigger(Name=unique_name + "-crawl")
    run = wait_for_runs(glue, job, 1, timeout=60)[0]
    assert run["TriggerName"] == unique_name + "-transform"
    assert run["PredecessorRuns"] == []  # a crawl is not a job run
    crawled = glue.get_crawler(Name=crawler)["Crawler"]["LastCrawl"]
    assert crawled["Status"] == "SUCCEEDED"
    assert glue.get_tables(DatabaseName=database)["TableList"]
    assert wait_for_run(glue, job, run["Id"])["JobRunState"] == "SUCCEEDED"


def test_start_trigger_reports_when_nothing_could_start(
    glue: Any, job: str, unique_name: str
) -> None:
    glue.create_trigger(Name=unique_name, Type="ON_DEMAND", Actions=[{"JobName": job}])
    glue.delete_job(JobName=job)
    code, message = _error(glue.start_trigger, Name=unique_name)
    assert (code, message) == ("EntityNotFoundException", f"Job {job} not found.")
