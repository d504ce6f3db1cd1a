"""Property: whatever body an operation receives, the server answers with a well-formed 200 or a
known 4xx error, never a 5xx and never a hang, and leaves the rest of the store alone.

Bodies are drawn from the botocore input shapes of the implemented catalog operations: random
subsets of members, strings at and past their length limits, numbers out of range, wrong types
and nested lists and maps. They go to a dedicated real server so random deletes disturb no one.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from botocore.model import Shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openglue.api.dispatch import implemented_operations
from openglue.api.service_model import operation
from tests.support.server import RunningServer, start_server

Strategy = st.SearchStrategy[Any]

# The catalog operations worth fuzzing, in the order they make sense; only the implemented
# ones run.
CANDIDATES = [
    "CreateDatabase",
    "GetDatabase",
    "GetDatabases",
    "UpdateDatabase",
    "CreateTable",
    "GetTable",
    "GetTables",
    "UpdateTable",
    "CreatePartition",
    "BatchCreatePartition",
    "GetPartition",
    "GetPartitions",
    "BatchGetPartition",
    "CreateConnection",
    "GetConnection",
    "GetConnections",
    "CreateUserDefinedFunction",
    "GetUserDefinedFunctions",
    "CreateJob",
    "UpdateJob",
    "GetJobBookmark",
    "ResetJobBookmark",
    "CreateClassifier",
    "GetClassifiers",
    "UpdateClassifier",
    "CreateCrawler",
    "GetCrawler",
    "GetCrawlers",
    "UpdateCrawler",
    "UpdateCrawlerSchedule",
    "GetCrawlerMetrics",
    "ListCrawls",
    "CreateTrigger",
    "GetTrigger",
    "GetTriggers",
    "ListTriggers",
    "UpdateTrigger",
    "CreateWorkflow",
    "GetWorkflow",
    "UpdateWorkflow",
    "GetWorkflowRuns",
    "PutWorkflowRunProperties",
    "DeletePartition",
    "DeleteTable",
    "DeleteDatabase",
    "DeleteTrigger",
    "DeleteCrawler",
    "DeleteClassifier",
    "DeleteWorkflow",
    "DeleteJob",
]
IMPLEMENTED = [name for name in CANDIDATES if name in implemented_operations("glue")]

# Errors any operation may answer before or beside its modeled ones.
PROTOCOL_ERRORS = {
    "SerializationException",
    "InvalidInputException",
    "ValidationException",
    "RequestEntityTooLargeException",
}
# Small pools of values for the members that tie requests together, so that creates, reads,
# updates and deletes meet each other.
NAME_POOL = ["fz_a", "fz_b", "FZ_A", "fz_ü", "fz_" + "x" * 252]
MEMBER_POOLS = {
    **dict.fromkeys(
        ["Name", "DatabaseName", "TableName", "ConnectionName", "FunctionName"], NAME_POOL
    ),
    "CatalogId": ["123456789012", "000000000000"],
    "Values": ["2024", "01"],
    "Type": ["string", "int", "bigint", "date"],
}
MAX_DEPTH = 5
MAX_ITEMS = 3
MAX_TEXT = 300
# Letters a pattern like the model's "printable Unicode" one accepts, a few non-ASCII included.
SAFE_TEXT = st.characters(
    categories=("Ll", "Lu", "Nd"), include_characters="_-. /=ü€😀", codec="utf-8"
)


def _wrong_type() -> Strategy:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


def _edge_text(meta: dict[str, Any]) -> Strategy:
    low, high = meta.get("min", 0), meta.get("max")
    edges = {0, low, max(low - 1, 0)}
    if high is not None and high <= 5000:
        edges |= {high, high + 1}
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
    return st.one_of(
        st.text(alphabet=alphabet, max_size=MAX_TEXT),
        st.sampled_from(sorted(edges)).map(lambda n: "é" * n),
        st.sampled_from(
            ["", " ", "\t", "\n", "\x00", "\u200b", "\U0001f600", "%s'--", "\ud800", "a" * 10]
        ),
    )


def _valid_text(meta: dict[str, Any]) -> Strategy:
    low = meta.get("min", 0)
    high = max(min(meta.get("max", 40), 40), low)
    pattern = meta.get("pattern", "")
    if pattern and "\\u0020-\\uD7FF" not in pattern:  # a real format (ARN, id…), not "printable"
        python = pattern.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")
        try:
            compiled = re.compile(python, re.DOTALL)
        except re.error:
            pass
        else:
            limit = meta.get("max", 2048)
            return st.from_regex(compiled, fullmatch=True).filter(lambda t: low <= len(t) <= limit)
    return st.text(alphabet=SAFE_TEXT, min_size=low, max_size=high)


def _integer(meta: dict[str, Any], strict: bool) -> Strategy:
    low = meta.get("min", 0 if strict else -(2**31))
    high = meta.get("max", 10_000 if strict else 2**31 - 1)
    valid = st.integers(min_value=low, max_value=high)
    if strict:
        return valid
    return st.one_of(
        valid,
        st.sampled_from([low - 1, high + 1, 0, -1, 2**31, 2**63, -(2**63) - 1]),
        st.just(float(low) + 0.5),
    )


def _timestamp(strict: bool) -> Strategy:
    valid = st.floats(min_value=0, max_value=4e9, allow_nan=False)
    if strict:
        return valid
    return st.one_of(
        valid,
        st.integers(min_value=-(2**40), max_value=2**40),
        st.sampled_from([1e300, -1e300, "2024-02-29T12:00:00Z", "2024-13-01", "yesterday", ""]),
    )


class ShapeStrategies:
    """Strategies for the values of botocore shapes.

    ``strict`` ones keep every constraint of the model, so requests reach the handlers; the
    others break one now and then: wrong types, lengths and ranges just past the limits,
    missing required members, unknown members, odd Unicode.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self._cache: dict[tuple[str, int, str], Strategy] = {}

    def value(self, shape: Shape, depth: int = 0, member: str = "") -> Strategy:
        key = (shape.name, depth, member)
        if key not in self._cache:
            valid = self._of_type(shape, depth, member)
            # Nine in ten fuzzed values have the right type, so the handlers still get a turn.
            self._cache[key] = valid if self.strict else st.one_of(*[valid] * 9, _wrong_type())
        return self._cache[key]

    def _of_type(self, shape: Shape, depth: int, member: str) -> Strategy:
        kind, meta = shape.type_name, shape.metadata
        if kind == "structure":
            return self._structure(shape, depth)
        if kind == "list":
            low, high = meta.get("min", 0), meta.get("max", MAX_ITEMS)
            if depth >= MAX_DEPTH or low > MAX_ITEMS:
                return st.just([])
            size = min(high, MAX_ITEMS) if self.strict else min(high + 1, MAX_ITEMS)
            items = self.value(shape.member, depth + 1, member)
            return st.lists(items, min_size=low if self.strict else 0, max_size=size)
        if kind == "map":
            if depth >= MAX_DEPTH:
                return st.just({})
            keys = st.one_of(st.sampled_from(["k", "K", "a.b"]), self._string(shape.key, ""))
            values = self.value(shape.value, depth + 1)
            return st.dictionaries(keys, values, max_size=min(meta.get("max", 3), MAX_ITEMS))
        if kind == "string":
            return self._string(shape, member)
        if kind in ("integer", "long"):
            return _integer(meta, self.strict)
        if kind in ("float", "double"):
            return st.floats(allow_nan=False, allow_infinity=False, width=64)
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            return _timestamp(self.strict)
        return st.text(alphabet="abcdAB0123", max_size=20)  # blob: base64 text

    def _string(self, shape: Shape, member: str) -> Strategy:
        if shape.enum:
            options = [st.sampled_from(shape.enum)]
        elif member in MEMBER_POOLS:
            options = [st.sampled_from(MEMBER_POOLS[member])]
            if not self.strict:
                options.append(_valid_text(shape.metadata))
        else:
            options = [_valid_text(shape.metadata)]
        if not self.strict:
            options.append(_edge_text(shape.metadata))
        return st.one_of(*options)

    def _structure(self, shape: Shape, depth: int) -> Strategy:
        if depth >= MAX_DEPTH:
            return st.just({})
        members = {
            name: self.value(member, depth + 1, name) for name, member in shape.members.items()
        }
        required = {name: members[name] for name in shape.required_members}
        optional = {name: s for name, s in members.items() if name not in required}
        with_required = st.fixed_dictionaries(required, optional=optional)
        if self.strict:
            return with_required
        any_subset = st.fixed_dictionaries({}, optional=members)
        unknown = st.fixed_dictionaries(required, optional={"FutureMember": st.integers()})
        return st.one_of(with_required, with_required, any_subset, unknown)


def body_for(operation_name: str) -> Strategy:
    """Request bodies for an operation: some keep to the model, the others stray from it."""
    shape = operation("glue", operation_name).input_shape
    valid = ShapeStrategies(strict=True).value(shape)
    fuzzed = ShapeStrategies(strict=False).value(shape).filter(lambda b: isinstance(b, dict))
    return st.one_of(valid, fuzzed, st.just({}))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("fuzz"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(fuzz_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fuzz_server.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def sentinel(fuzz_server: RunningServer) -> Iterator[dict[str, Any]]:
    """A database made before the fuzzing; ``test_sentinel_is_intact`` checks it afterwards."""
    spec = {
        "Name": "sentinel_" + uuid.uuid4().hex[:8],
        "Description": "must survive the fuzzing",
        "Parameters": {"owner": "tests"},
    }
    glue = fuzz_server.client()
    glue.create_database(DatabaseInput=spec)
    # Something for the table and partition operations to find.
    for name in NAME_POOL[:2]:
        glue.create_database(DatabaseInput={"Name": name})
    if "CreateTable" in IMPLEMENTED:
        glue.create_table(
            DatabaseName=NAME_POOL[0],
            TableInput={
                "Name": NAME_POOL[0],
                "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}]},
                "PartitionKeys": [{"Name": "year", "Type": "string"}],
            },
        )
    yield spec


def _post(http: httpx.Client, target: str, body: dict[str, Any]) -> httpx.Response:
    content = json.dumps(body).encode()
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
    return http.post("/", content=content, headers=headers)


def _check_answer(operation_name: str, response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/x-amz-json-1.1"
    assert response.headers.get("x-amzn-requestid")
    answer = json.loads(response.content, parse_constant=_no_constants)
    assert isinstance(answer, dict)
    if response.status_code == 200:
        assert "__type" not in answer
        return
    modeled = {error.name for error in operation("glue", operation_name).error_shapes}
    assert answer.get("__type") in modeled | PROTOCOL_ERRORS, answer
    assert response.headers.get("x-amzn-errortype") == answer["__type"]
    assert isinstance(answer.get("Message"), str)


def _no_constants(name: str) -> Any:
    raise AssertionError(f"the server answered with the non-JSON number {name}")


@pytest.mark.parametrize("operation_name", IMPLEMENTED)
def test_never_a_server_error(
    operation_name: str, http: httpx.Client, sentinel: dict[str, Any]
) -> None:
    target = f"AWSGlue.{operation_name}"

    @settings(
        max_examples=int(os.environ.get("OPENGLUE_FUZZ_EXAMPLES", "50")),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(body=body_for(operation_name))
    def property_holds(body: dict[str, Any]) -> None:
        _check_answer(operation_name, _post(http, target, body))

    property_holds()


def test_sentinel_is_intact(
    fuzz_server: RunningServer, http: httpx.Client, sentinel: dict[str, Any]
) -> None:
    glue = fuzz_server.client()
    database = glue.get_database(Name=sentinel["Name"])["Database"]
    assert database["Description"] == sentinel["Description"]
    assert database["Parameters"] == sentinel["Parameters"]
    assert math.isfinite(database["CreateTime"].timestamp())
    # Every listing still answers, page after page, whatever the fuzzing left behind.
    seen = [
        d["Name"]
        for page in glue.get_paginator("get_databases").paginate(PaginationConfig={"PageSize": 7})
        for d in page["DatabaseList"]
    ]
    assert sentinel["Name"] in seen
    assert len(seen) == len(set(seen))
    # Whatever the fuzzing stored, reading it back still works: one value nobody can encode or
    # parse would break every later listing that includes it.
    listings = [("GetDatabases", {}), ("GetConnections", {})]
    listings += [("GetTables", {"DatabaseName": name}) for name in NAME_POOL]
    listings += [("GetUserDefinedFunctions", {"Pattern": "*"})]
    listings += [
        ("GetPartitions", {"DatabaseName": db, "TableName": table})
        for db in NAME_POOL
        for table in NAME_POOL
    ]
    for name, body in listings:
        if name in implemented_operations("glue"):
            _check_answer(name, _post(http, f"AWSGlue.{name}", body))
