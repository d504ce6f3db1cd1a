"""Databases through boto3 against a real server process."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def test_database_lifecycle(glue: Any, unique_name: str) -> None:
    name = unique_name.upper()
    glue.create_database(
        DatabaseInput={"Name": name, "Description": "sales", "Parameters": {"k": "v"}}
    )
    db = glue.get_database(Name=name)["Database"]
    assert db["Name"] == unique_name  # folded to lowercase
    assert db["Description"] == "sales" and db["Parameters"] == {"k": "v"}
    assert db["CatalogId"] == "123456789012"
    assert db["CreateTime"].year >= 2026

    with pytest.raises(ClientError) as exc:
        glue.create_database(DatabaseInput={"Name": unique_name})
    assert _code(exc) == "AlreadyExistsException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    glue.update_database(Name=name, DatabaseInput={"Name": unique_name, "Description": "new"})
    db = glue.get_database(Name=unique_name)["Database"]
    assert db["Description"] == "new" and "Parameters" not in db  # full replace

    glue.delete_database(Name=unique_name)
    with pytest.raises(ClientError) as exc:
        glue.get_database(Name=unique_name)
    assert _code(exc) == "EntityNotFoundException"
    assert unique_name in exc.value.response["Error"]["Message"]


def test_get_databases_paginates(glue: Any, unique_name: str) -> None:
    names = [f"{unique_name}_{i:02d}" for i in range(7)]
    for name in names:
        glue.create_database(DatabaseInput={"Name": name})
    pages = list(glue.get_paginator("get_databases").paginate(PaginationConfig={"PageSize": 3}))
    seen = [d["Name"] for page in pages for d in page["DatabaseList"]]
    assert [n for n in seen if n.startswith(unique_name)] == names
    assert "NextToken" not in pages[-1]
    assert len(pages) >= 3
    for name in names:
        glue.delete_database(Name=name)


def test_max_results_maximum_enforced(glue: Any) -> None:
    with pytest.raises(ClientError) as exc:
        glue.get_databases(MaxResults=101)
    assert _code(exc) == "InvalidInputException"
    assert "at most 100" in exc.value.response["Error"]["Message"]
