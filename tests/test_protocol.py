"""The AWS JSON 1.1 boundary under raw HTTP: bad bodies, bad targets, bad members, big bodies.

Every request goes to a real server process with httpx, so these are the answers a client
that is not an AWS SDK (or an SDK with a bug) would see.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openglue.api.dispatch import implemented_operations
from openglue.api.service_model import operation_names
from tests.support.server import RunningServer, start_server

JSON_11 = "application/x-amz-json-1.1"
LONG_NAME = "a" * 256


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def sentinel(server: RunningServer) -> Iterator[str]:
    """A database created before the bad requests; the last test checks it is untouched."""
    name = "sentinel_protocol"
    glue = server.client()
    glue.create_database(
        DatabaseInput={"Name": name, "Description": "keep me", "Parameters": {"k": "v"}}
    )
    yield name
    glue.delete_database(Name=name)


def send(
    http: httpx.Client,
    target: str | None,
    body: bytes | dict[str, Any] | list[Any],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = {"Content-Type": JSON_11, **(headers or {})}
    if target is not None:
        sent["X-Amz-Target"] = target
    return http.post("/", content=content, headers=sent)


def answer(response: httpx.Response, status: int, error: str | None = None) -> dict[str, Any]:
    """Check the wire contract every answer keeps, then return the JSON body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON_11
    assert response.headers["x-amzn-requestid"]
    body: dict[str, Any] = response.json()
    if error is None:
        assert "x-amzn-errortype" not in response.headers
        assert "__type" not in body
    else:
        assert body["__type"] == error
        assert response.headers["x-amzn-errortype"] == error
        assert isinstance(body["Message"], str) and body["Message"]
    return body


def _token(position: Any, scope: str = "GetDatabases") -> str:
    raw = json.dumps({"s": scope, "p": position}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# --- bodies that are not a JSON object ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{bad",
        b'{"MaxResults": ',
        b"\xff\xfe\xfa",
        b'{"MaxResults": NaN}',
        b'{"MaxResults": Infinity}',
        b'{"MaxResults": 1e999}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"NextToken": "\\ud800"}',
        b'{"NextToken": "\xed\xa0\x80"}',
    ],
    ids=[
        "truncated",
        "unterminated",
        "not-utf8",
        "nan",
        "infinity",
        "overflow",
        "deep-list",
        "deep-object",
        "escaped-lone-surrogate",
        "encoded-lone-surrogate",
    ],
)
def test_malformed_json_is_a_serialization_error(
    http: httpx.Client, sentinel: str, body: bytes
) -> None:
    answer(send(http, "AWSGlue.GetDatabases", body), 400, "SerializationException")


@pytest.mark.parametrize("body", [b"[1, 2]", b"[]", b'"text"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_refused(http: httpx.Client, body: bytes) -> None:
    found = answer(send(http, "AWSGlue.GetDatabases", body), 400, "SerializationException")
    assert "JSON object" in found["Message"]


# --- targets ---------------------------------------------------------------------------------


def test_missing_target_is_an_unknown_operation(http: httpx.Client) -> None:
    found = answer(send(http, None, {}), 400, "UnknownOperationException")
    assert "X-Amz-Target" in found["Message"]


@pytest.mark.parametrize(
    ("target", "named"),
    [
        ("AWSGlue.NoSuchOperation", "NoSuchOperation"),
        ("AWSGlue.getdatabases", "getdatabases"),
        ("Foo.GetDatabases", "Foo.GetDatabases"),
        ("AWSGlue", "AWSGlue"),
        ("AWSGlue.", "AWSGlue."),
        ("DynamoDB_20120810.ListTables", "DynamoDB_20120810.ListTables"),
    ],
)
def test_unknown_target_is_named(http: httpx.Client, target: str, named: str) -> None:
    found = answer(send(http, target, {}), 400, "UnknownOperationException")
    assert named in found["Message"]


def test_modeled_but_unimplemented_operation(http: httpx.Client) -> None:
    name = "GetMLTransform"
    assert name in operation_names("glue")
    if name in implemented_operations("glue"):
        pytest.skip(f"{name} is implemented now; pick another unimplemented operation")
    found = answer(
        send(http, f"AWSGlue.{name}", {"TransformId": "tfm-1"}),
        400,
        "OperationNotSupportedException",
    )
    assert name in found["Message"]


# --- members that break the model -------------------------------------------------------------

BAD_MEMBERS: list[tuple[str, dict[str, Any], str]] = [
    ("GetDatabase", {}, "Name is required"),
    ("GetDatabase", {"Name": None}, "Name is required"),
    ("GetDatabase", {"Name": 5}, "Name must be a string"),
    ("GetDatabase", {"Name": ["a"]}, "Name must be a string"),
    ("GetDatabase", {"Name": ""}, "Name must have at least 1"),
    ("GetDatabase", {"Name": LONG_NAME}, "Name must have at most 255"),
    ("GetDatabase", {"Name": "x\x00y"}, "Name"),
    ("CreateDatabase", {}, "DatabaseInput is required"),
    ("CreateDatabase", {"DatabaseInput": "db"}, "DatabaseInput must be an object"),
    ("CreateDatabase", {"DatabaseInput": {}}, "DatabaseInput.Name is required"),
    ("CreateDatabase", {"DatabaseInput": {"Name": LONG_NAME}}, "DatabaseInput.Name"),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "Description": "x" * 2049}},
        "DatabaseInput.Description",
    ),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "Parameters": {"k": 1}}},
        "DatabaseInput.Parameters.k",
    ),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "Parameters": {"k": None}}},
        "DatabaseInput.Parameters.k must not be null",
    ),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "Parameters": ["k"]}},
        "DatabaseInput.Parameters must be an object",
    ),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "CreateTableDefaultPermissions": [None]}},
        "DatabaseInput.CreateTableDefaultPermissions[0] must not be null",
    ),
    (
        "CreateDatabase",
        {"DatabaseInput": {"Name": "d", "TargetDatabase": {"DatabaseName": 5}}},
        "DatabaseInput.TargetDatabase.DatabaseName must be a string",
    ),
    ("UpdateDatabase", {"Name": "d"}, "DatabaseInput is required"),
    ("DeleteDatabase", {"Name": True}, "Name must be a string"),
    ("GetDatabases", {"ResourceShareType": "NOPE"}, "ResourceShareType must be one of"),
    ("GetDatabases", {"ResourceShareType": "all"}, "ResourceShareType must be one of"),
    ("GetDatabases", {"AttributesToGet": ["BOGUS"]}, "AttributesToGet[0]"),
    ("GetDatabases", {"AttributesToGet": "NAME"}, "AttributesToGet must be a list"),
    ("GetDatabases", {"MaxResults": 101}, "MaxResults must be at most 100"),
    ("GetDatabases", {"MaxResults": 1000}, "MaxResults must be at most 100"),
    ("GetDatabases", {"MaxResults": 0}, "MaxResults must be at least 1"),
    ("GetDatabases", {"MaxResults": -5}, "MaxResults must be at least 1"),
    ("GetDatabases", {"MaxResults": "10"}, "MaxResults must be an integer"),
    ("GetDatabases", {"MaxResults": 1.5}, "MaxResults must be an integer"),
    ("GetDatabases", {"MaxResults": True}, "MaxResults must be an integer"),
    ("GetDatabases", {"MaxResults": 2**40}, "MaxResults must fit in a 32-bit integer"),
    ("GetDatabases", {"NextToken": 7}, "NextToken must be a string"),
    ("GetDatabases", {"NextToken": "not a token!"}, "NextToken"),
    ("GetDatabases", {"NextToken": _token("x", scope="GetTables")}, "NextToken"),
    ("GetDatabases", {"NextToken": _token({"a": 1})}, "NextToken"),
    ("GetDatabases", {"NextToken": _token([1])}, "NextToken"),
    ("GetDatabases", {"NextToken": _token(5)}, "NextToken"),
]


@pytest.mark.parametrize(
    ("operation", "body", "message"),
    BAD_MEMBERS,
    ids=[f"{op}-{i}" for i, (op, _, _) in enumerate(BAD_MEMBERS)],
)
def test_bad_members_are_invalid_input_naming_the_member(
    http: httpx.Client, sentinel: str, operation: str, body: dict[str, Any], message: str
) -> None:
    found = answer(send(http, f"AWSGlue.{operation}", body), 400, "InvalidInputException")
    assert message in found["Message"]


def test_a_lone_surrogate_cannot_poison_the_store(http: httpx.Client, unique_name: str) -> None:
    # Parameters values have no pattern in the model, so only the JSON layer can stop this; once
    # stored it made every GetDatabases answer unencodable (a 500 for everybody).
    body = b'{"DatabaseInput": {"Name": "%s", "Parameters": {"k": "\\udc00"}}}' % (
        unique_name.encode()
    )
    answer(send(http, "AWSGlue.CreateDatabase", body), 400, "SerializationException")
    answer(send(http, "AWSGlue.GetDatabase", {"Name": unique_name}), 400, "EntityNotFoundException")
    answer(send(http, "AWSGlue.GetDatabases", {}), 200)
    paired = {"DatabaseInput": {"Name": unique_name, "Parameters": {"k": "\U0001f600 ok"}}}
    answer(send(http, "AWSGlue.CreateDatabase", paired), 200)
    found = answer(send(http, "AWSGlue.GetDatabase", {"Name": unique_name}), 200)
    assert found["Database"]["Parameters"] == {"k": "\U0001f600 ok"}
    answer(send(http, "AWSGlue.DeleteDatabase", {"Name": unique_name}), 200)


def test_several_problems_are_reported_together(http: httpx.Client) -> None:
    body = {"MaxResults": 0, "ResourceShareType": "NOPE", "AttributesToGet": ["X", "Y"]}
    found = answer(send(http, "AWSGlue.GetDatabases", body), 400, "InvalidInputException")
    assert found["Message"].startswith("4 validation errors detected")
    for member in ("MaxResults", "ResourceShareType", "AttributesToGet[0]", "AttributesToGet[1]"):
        assert member in found["Message"]


# --- what is accepted ------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"   ", b"{}"], ids=["empty", "blank", "empty-object"])
def test_get_databases_without_members(http: httpx.Client, body: bytes) -> None:
    found = answer(send(http, "AWSGlue.GetDatabases", body), 200)
    assert isinstance(found["DatabaseList"], list)


@pytest.mark.parametrize(
    "target", ["AWSGlue.GetCrawlers", "AWSGlue.GetTriggers", "AWSGlue.GetDatabases"]
)
def test_an_integral_float_is_an_integer(http: httpx.Client, target: str) -> None:
    # JSON has one number type: 1.0 for MaxResults is 1 (it once reached a slice as a float).
    answer(send(http, target, {"MaxResults": 1.0}), 200)


def test_content_type_is_not_required(http: httpx.Client) -> None:
    response = http.post("/", content=b"{}", headers={"X-Amz-Target": "AWSGlue.GetDatabases"})
    answer(response, 200)


def test_unknown_members_are_tolerated_and_not_echoed(http: httpx.Client, unique_name: str) -> None:
    answer(send(http, "AWSGlue.GetDatabases", {"FutureMember": {"x": [1]}}), 200)
    created = {"DatabaseInput": {"Name": unique_name, "FutureSetting": True}, "Extra": 1}
    assert answer(send(http, "AWSGlue.CreateDatabase", created), 200) == {}
    found = answer(send(http, "AWSGlue.GetDatabase", {"Name": unique_name, "Other": "x"}), 200)
    assert "FutureSetting" not in found["Database"]
    answer(send(http, "AWSGlue.DeleteDatabase", {"Name": unique_name}), 200)


def test_timestamps_are_epoch_seconds(http: httpx.Client, unique_name: str) -> None:
    before = time.time()
    answer(send(http, "AWSGlue.CreateDatabase", {"DatabaseInput": {"Name": unique_name}}), 200)
    raw = send(http, "AWSGlue.GetDatabase", {"Name": unique_name})
    created = answer(raw, 200)["Database"]["CreateTime"]
    assert type(created) in (int, float)
    assert before - 5 <= created <= time.time() + 5
    assert re.search(rb'"CreateTime":\d', raw.content), raw.content  # a number, not a string
    listed = answer(send(http, "AWSGlue.GetDatabases", {}), 200)["DatabaseList"]
    assert all(type(d["CreateTime"]) in (int, float) for d in listed)
    answer(send(http, "AWSGlue.DeleteDatabase", {"Name": unique_name}), 200)


def test_request_ids_are_unique(http: httpx.Client) -> None:
    ids = {send(http, "AWSGlue.GetDatabases", {}).headers["x-amzn-requestid"] for _ in range(5)}
    ids |= {send(http, "AWSGlue.Nope", {}).headers["x-amzn-requestid"] for _ in range(5)}
    assert len(ids) == 10


def test_modeled_error_from_an_operation(http: httpx.Client, unique_name: str) -> None:
    found = answer(
        send(http, "AWSGlue.GetDatabase", {"Name": unique_name}), 400, "EntityNotFoundException"
    )
    assert unique_name in found["Message"]


# --- body size -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("small"), "--max-body-bytes", "1000")
    yield running
    running.stop()


def test_body_over_the_configured_limit(small_server: RunningServer) -> None:
    with httpx.Client(base_url=small_server.url, timeout=10) as http:
        padding = "x" * 2000
        body = {"DatabaseInput": {"Name": "big", "Description": padding}}
        found = answer(
            send(http, "AWSGlue.CreateDatabase", body), 413, "RequestEntityTooLargeException"
        )
        assert "1000" in found["Message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
            yield b'{"Description": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'

        streamed = http.post(
            "/", content=chunks(), headers={"X-Amz-Target": "AWSGlue.GetDatabases"}
        )
        answer(streamed, 413, "RequestEntityTooLargeException")

        answer(send(http, "AWSGlue.GetDatabases", {}), 200)
        answer(send(http, "AWSGlue.GetDatabases", b" " * 999), 200)
    with httpx.Client(base_url=small_server.url, timeout=10) as fresh:
        assert answer(send(fresh, "AWSGlue.GetDatabases", {}), 200)["DatabaseList"] == []


def test_body_over_the_default_limit(http: httpx.Client, sentinel: str) -> None:
    too_big = b" " * (16 * 1024 * 1024 + 1)
    found = answer(
        send(http, "AWSGlue.GetDatabases", too_big), 413, "RequestEntityTooLargeException"
    )
    assert str(16 * 1024 * 1024) in found["Message"]
    answer(send(http, "AWSGlue.GetDatabase", {"Name": sentinel}), 200)


# --- afterwards --------------------------------------------------------------------------------


def test_store_is_intact_after_bad_requests(server: RunningServer, sentinel: str) -> None:
    database = server.client().get_database(Name=sentinel)["Database"]
    assert database["Description"] == "keep me"
    assert database["Parameters"] == {"k": "v"}
    names = [
        d["Name"]
        for page in server.client().get_paginator("get_databases").paginate()
        for d in page["DatabaseList"]
    ]
    assert sentinel in names
    assert not {"d", "big"} & set(names)  # nothing half-created by the refused requests


def test_names_that_grow_when_lowercased_are_refused(server: RunningServer) -> None:
    # 'İ' lowercases to two characters: 128 of them fit the model's limit but not once folded.
    with httpx.Client(base_url=server.url, timeout=10) as client:
        answer = client.post(
            "/",
            content=json.dumps({"DatabaseInput": {"Name": "İ" * 128}}),
            headers={"X-Amz-Target": "AWSGlue.CreateDatabase"},
        )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "InvalidInputException"
    assert "lowercased" in answer.json()["Message"]
