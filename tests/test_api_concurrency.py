"""Concurrent conflicting writes through the API: one wins, the others get the right error,
and the store stays consistent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from tests.support.server import RunningServer


def _outcome(call: Any) -> str:
    try:
        call()
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return "ok"


def test_racing_creates_of_one_database(server: RunningServer, unique_name: str) -> None:
    clients = [server.client() for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(
            pool.map(
                lambda c: _outcome(lambda: c.create_database(DatabaseInput={"Name": unique_name})),
                clients,
            )
        )
    assert sorted(outcomes) == ["AlreadyExistsException"] * 7 + ["ok"]


def test_racing_updates_with_one_version_id(server: RunningServer, unique_name: str) -> None:
    glue = server.client()
    glue.create_database(DatabaseInput={"Name": unique_name})
    glue.create_table(DatabaseName=unique_name, TableInput={"Name": "t", "Description": "v0"})
    version = glue.get_table(DatabaseName=unique_name, Name="t")["Table"]["VersionId"]

    def update(index: int) -> str:
        client = server.client()
        return _outcome(
            lambda: client.update_table(
                DatabaseName=unique_name,
                TableInput={"Name": "t", "Description": f"writer {index}"},
                VersionId=version,
            )
        )

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(update, range(8)))
    assert sorted(outcomes) == ["ConcurrentModificationException"] * 7 + ["ok"]
    table = glue.get_table(DatabaseName=unique_name, Name="t")["Table"]
    assert table["VersionId"] == str(int(version) + 1)
    versions = glue.get_table_versions(DatabaseName=unique_name, TableName="t")["TableVersions"]
    assert [v["Table"]["Description"] for v in versions][1:] == ["v0"]


def test_racing_unconditional_updates_lose_nothing(server: RunningServer, unique_name: str) -> None:
    glue = server.client()
    glue.create_database(DatabaseInput={"Name": unique_name})
    glue.create_table(DatabaseName=unique_name, TableInput={"Name": "t"})

    def update(index: int) -> str:
        client = server.client()
        return _outcome(
            lambda: client.update_table(
                DatabaseName=unique_name, TableInput={"Name": "t", "Description": f"w{index}"}
            )
        )

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(update, range(24))) == {"ok"}
    versions = glue.get_table_versions(DatabaseName=unique_name, TableName="t")["TableVersions"]
    assert sorted(int(v["VersionId"]) for v in versions) == list(range(25))
