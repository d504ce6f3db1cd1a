"""User-defined functions through boto3 against a real server process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


@pytest.fixture
def database(glue: Any, unique_name: str) -> Iterator[str]:
    glue.create_database(DatabaseInput={"Name": unique_name})
    yield unique_name
    with contextlib.suppress(ClientError):  # a test may have deleted it already
        glue.delete_database(Name=unique_name)


def _fn(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "FunctionName": name,
        "ClassName": "com.example.Upper",
        "OwnerName": "etl",
        "OwnerType": "USER",
        "FunctionType": "REGULAR_FUNCTION",
        "ResourceUris": [{"ResourceType": "JAR", "Uri": "s3://bucket/udfs.jar"}],
        **extra,
    }


def test_function_lifecycle(glue: Any, database: str) -> None:
    glue.create_user_defined_function(DatabaseName=database.upper(), FunctionInput=_fn("To_Upper"))
    fn = glue.get_user_defined_function(DatabaseName=database, FunctionName="TO_UPPER")[
        "UserDefinedFunction"
    ]
    assert fn["FunctionName"] == "to_upper"  # folded to lowercase
    assert fn["DatabaseName"] == database
    assert fn["ClassName"] == "com.example.Upper" and fn["OwnerType"] == "USER"
    assert fn["ResourceUris"] == [{"ResourceType": "JAR", "Uri": "s3://bucket/udfs.jar"}]
    assert fn["FunctionType"] == "REGULAR_FUNCTION"
    assert fn["GovernanceMode"] == "IAM_ONLY"
    assert fn["CatalogId"] == "123456789012"
    assert fn["CreateTime"].year >= 2026

    with pytest.raises(ClientError) as exc:
        glue.create_user_defined_function(DatabaseName=database, FunctionInput=_fn("to_upper"))
    assert _code(exc) == "AlreadyExistsException"

    glue.update_user_defined_function(
        DatabaseName=database,
        FunctionName="to_upper",
        FunctionInput={"FunctionName": "Upper2", "ClassName": "com.example.Upper2"},
    )
    fn = glue.get_user_defined_function(DatabaseName=database, FunctionName="upper2")[
        "UserDefinedFunction"
    ]
    assert fn["ClassName"] == "com.example.Upper2"
    assert "OwnerName" not in fn and "ResourceUris" not in fn  # full replace
    with pytest.raises(ClientError) as exc:
        glue.get_user_defined_function(DatabaseName=database, FunctionName="to_upper")
    assert _code(exc) == "EntityNotFoundException"

    glue.delete_user_defined_function(DatabaseName=database, FunctionName="UPPER2")
    with pytest.raises(ClientError) as exc:
        glue.delete_user_defined_function(DatabaseName=database, FunctionName="upper2")
    assert _code(exc) == "EntityNotFoundException"
    assert "upper2" in _message(exc)


def test_missing_database_and_function(glue: Any, database: str, unique_name: str) -> None:
    missing = unique_name + "_nodb"
    calls = [
        lambda: glue.create_user_defined_function(DatabaseName=missing, FunctionInput=_fn("f")),
        lambda: glue.get_user_defined_function(DatabaseName=missing, FunctionName="f"),
        lambda: glue.get_user_defined_functions(DatabaseName=missing, Pattern=".*"),
        lambda: glue.update_user_defined_function(
            DatabaseName=missing, FunctionName="f", FunctionInput=_fn("f")
        ),
        lambda: glue.delete_user_defined_function(DatabaseName=missing, FunctionName="f"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as exc:
            call()
        assert _code(exc) == "EntityNotFoundException"
        assert _message(exc) == f"Database {missing} not found."

    with pytest.raises(ClientError) as exc:
        glue.update_user_defined_function(
            DatabaseName=database, FunctionName="nope", FunctionInput=_fn("nope")
        )
    assert _code(exc) == "EntityNotFoundException"
    with pytest.raises(ClientError) as exc:
        glue.create_user_defined_function(
            DatabaseName=database, FunctionInput={"ClassName": "com.example.F"}
        )
    assert _code(exc) == "InvalidInputException" and "FunctionName" in _message(exc)


def test_rename_conflict(glue: Any, database: str) -> None:
    glue.create_user_defined_function(DatabaseName=database, FunctionInput=_fn("a"))
    glue.create_user_defined_function(DatabaseName=database, FunctionInput=_fn("b"))
    with pytest.raises(ClientError) as exc:
        glue.update_user_defined_function(
            DatabaseName=database, FunctionName="a", FunctionInput=_fn("B")
        )
    assert _code(exc) == "AlreadyExistsException"
    # Without FunctionName the function keeps its name.
    glue.update_user_defined_function(
        DatabaseName=database, FunctionName="a", FunctionInput={"ClassName": "com.example.New"}
    )
    fn = glue.get_user_defined_function(DatabaseName=database, FunctionName="a")
    assert fn["UserDefinedFunction"]["ClassName"] == "com.example.New"


def test_get_functions_patterns_and_paging(glue: Any, database: str, unique_name: str) -> None:
    names = ["avg_x", "sum_a", "sum_b", "sum_c", "upper"]
    for name in names:
        kind = "AGGREGATE_FUNCTION" if name.startswith(("sum", "avg")) else "REGULAR_FUNCTION"
        glue.create_user_defined_function(
            DatabaseName=database, FunctionInput=_fn(name, FunctionType=kind)
        )

    def listed(**kwargs: Any) -> list[str]:
        pages = glue.get_paginator("get_user_defined_functions").paginate(**kwargs)
        return [f["FunctionName"] for page in pages for f in page["UserDefinedFunctions"]]

    assert listed(DatabaseName=database, Pattern=".*") == names
    assert listed(DatabaseName=database, Pattern="*") == names  # Hive wildcard
    assert listed(DatabaseName=database, Pattern="SUM_*") == ["sum_a", "sum_b", "sum_c"]
    assert listed(DatabaseName=database, Pattern="sum_[ab]|avg_.*") == ["avg_x", "sum_a", "sum_b"]
    assert listed(DatabaseName=database, Pattern="sum") == []  # the whole name must match
    assert listed(DatabaseName=database, Pattern=".*", FunctionType="REGULAR_FUNCTION") == ["upper"]

    pages = list(
        glue.get_paginator("get_user_defined_functions").paginate(
            DatabaseName=database, Pattern="sum_*|upper", PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["UserDefinedFunctions"]) for p in pages] == [2, 2]
    assert "NextToken" not in pages[-1]

    # Without DatabaseName the listing spans every database.
    other = unique_name + "_other"
    glue.create_database(DatabaseInput={"Name": other})
    glue.create_user_defined_function(DatabaseName=other, FunctionInput=_fn("sum_z"))
    everywhere = glue.get_paginator("get_user_defined_functions").paginate(
        Pattern="sum_*", PaginationConfig={"PageSize": 1}
    )
    mine = [
        (f["DatabaseName"], f["FunctionName"])
        for page in everywhere
        for f in page["UserDefinedFunctions"]
        if f["DatabaseName"] in (database, other)
    ]
    assert mine == [(database, "sum_a"), (database, "sum_b"), (database, "sum_c"), (other, "sum_z")]
    glue.delete_database(Name=other)


def test_bad_pattern_and_limits(glue: Any, database: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.get_user_defined_functions(DatabaseName=database, Pattern="sum_(")
    assert _code(exc) == "InvalidInputException" and "sum_(" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.get_user_defined_functions(Pattern=".*", MaxResults=101)
    assert _code(exc) == "InvalidInputException"


def test_lake_formation_governance_rules(glue: Any, database: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.create_user_defined_function(
            DatabaseName=database, FunctionInput=_fn("lf", GovernanceMode="LAKE_FORMATION")
        )
    assert _code(exc) == "InvalidInputException" and "ArtifactLocation" in _message(exc)

    lf = _fn(
        "lf",
        GovernanceMode="LAKE_FORMATION",
        ArtifactLocation="s3://bucket/",
        ResourceUris=[{"ResourceType": "JAR", "Uri": "s3://bucket/udfs.jar"}],
    )
    glue.create_user_defined_function(DatabaseName=database, FunctionInput=lf)
    fn = glue.get_user_defined_function(DatabaseName=database, FunctionName="lf")
    assert fn["UserDefinedFunction"]["ArtifactLocation"] == "s3://bucket/"

    with pytest.raises(ClientError) as exc:
        glue.update_user_defined_function(
            DatabaseName=database, FunctionName="lf", FunctionInput={**lf, "FunctionName": "lf2"}
        )
    assert _code(exc) == "InvalidInputException" and "renamed" in _message(exc)
    with pytest.raises(ClientError) as exc:
        glue.update_user_defined_function(
            DatabaseName=database,
            FunctionName="lf",
            FunctionInput={**lf, "GovernanceMode": "IAM_ONLY"},
        )
    assert _code(exc) == "InvalidInputException" and "cannot change" in _message(exc)

    # IAM_ONLY functions do not report an ArtifactLocation.
    glue.create_user_defined_function(
        DatabaseName=database, FunctionInput=_fn("plain", ArtifactLocation="s3://bucket/")
    )
    fn = glue.get_user_defined_function(DatabaseName=database, FunctionName="plain")
    assert "ArtifactLocation" not in fn["UserDefinedFunction"]
