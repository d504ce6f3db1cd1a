"""Tables and table versions through boto3 against a real server process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError


def _error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def _table_input(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {
            "Columns": [{"Name": "Id", "Type": "bigint"}, {"Name": "Amount", "Type": "double"}],
            "Location": f"s3://bucket/{name}/",
        },
        **extra,
    }


@pytest.fixture
def db(glue: Any, unique_name: str) -> Iterator[str]:
    glue.create_database(DatabaseInput={"Name": unique_name})
    yield unique_name
    glue.delete_database(Name=unique_name)


def test_table_lifecycle(glue: Any, db: str) -> None:
    glue.create_table(
        DatabaseName=db.upper(),
        TableInput=_table_input(
            "Sales",
            Description="daily sales",
            PartitionKeys=[{"Name": "Year", "Type": "string"}],
            Parameters={"classification": "parquet"},
        ),
    )
    table = glue.get_table(DatabaseName=db, Name="SALES")["Table"]
    assert table["Name"] == "sales" and table["DatabaseName"] == db
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == ["id", "amount"]
    assert table["PartitionKeys"] == [{"Name": "year", "Type": "string"}]
    assert table["Parameters"] == {"classification": "parquet"}
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table["VersionId"] == "0"  # AWS numbers a new table's first version 0
    assert table["CatalogId"] == "123456789012"
    assert table["IsRegisteredWithLakeFormation"] is False
    assert table["CreateTime"] == table["UpdateTime"]

    with pytest.raises(ClientError) as exc:
        glue.create_table(DatabaseName=db, TableInput={"Name": "sales"})
    assert _error(exc) == ("AlreadyExistsException", "Table sales already exists.")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    glue.delete_table(DatabaseName=db, Name="Sales")
    with pytest.raises(ClientError) as exc:
        glue.get_table(DatabaseName=db, Name="sales")
    assert _error(exc) == ("EntityNotFoundException", "Table sales not found.")
    with pytest.raises(ClientError) as exc:
        glue.delete_table(DatabaseName=db, Name="sales")
    assert _error(exc)[0] == "EntityNotFoundException"


def test_partition_keys_default_to_an_empty_list(glue: Any, db: str) -> None:
    glue.create_table(DatabaseName=db, TableInput={"Name": "bare"})
    table = glue.get_table(DatabaseName=db, Name="bare")["Table"]
    assert table["PartitionKeys"] == []
    assert "StorageDescriptor" not in table and "TableType" not in table


def test_missing_database(glue: Any, unique_name: str) -> None:
    for call in (
        lambda: glue.create_table(DatabaseName=unique_name, TableInput={"Name": "t"}),
        lambda: glue.get_table(DatabaseName=unique_name, Name="t"),
        lambda: glue.get_tables(DatabaseName=unique_name),
        lambda: glue.batch_delete_table(DatabaseName=unique_name, TablesToDelete=["t"]),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert _error(exc) == ("EntityNotFoundException", f"Database {unique_name} not found.")


def test_update_archives_versions(glue: Any, db: str) -> None:
    glue.create_table(DatabaseName=db, TableInput=_table_input("t", Description="v1"))
    created = glue.get_table(DatabaseName=db, Name="t")["Table"]
    glue.update_table(DatabaseName=db, TableInput=_table_input("t", Description="v2"))
    glue.update_table(DatabaseName=db, TableInput={"Name": "T", "Description": "v3"}, VersionId="1")
    table = glue.get_table(DatabaseName=db, Name="t")["Table"]
    assert table["VersionId"] == "2" and table["Description"] == "v3"
    assert "StorageDescriptor" not in table  # a full replace, not a patch
    assert table["CreateTime"] == created["CreateTime"]
    assert table["UpdateTime"] > created["UpdateTime"]

    versions = glue.get_table_versions(DatabaseName=db, TableName="t")["TableVersions"]
    assert [(v["VersionId"], v["Table"]["Description"]) for v in versions] == [
        ("2", "v3"),
        ("1", "v2"),
        ("0", "v1"),
    ]
    assert versions[2]["Table"]["VersionId"] == "0"
    assert versions[2]["Table"]["UpdateTime"] == created["UpdateTime"]

    one = glue.get_table_version(DatabaseName=db, TableName="t", VersionId="0")["TableVersion"]
    assert one["VersionId"] == "0" and one["Table"]["StorageDescriptor"]["Location"]
    current = glue.get_table_version(DatabaseName=db, TableName="t")["TableVersion"]
    assert current["VersionId"] == "2" and current["Table"]["Description"] == "v3"

    pages = list(
        glue.get_paginator("get_table_versions").paginate(
            DatabaseName=db, TableName="t", PaginationConfig={"PageSize": 2}
        )
    )
    assert [[v["VersionId"] for v in p["TableVersions"]] for p in pages] == [["2", "1"], ["0"]]


def test_skip_archive_and_version_checks(glue: Any, db: str) -> None:
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "Description": "v1"})
    glue.update_table(DatabaseName=db, TableInput={"Name": "t"}, SkipArchive=True)
    versions = glue.get_table_versions(DatabaseName=db, TableName="t")["TableVersions"]
    assert [v["VersionId"] for v in versions] == ["1"]  # new id, old one not kept

    with pytest.raises(ClientError) as exc:
        glue.update_table(DatabaseName=db, TableInput={"Name": "t"}, VersionId="0")
    code, message = _error(exc)
    assert code == "ConcurrentModificationException"
    assert "concurrent modifications" in message and "current version 1" in message

    with pytest.raises(ClientError) as exc:
        glue.update_table(DatabaseName=db, Name="t", TableInput={"Name": "renamed"})
    assert _error(exc)[0] == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.update_table(DatabaseName=db, TableInput={"Name": "missing"})
    assert _error(exc) == ("EntityNotFoundException", "Table missing not found.")
    with pytest.raises(ClientError) as exc:
        glue.get_table_version(DatabaseName=db, TableName="t", VersionId="8")
    assert _error(exc)[0] == "EntityNotFoundException"
    with pytest.raises(ClientError) as exc:
        glue.get_table_version(DatabaseName=db, TableName="t", VersionId="latest")
    assert _error(exc)[0] == "InvalidInputException"


def test_delete_table_versions(glue: Any, db: str) -> None:
    glue.create_table(DatabaseName=db, TableInput={"Name": "t"})
    for _ in range(3):
        glue.update_table(DatabaseName=db, TableInput={"Name": "t"})
    glue.delete_table_version(DatabaseName=db, TableName="t", VersionId="1")
    with pytest.raises(ClientError) as exc:
        glue.delete_table_version(DatabaseName=db, TableName="t", VersionId="1")
    assert _error(exc) == ("EntityNotFoundException", "Version 1 of table t not found.")
    with pytest.raises(ClientError) as exc:
        glue.delete_table_version(DatabaseName=db, TableName="t", VersionId="3")
    assert _error(exc)[0] == "InvalidInputException"  # the current version

    errors = glue.batch_delete_table_version(
        DatabaseName=db, TableName="t", VersionIds=["0", "1", "3", "x"]
    )["Errors"]
    assert {(e["VersionId"], e["ErrorDetail"]["ErrorCode"]) for e in errors} == {
        ("1", "EntityNotFoundException"),
        ("3", "InvalidInputException"),
        ("x", "InvalidInputException"),
    }
    assert all(e["TableName"] == "t" for e in errors)
    versions = glue.get_table_versions(DatabaseName=db, TableName="t")["TableVersions"]
    assert [v["VersionId"] for v in versions] == ["3", "2"]
    with pytest.raises(ClientError) as exc:
        glue.batch_delete_table_version(DatabaseName=db, TableName="nope", VersionIds=["0"])
    assert _error(exc) == ("EntityNotFoundException", "Table nope not found.")


def test_get_tables_paginates_and_filters(glue: Any, db: str) -> None:
    names = [f"sales_{i:02d}" for i in range(7)] + ["orders", "customers"]
    for name in names:
        glue.create_table(DatabaseName=db, TableInput={"Name": name})
    pages = list(
        glue.get_paginator("get_tables").paginate(DatabaseName=db, PaginationConfig={"PageSize": 3})
    )
    assert [len(p["TableList"]) for p in pages] == [3, 3, 3]
    assert [t["Name"] for p in pages for t in p["TableList"]] == sorted(names)
    assert "NextToken" not in pages[-1]

    def matching(expression: str, page_size: int = 100) -> list[str]:
        paginator = glue.get_paginator("get_tables")
        pages = paginator.paginate(
            DatabaseName=db, Expression=expression, PaginationConfig={"PageSize": page_size}
        )
        return [t["Name"] for p in pages for t in p["TableList"]]

    assert matching("sales*", page_size=2) == names[:7]
    assert matching("SALES_0[12]|orders") == ["orders", "sales_01", "sales_02"]
    assert matching(".*ers") == ["customers", "orders"]
    assert matching("*ers") == ["customers", "orders"]
    assert matching("sales") == []  # the whole name has to match
    with pytest.raises(ClientError) as exc:
        glue.get_tables(DatabaseName=db, Expression="sales(")
    assert _error(exc)[0] == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.get_tables(DatabaseName=db, MaxResults=101)
    assert _error(exc)[0] == "InvalidInputException"


def test_batch_delete_table_reports_missing(glue: Any, db: str) -> None:
    for name in ("a", "b"):
        glue.create_table(DatabaseName=db, TableInput={"Name": name})
    response = glue.batch_delete_table(DatabaseName=db, TablesToDelete=["A", "ghost", "b"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["Errors"] == [
        {
            "TableName": "ghost",
            "ErrorDetail": {
                "ErrorCode": "EntityNotFoundException",
                "ErrorMessage": "Table ghost not found.",
            },
        }
    ]
    assert glue.get_tables(DatabaseName=db)["TableList"] == []


def test_update_keeps_partitions(glue: Any, db: str) -> None:
    keys = [{"Name": "year", "Type": "string"}]
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "PartitionKeys": keys})
    glue.create_partition(DatabaseName=db, TableName="t", PartitionInput={"Values": ["2024"]})
    glue.update_table(
        DatabaseName=db, TableInput={"Name": "t", "PartitionKeys": keys, "Description": "x"}
    )
    partition = glue.get_partition(DatabaseName=db, TableName="t", PartitionValues=["2024"])
    assert partition["Partition"]["Values"] == ["2024"]


def test_create_table_with_partition_indexes(glue: Any, db: str) -> None:
    glue.create_table(
        DatabaseName=db,
        TableInput={"Name": "t", "PartitionKeys": [{"Name": "Year", "Type": "string"}]},
        PartitionIndexes=[{"IndexName": "by_year", "Keys": ["YEAR"]}],
    )
    indexes = glue.get_partition_indexes(DatabaseName=db, TableName="t")
    assert [i["IndexName"] for i in indexes["PartitionIndexDescriptorList"]] == ["by_year"]
    with pytest.raises(ClientError) as exc:
        glue.create_table(
            DatabaseName=db,
            TableInput={"Name": "u"},
            PartitionIndexes=[{"IndexName": "ix", "Keys": ["year"]}],
        )
    assert _error(exc)[0] == "InvalidInputException"


def test_search_tables(glue: Any, db: str, unique_name: str) -> None:
    other = "o" + unique_name[::-1]  # a database name that does not contain unique_name
    glue.create_database(DatabaseInput={"Name": other})
    try:
        glue.create_table(
            DatabaseName=db,
            TableInput={
                "Name": "customer-link",
                "Description": "Links " + unique_name,
                "Parameters": {"rows": "500", "owner_team": "Growth"},
            },
        )
        glue.create_table(
            DatabaseName=db,
            TableInput={"Name": "orders", "Parameters": {"rows": "20", "tag": unique_name}},
        )
        glue.create_table(DatabaseName=other, TableInput={"Name": "xxlinkyy"})

        def found(**kwargs: Any) -> list[tuple[str, str]]:
            tables = glue.search_tables(**kwargs)["TableList"]
            return [(t["DatabaseName"], t["Name"]) for t in tables]

        in_db = {"Key": "DatabaseName", "Value": db}
        assert found(SearchText=unique_name.upper()) == [(db, "customer-link"), (db, "orders")]
        assert found(SearchText="growth", Filters=[in_db]) == [(db, "customer-link")]
        # In quotes, the text has to be a whole value.
        assert found(SearchText='"grow"', Filters=[in_db]) == []
        assert found(SearchText='"GROWTH"', Filters=[in_db]) == [(db, "customer-link")]
        assert found(SearchText=other) == [(other, "xxlinkyy")]  # matches the database name
        link = {"Key": "TableName", "Value": "link"}
        assert found(Filters=[link], SearchText=unique_name) == [(db, "customer-link")]
        bigger = {"Key": "rows", "Value": "100", "Comparator": "GREATER_THAN"}
        assert found(Filters=[in_db, bigger]) == [(db, "customer-link")]
        assert found(
            Filters=[in_db], SortCriteria=[{"FieldName": "TableName", "Sort": "DESC"}]
        ) == [(db, "orders"), (db, "customer-link")]

        first = glue.search_tables(Filters=[in_db], MaxResults=1)
        assert len(first["TableList"]) == 1 and first["NextToken"]
        second = glue.search_tables(Filters=[in_db], MaxResults=1, NextToken=first["NextToken"])
        assert [t["Name"] for t in second["TableList"]] == ["orders"]
        assert "NextToken" not in second

        with pytest.raises(ClientError) as exc:
            glue.search_tables(SortCriteria=[{"FieldName": "Columns", "Sort": "ASC"}])
        assert _error(exc)[0] == "InvalidInputException"
        with pytest.raises(ClientError) as exc:
            glue.search_tables(Filters=[{"Key": "CreateTime", "Value": "yesterday"}])
        assert _error(exc)[0] == "InvalidInputException"
        assert found(ResourceShareType="FOREIGN") == []
    finally:
        glue.delete_database(Name=other)
