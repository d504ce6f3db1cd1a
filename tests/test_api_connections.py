"""Connections through boto3 against a real server process."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _message(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Message"])


def _jdbc(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "ConnectionType": "JDBC",
        "ConnectionProperties": {
            "JDBC_CONNECTION_URL": "jdbc:postgresql://db:5432/sales",
            "USERNAME": "etl",
            "PASSWORD": "secret",
            "ENCRYPTED_PASSWORD": "c2VjcmV0",
        },
        **extra,
    }


def test_connection_lifecycle(glue: Any, unique_name: str) -> None:
    name = "Pg-" + unique_name  # connection names keep their case
    created = glue.create_connection(
        ConnectionInput=_jdbc(
            name,
            Description="sales db",
            MatchCriteria=["sales"],
            PhysicalConnectionRequirements={"SubnetId": "subnet-1", "AvailabilityZone": "az"},
        )
    )
    assert created["CreateConnectionStatus"] == "READY"

    conn = glue.get_connection(Name=name)["Connection"]
    assert conn["Name"] == name
    assert conn["ConnectionType"] == "JDBC" and conn["Description"] == "sales db"
    assert conn["MatchCriteria"] == ["sales"]
    assert conn["ConnectionProperties"]["PASSWORD"] == "secret"
    assert conn["PhysicalConnectionRequirements"]["SubnetId"] == "subnet-1"
    assert conn["Status"] == "READY"
    assert conn["CreationTime"] == conn["LastUpdatedTime"]
    assert conn["CreationTime"].year >= 2026

    with pytest.raises(ClientError) as exc:
        glue.get_connection(Name=name.lower())
    assert _code(exc) == "EntityNotFoundException"

    with pytest.raises(ClientError) as exc:
        glue.create_connection(ConnectionInput=_jdbc(name))
    assert _code(exc) == "AlreadyExistsException"
    assert name in _message(exc)

    glue.update_connection(
        Name=name,
        ConnectionInput={
            "Name": name,
            "ConnectionType": "KAFKA",
            "ConnectionProperties": {"KAFKA_BOOTSTRAP_SERVERS": "k:9092"},
        },
    )
    conn = glue.get_connection(Name=name)["Connection"]
    assert conn["ConnectionType"] == "KAFKA"
    assert conn["ConnectionProperties"] == {"KAFKA_BOOTSTRAP_SERVERS": "k:9092"}
    assert "Description" not in conn and "MatchCriteria" not in conn  # full replace
    assert conn["LastUpdatedTime"] > conn["CreationTime"]

    glue.delete_connection(ConnectionName=name)
    with pytest.raises(ClientError) as exc:
        glue.delete_connection(ConnectionName=name)
    assert _code(exc) == "EntityNotFoundException"
    assert _message(exc) == f"Connection {name} not found."


def test_hide_password_drops_every_password_property(glue: Any, unique_name: str) -> None:
    props = {
        "KAFKA_BOOTSTRAP_SERVERS": "k:9092",
        "KAFKA_SASL_SCRAM_USERNAME": "u",
        "KAFKA_SASL_SCRAM_PASSWORD": "p1",
        "ENCRYPTED_KAFKA_SASL_SCRAM_PASSWORD": "p2",
        "KAFKA_CLIENT_KEYSTORE_PASSWORD": "p3",
    }
    kafka = {"Name": unique_name, "ConnectionType": "KAFKA", "ConnectionProperties": props}
    glue.create_connection(ConnectionInput=kafka)
    hidden = glue.get_connection(Name=unique_name, HidePassword=True)["Connection"]
    assert hidden["ConnectionProperties"] == {
        "KAFKA_BOOTSTRAP_SERVERS": "k:9092",
        "KAFKA_SASL_SCRAM_USERNAME": "u",
    }
    listed = glue.get_connections(HidePassword=True, Filter={"ConnectionType": "KAFKA"})
    mine = [c for c in listed["ConnectionList"] if c["Name"] == unique_name]
    assert mine and "KAFKA_SASL_SCRAM_PASSWORD" not in mine[0]["ConnectionProperties"]
    shown = glue.get_connection(Name=unique_name)["Connection"]
    assert shown["ConnectionProperties"] == props
    glue.delete_connection(ConnectionName=unique_name)


def test_rename_and_rename_conflict(glue: Any, unique_name: str) -> None:
    old, new, other = f"{unique_name}-old", f"{unique_name}-new", f"{unique_name}-other"
    glue.create_connection(ConnectionInput=_jdbc(old))
    glue.create_connection(ConnectionInput=_jdbc(other))
    with pytest.raises(ClientError) as exc:
        glue.update_connection(Name=old, ConnectionInput=_jdbc(other))
    assert _code(exc) == "AlreadyExistsException"

    glue.update_connection(Name=old, ConnectionInput=_jdbc(new, Description="renamed"))
    assert glue.get_connection(Name=new)["Connection"]["Description"] == "renamed"
    with pytest.raises(ClientError) as exc:
        glue.get_connection(Name=old)
    assert _code(exc) == "EntityNotFoundException"
    with pytest.raises(ClientError) as exc:
        glue.update_connection(Name=old, ConnectionInput=_jdbc(old))
    assert _code(exc) == "EntityNotFoundException"

    result = glue.batch_delete_connection(ConnectionNameList=[new, "missing-" + unique_name, other])
    assert result["Succeeded"] == [new, other]
    error = result["Errors"]["missing-" + unique_name]
    assert error["ErrorCode"] == "EntityNotFoundException"
    assert "not found" in error["ErrorMessage"]


def test_get_connections_paginates_and_filters(glue: Any, unique_name: str) -> None:
    names = [f"{unique_name}-{i:02d}" for i in range(7)]
    for i, name in enumerate(names):
        criteria = ["even", "all"] if i % 2 == 0 else ["odd", "all"]
        conn_type = "JDBC" if i < 5 else "MONGODB"
        glue.create_connection(
            ConnectionInput={
                "Name": name,
                "ConnectionType": conn_type,
                "MatchCriteria": criteria,
                "ConnectionProperties": {"CONNECTION_URL": "x"},
            }
        )

    def listed(**kwargs: Any) -> list[str]:
        pages = glue.get_paginator("get_connections").paginate(**kwargs)
        seen = [c["Name"] for page in pages for c in page["ConnectionList"]]
        return [n for n in seen if n.startswith(unique_name)]

    pages = list(glue.get_paginator("get_connections").paginate(PaginationConfig={"PageSize": 3}))
    assert len(pages) >= 3 and "NextToken" not in pages[-1]
    assert listed(PaginationConfig={"PageSize": 3}) == names
    assert listed(Filter={"MatchCriteria": ["even"]}, PaginationConfig={"PageSize": 2}) == [
        names[0],
        names[2],
        names[4],
        names[6],
    ]
    assert listed(Filter={"MatchCriteria": ["odd", "all"]}) == [names[1], names[3], names[5]]
    assert listed(Filter={"ConnectionType": "MONGODB"}) == names[5:]
    assert listed(Filter={"ConnectionType": "MONGODB", "MatchCriteria": ["even"]}) == [names[6]]
    assert listed(Filter={"ConnectionSchemaVersion": 2}) == []

    glue.batch_delete_connection(ConnectionNameList=names)
    assert listed() == []


def test_limits_and_bad_input(glue: Any, unique_name: str) -> None:
    with pytest.raises(ClientError) as exc:
        glue.get_connections(MaxResults=1001)
    assert _code(exc) == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.batch_delete_connection(ConnectionNameList=[f"c{i}" for i in range(26)])
    assert _code(exc) == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.get_connections(NextToken="garbage")
    assert _code(exc) == "InvalidInputException"
    with pytest.raises(ClientError) as exc:
        glue.create_connection(
            ConnectionInput={
                "Name": unique_name,
                "ConnectionType": "SFTP",
                "ConnectionProperties": {},
            }
        )
    assert _code(exc) == "InvalidInputException" and "SFTP" in _message(exc)
