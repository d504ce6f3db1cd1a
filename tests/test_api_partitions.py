"""Partitions and partition indexes through boto3 against a real server process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

COLUMNS = [{"Name": "id", "Type": "bigint"}]


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


@pytest.fixture
def table(glue: Any, unique_name: str) -> Iterator[tuple[str, str]]:
    """A table partitioned by ``year int`` and ``month string`` in a fresh database."""
    glue.create_database(DatabaseInput={"Name": unique_name})
    glue.create_table(
        DatabaseName=unique_name,
        TableInput={
            "Name": "events",
            "StorageDescriptor": {"Columns": COLUMNS, "Location": "s3://b/events/"},
            "PartitionKeys": [{"Name": "Year", "Type": "int"}, {"Name": "month", "Type": "string"}],
        },
    )
    yield unique_name, "events"
    glue.delete_database(Name=unique_name)


def _input(year: int | str, month: str, **extra: Any) -> dict[str, Any]:
    return {
        "Values": [str(year), month],
        "StorageDescriptor": {"Columns": COLUMNS, "Location": f"s3://b/events/{year}/{month}/"},
        **extra,
    }


def test_partition_lifecycle(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    glue.create_partition(
        DatabaseName=db.upper(),
        TableName="EVENTS",
        PartitionInput=_input(2024, "01", Parameters={"a": "b"}),
    )
    got = glue.get_partition(DatabaseName=db, TableName=name, PartitionValues=["2024", "01"])[
        "Partition"
    ]
    assert got["Values"] == ["2024", "01"]
    assert (got["DatabaseName"], got["TableName"], got["CatalogId"]) == (db, name, "123456789012")
    assert got["Parameters"] == {"a": "b"}
    assert got["StorageDescriptor"]["Location"] == "s3://b/events/2024/01/"
    created = got["CreationTime"]
    assert created.year >= 2026

    with pytest.raises(ClientError) as exc:
        glue.create_partition(DatabaseName=db, TableName=name, PartitionInput=_input(2024, "01"))
    assert _code(exc) == "AlreadyExistsException"
    with pytest.raises(ClientError) as exc:
        glue.create_partition(DatabaseName=db, TableName=name, PartitionInput={"Values": ["2024"]})
    assert _code(exc) == "InvalidInputException"
    assert "2 key(s) (year, month)" in exc.value.response["Error"]["Message"]

    # Full replace: Parameters go, the creation time stays; the values cannot change.
    glue.update_partition(
        DatabaseName=db,
        TableName=name,
        PartitionValueList=["2024", "01"],
        PartitionInput=_input(2024, "01", LastAccessTime=1_700_000_000),
    )
    got = glue.get_partition(DatabaseName=db, TableName=name, PartitionValues=["2024", "01"])[
        "Partition"
    ]
    assert "Parameters" not in got and got["CreationTime"] == created
    assert got["LastAccessTime"].timestamp() == 1_700_000_000
    with pytest.raises(ClientError) as exc:
        glue.update_partition(
            DatabaseName=db,
            TableName=name,
            PartitionValueList=["2024", "01"],
            PartitionInput=_input(2024, "02"),
        )
    assert _code(exc) == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.update_partition(
            DatabaseName=db,
            TableName=name,
            PartitionValueList=["1999", "01"],
            PartitionInput=_input(1999, "01"),
        )
    assert _code(exc) == "EntityNotFoundException"

    glue.delete_partition(DatabaseName=db, TableName=name, PartitionValues=["2024", "01"])
    for call in (glue.get_partition, glue.delete_partition):
        with pytest.raises(ClientError) as exc:
            call(DatabaseName=db, TableName=name, PartitionValues=["2024", "01"])
        assert _code(exc) == "EntityNotFoundException"


def test_missing_database_and_table(glue: Any, table: tuple[str, str]) -> None:
    db, _ = table
    for database, table_name, message in (
        ("nodb_x", "events", "Database nodb_x not found."),
        (db, "Missing", "Table missing not found."),
    ):
        with pytest.raises(ClientError) as exc:
            glue.get_partitions(DatabaseName=database, TableName=table_name)
        assert _code(exc) == "EntityNotFoundException"
        assert exc.value.response["Error"]["Message"] == message


def test_batch_create_reports_item_errors_with_http_200(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    glue.create_partition(DatabaseName=db, TableName=name, PartitionInput=_input(2020, "01"))
    answer = glue.batch_create_partition(
        DatabaseName=db,
        TableName=name,
        PartitionInputList=[
            _input(2020, "01"),  # exists already
            _input(2020, "02"),
            _input(2020, "02"),  # twice in one batch
            {"Values": ["2020"]},  # one value for two keys
            _input(2020, "03"),
        ],
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    errors = {
        (tuple(e["PartitionValues"]), e["ErrorDetail"]["ErrorCode"]) for e in answer["Errors"]
    }
    assert errors == {
        (("2020", "01"), "AlreadyExistsException"),
        (("2020", "02"), "AlreadyExistsException"),
        (("2020",), "InvalidInputException"),
    }
    listed = glue.get_partitions(DatabaseName=db, TableName=name)["Partitions"]
    assert sorted(p["Values"][1] for p in listed) == ["01", "02", "03"]


def test_get_partitions_pages_filters_and_segments(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    inputs = [_input(year, f"{month:02d}") for year in (9, 10, 2024) for month in range(1, 10)]
    glue.batch_create_partition(DatabaseName=db, TableName=name, PartitionInputList=inputs)

    pages = list(
        glue.get_paginator("get_partitions").paginate(
            DatabaseName=db, TableName=name, PaginationConfig={"PageSize": 10}
        )
    )
    assert [len(p["Partitions"]) for p in pages] == [10, 10, 7]
    assert "NextToken" not in pages[-1]
    assert [p["Values"] for page in pages for p in page["Partitions"]] == [
        i["Values"] for i in inputs
    ]

    def values(**kwargs: Any) -> list[list[str]]:
        answer = glue.get_partitions(DatabaseName=db, TableName=name, **kwargs)
        return [p["Values"] for p in answer["Partitions"]]

    # year is an int key: 10 > 9 although "10" < "9" as text.
    assert values(Expression="year > 9 AND month IN ('01', '02')") == [
        ["10", "01"],
        ["10", "02"],
        ["2024", "01"],
        ["2024", "02"],
    ]
    assert values(Expression="  ") == [i["Values"] for i in inputs]
    segments = [values(Segment={"SegmentNumber": n, "TotalSegments": 4}) for n in range(4)]
    assert sorted(v for s in segments for v in s) == sorted(i["Values"] for i in inputs)

    bare = glue.get_partitions(DatabaseName=db, TableName=name, ExcludeColumnSchema=True)
    descriptor = bare["Partitions"][0]["StorageDescriptor"]
    assert "Columns" not in descriptor and descriptor["Location"].startswith("s3://b/events/")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"MaxResults": 1001}, "at most 1000"),
        ({"Expression": "year >"}, "Invalid partition expression"),
        ({"Expression": "day = '1'"}, "Unknown column"),
        ({"Expression": "year = 'abc'"}, "'year'"),
        ({"Segment": {"SegmentNumber": 2, "TotalSegments": 2}}, "must be less than"),
        ({"Segment": {"SegmentNumber": 0, "TotalSegments": 11}}, "at most 10"),
        ({"NextToken": "garbage"}, "NextToken"),
    ],
)
def test_get_partitions_rejects_bad_input(
    glue: Any, table: tuple[str, str], arguments: dict[str, Any], message: str
) -> None:
    db, name = table
    with pytest.raises(ClientError) as exc:
        glue.get_partitions(DatabaseName=db, TableName=name, **arguments)
    assert _code(exc) == "InvalidInputException"
    assert message in exc.value.response["Error"]["Message"]


def test_batch_get_update_delete(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    glue.batch_create_partition(
        DatabaseName=db, TableName=name, PartitionInputList=[_input(2024, m) for m in "123"]
    )
    answer = glue.batch_get_partition(
        DatabaseName=db,
        TableName=name,
        PartitionsToGet=[
            {"Values": ["2024", "3"]},
            {"Values": ["2024", "9"]},
            {"Values": ["2024", "1"]},
        ],
    )
    assert [p["Values"] for p in answer["Partitions"]] == [["2024", "3"], ["2024", "1"]]
    assert answer["UnprocessedKeys"] == []

    answer = glue.batch_update_partition(
        DatabaseName=db,
        TableName=name,
        Entries=[
            {
                "PartitionValueList": ["2024", "1"],
                "PartitionInput": _input(2024, "1", Parameters={"x": "y"}),
            },
            {"PartitionValueList": ["2024", "9"], "PartitionInput": _input(2024, "9")},
            {"PartitionValueList": ["2024", "2"], "PartitionInput": _input(2024, "3")},
        ],
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [(e["PartitionValueList"], e["ErrorDetail"]["ErrorCode"]) for e in answer["Errors"]] == [
        (["2024", "2"], "InvalidInputException"),
        (["2024", "9"], "EntityNotFoundException"),
    ]
    got = glue.get_partition(DatabaseName=db, TableName=name, PartitionValues=["2024", "1"])
    assert got["Partition"]["Parameters"] == {"x": "y"}

    answer = glue.batch_delete_partition(
        DatabaseName=db,
        TableName=name,
        PartitionsToDelete=[{"Values": ["2024", "1"]}, {"Values": ["2024", "7"]}],
    )
    assert [(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in answer["Errors"]] == [
        (["2024", "7"], "EntityNotFoundException")
    ]
    remaining = glue.get_partitions(DatabaseName=db, TableName=name)["Partitions"]
    assert sorted(p["Values"][1] for p in remaining) == ["2", "3"]
    with pytest.raises(ClientError) as exc:
        glue.batch_delete_partition(
            DatabaseName=db, TableName=name, PartitionsToDelete=[{"Values": ["1", "2"]}] * 26
        )
    assert _code(exc) == "InvalidInputException"


def test_partitions_go_with_their_table(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    glue.create_partition(DatabaseName=db, TableName=name, PartitionInput=_input(2024, "01"))
    glue.delete_table(DatabaseName=db, Name=name)
    glue.create_table(
        DatabaseName=db,
        TableInput={
            "Name": name,
            "PartitionKeys": [{"Name": "year", "Type": "int"}, {"Name": "month"}],
        },
    )
    assert glue.get_partitions(DatabaseName=db, TableName=name)["Partitions"] == []


def test_partition_indexes(glue: Any, table: tuple[str, str]) -> None:
    db, name = table
    glue.create_partition_index(
        DatabaseName=db, TableName=name, PartitionIndex={"IndexName": "by_year", "Keys": ["YEAR"]}
    )
    with pytest.raises(ClientError) as exc:
        glue.create_partition_index(
            DatabaseName=db,
            TableName=name,
            PartitionIndex={"IndexName": "by_year", "Keys": ["month"]},
        )
    assert _code(exc) == "AlreadyExistsException"
    with pytest.raises(ClientError) as exc:
        glue.create_partition_index(
            DatabaseName=db, TableName=name, PartitionIndex={"IndexName": "bad", "Keys": ["id"]}
        )
    assert _code(exc) == "InvalidInputException"
    for index_name, keys in (("by_month", ["month"]), ("both", ["month", "year"])):
        glue.create_partition_index(
            DatabaseName=db, TableName=name, PartitionIndex={"IndexName": index_name, "Keys": keys}
        )
    with pytest.raises(ClientError) as exc:
        glue.create_partition_index(
            DatabaseName=db,
            TableName=name,
            PartitionIndex={"IndexName": "fourth", "Keys": ["year"]},
        )
    assert _code(exc) == "ResourceNumberLimitExceededException"

    pages = list(
        glue.get_paginator("get_partition_indexes").paginate(DatabaseName=db, TableName=name)
    )
    descriptors = [d for page in pages for d in page["PartitionIndexDescriptorList"]]
    assert descriptors[2] == {
        "IndexName": "both",
        "Keys": [{"Name": "month", "Type": "string"}, {"Name": "year", "Type": "int"}],
        "IndexStatus": "ACTIVE",
    }
    assert [d["IndexName"] for d in descriptors] == ["by_year", "by_month", "both"]

    glue.delete_partition_index(DatabaseName=db, TableName=name, IndexName="by_month")
    with pytest.raises(ClientError) as exc:
        glue.delete_partition_index(DatabaseName=db, TableName=name, IndexName="by_month")
    assert _code(exc) == "EntityNotFoundException"
    listed = glue.get_partition_indexes(DatabaseName=db, TableName=name)
    assert [d["IndexName"] for d in listed["PartitionIndexDescriptorList"]] == ["by_year", "both"]
