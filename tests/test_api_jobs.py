"""Job definitions through boto3 against a real server process."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

ARN = "arn:aws:glue:us-east-1:123456789012:job/"


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def _etl(script: str = "s3://scripts/etl.py") -> dict[str, str]:
    return {"Name": "glueetl", "ScriptLocation": script}


def test_job_lifecycle(glue: Any, unique_name: str) -> None:
    name = "Nightly-" + unique_name
    created = glue.create_job(
        Name=name,
        Role="arn:aws:iam::123456789012:role/Glue",
        Command=_etl(),
        Description="loads orders",
        DefaultArguments={"--day": "mon"},
        GlueVersion="4.0",
        WorkerType="G.1X",
        NumberOfWorkers=10,
        Tags={"team": "data"},
    )
    assert created["Name"] == name
    job = glue.get_job(JobName=name)["Job"]
    assert job["Name"] == name  # job names keep their case
    assert job["Command"] == {**_etl(), "PythonVersion": "3"}
    assert (job["Timeout"], job["MaxRetries"], job["GlueVersion"]) == (2880, 0, "4.0")
    assert job["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert (job["WorkerType"], job["NumberOfWorkers"], job["MaxCapacity"]) == ("G.1X", 10, 10.0)
    assert job["AllocatedCapacity"] == 10 and job["JobMode"] == "SCRIPT"
    assert job["CreatedOn"] == job["LastModifiedOn"]
    assert glue.get_tags(ResourceArn=ARN + name)["Tags"] == {"team": "data"}

    with pytest.raises(ClientError) as exc:
        glue.create_job(Name=name, Role="r", Command=_etl())
    assert _code(exc) == "AlreadyExistsException"

    # UpdateJob replaces everything, except that an omitted GlueVersion is kept.
    updated = glue.update_job(JobName=name, JobUpdate={"Role": "r2", "Command": _etl("/local.py")})
    assert updated["JobName"] == name
    job = glue.get_job(JobName=name)["Job"]
    assert "Description" not in job and "DefaultArguments" not in job and "WorkerType" not in job
    assert (job["Role"], job["GlueVersion"], job["Timeout"], job["MaxCapacity"]) == (
        "r2",
        "4.0",
        2880,
        10.0,
    )
    assert job["LastModifiedOn"] > job["CreatedOn"]

    assert glue.delete_job(JobName=name)["JobName"] == name
    assert glue.delete_job(JobName=name)["JobName"] == name  # no error when it is gone
    with pytest.raises(ClientError) as exc:
        glue.get_job(JobName=name)
    assert _code(exc) == "EntityNotFoundException" and _message(exc) == f"Job {name} not found."
    with pytest.raises(ClientError) as exc:
        glue.get_tags(ResourceArn=ARN + name)
    assert _code(exc) == "EntityNotFoundException"
    with pytest.raises(ClientError) as exc:
        glue.update_job(JobName=name, JobUpdate={"Role": "r", "Command": _etl()})
    assert _code(exc) == "EntityNotFoundException"


def test_get_jobs_list_jobs_and_batch_get(glue: Any, unique_name: str) -> None:
    names = [f"{unique_name}_{i}" for i in range(5)]
    for i, name in enumerate(names):
        glue.create_job(Name=name, Role="r", Command=_etl(), Tags={"parity": str(i % 2)})
    pages = list(glue.get_paginator("get_jobs").paginate(PaginationConfig={"PageSize": 2}))
    seen = [j["Name"] for page in pages for j in page["Jobs"]]
    assert [n for n in seen if n.startswith(unique_name)] == names
    assert "NextToken" not in pages[-1]

    listed = glue.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 2})
    assert [n for page in listed for n in page["JobNames"] if n.startswith(unique_name)] == names
    even = glue.list_jobs(Tags={"parity": "0"}, MaxResults=1000)["JobNames"]
    assert [n for n in even if n.startswith(unique_name)] == names[0::2]
    assert glue.list_jobs(Tags={"parity": "0", "other": "x"})["JobNames"] == []

    got = glue.batch_get_jobs(JobNames=[names[3], "missing-" + unique_name, names[1]])
    assert [j["Name"] for j in got["Jobs"]] == [names[3], names[1]]
    assert got["JobsNotFound"] == ["missing-" + unique_name]
    for name in names:
        glue.delete_job(JobName=name)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"Command": {"Name": "gluestreaming", "ScriptLocation": "x"}}, "runs glueetl and"),
        ({"Command": {"Name": "glueetl"}}, "ScriptLocation is required"),
        ({"Command": _etl(), "Timeout": 10081}, "7 days"),
        ({"Command": _etl(), "WorkerType": "G.1X"}, "both WorkerType and NumberOfWorkers"),
        (
            {"Command": {"Name": "pythonshell", "ScriptLocation": "x"}, "MaxCapacity": 2.0},
            "0.0625 or 1",
        ),
    ],
)
def test_invalid_jobs_are_refused(
    glue: Any, unique_name: str, members: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ClientError) as exc:
        glue.create_job(Name=unique_name, Role="r", **members)
    assert _code(exc) == "InvalidInputException"
    assert expected in _message(exc)
    with pytest.raises(ClientError):
        glue.get_job(JobName=unique_name)


def test_tags_need_an_existing_job(glue: Any, unique_name: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.tag_resource(ResourceArn=ARN + unique_name, TagsToAdd={"a": "b"})
    assert _code(exc) == "EntityNotFoundException"
    glue.create_job(Name=unique_name, Role="r", Command=_etl())
    glue.tag_resource(ResourceArn=ARN + unique_name, TagsToAdd={"a": "b"})
    assert glue.list_jobs(Tags={"a": "b"})["JobNames"] == [unique_name]
    glue.delete_job(JobName=unique_name)
    # A job created again under the same name starts without the old tags.
    glue.create_job(Name=unique_name, Role="r", Command=_etl())
    assert glue.get_tags(ResourceArn=ARN + unique_name)["Tags"] == {}
    glue.delete_job(JobName=unique_name)
