"""Record functions on both engines: translated to SQL or run over Arrow, always Python's answer.

The differential test runs each function through ``filter_dataframe`` and compares the rows
kept with a pure-Python reference (the function applied to each row's record, with Glue's
drop rule), under both record models (nulls present as None; nulls absent, as DynamicRecord).

Engines: classic Spark (``local[2]``) and Sail over Spark Connect share this process. PySpark
picks the flavour of ``functions.col`` & co. from process-wide state (the environment variable
``SPARK_CONNECT_MODE_ENABLED``, which creating a Connect session through the builder sets), and
the classic builder refuses to start once it is set. So the ``engine`` fixture sets or clears
that variable for the duration of each test (``monkeypatch``), and the Connect session is
created with ``pyspark.sql.connect.session.SparkSession.builder.remote(url).create()``, which
leaves the variable alone. Tests of either engine can then run in any order, with or without
pytest-xdist; each xdist worker starts its own JVM and Sail server.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from awsglue.dynamic_record import from_arrow_row
from awsglue.record_functions import (
    explain_translation,
    filter_dataframe,
    map_dataframe,
)
from awsglue.record_functions.source import fields_read, function_syntax

pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

CONNECT_MODE = "SPARK_CONNECT_MODE_ENABLED"


# --- engines -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def classic_session() -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("record-functions-tests")
    for key, value in {
        "spark.ui.enabled": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "2",
    }.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@pytest.fixture(scope="session")
def sail_session() -> Iterator[Any]:
    os.environ.setdefault("RUST_LOG", "warn")
    from pysail.spark import SparkConnectServer
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    server = SparkConnectServer("127.0.0.1", 0)
    server.start(background=True)
    assert server.listening_address is not None
    host, port = server.listening_address
    session = ConnectSession.builder.remote(f"sc://{host}:{port}").create()
    yield session
    session.stop()
    server.stop()


@pytest.fixture(params=["classic", "sail"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A SparkSession on each engine, with PySpark in the matching mode for the test."""
    if request.param == "classic":
        monkeypatch.delenv(CONNECT_MODE, raising=False)
        monkeypatch.delenv("SPARK_REMOTE", raising=False)
        return request.getfixturevalue("classic_session")
    monkeypatch.setenv(CONNECT_MODE, "1")
    return request.getfixturevalue("sail_session")


def is_connect(session: Any) -> bool:
    return type(session).__module__.startswith("pyspark.sql.connect")


# --- data ----------------------------------------------------------------------------------

FIELDS = [
    ("id", "INT NOT NULL"), ("status", "STRING"), ("t", "STRING NOT NULL"), ("code", "STRING"),
    ("n", "BIGINT"), ("i", "INT NOT NULL"), ("f", "DOUBLE"), ("b", "BOOLEAN"),
    ("ok", "BOOLEAN NOT NULL"), ("st", "STRUCT<a: STRING, k: INT>"), ("tags", "ARRAY<STRING>"),
    ("day", "STRING"),
]  # fmt: skip
SCHEMA_DDL = ", ".join(f"{name} {kind}" for name, kind in FIELDS)
NAN, INF = float("nan"), float("inf")
ROWS = [
    (1, "completed", "alpha", "12", 5, 1, 1.5, True, True, ("p", 1), ["a"], "2024-01-05"),
    (2, "pending", "Beta", "abc", -7, 0, NAN, False, False, ("q", 2), [], "2023-12-31"),
    (3, None, "gamma A", None, None, 3, None, None, True, None, None, None),
    (4, "", "DELTA b", "7", 0, -2, -0.0, True, False, (None, None), ["b", "a"], "bad"),
    (5, "Completed", " completed ", "3", 12, 5, 0.0, None, True, ("p", None), None, "2024-02-29"),
    (6, " completed\t", "ßtraße", "", 3, 2, INF, False, True, ("", 5), ["x"], "2024-13-01"),
    (7, "completed", "eps", "10", 99, 4, -3.25, True, False, None, [], None),
    (8, "failed", "", "5", 1, 7, 2.0, False, True, ("q", -1), ["a"], "2024-06-01"),
    (9, "completed", "\u00a0x\u2003", "-4", -3, 9, 1e300, None, False, ("pp", 0), ["a"], "x"),
]


@pytest.fixture
def orders(engine: Any) -> Any:
    return engine.createDataFrame(ROWS, SCHEMA_DDL)


def records(model: str) -> list[tuple[int, dict[str, Any]]]:
    """Each row as the record a function sees, by id (what Arrow's to_pylist gives)."""
    rows = []
    for values in ROWS:
        row = dict(zip((name for name, _ in FIELDS), values, strict=True))
        row["st"] = None if row["st"] is None else dict(zip(("a", "k"), row["st"], strict=True))
        rows.append((row["id"], from_arrow_row(row) if model == "absent" else row))
    return rows


class JobFailure(Exception):
    pass


def reference(f: Callable[[Any], Any], model: str) -> list[int]:
    """The ids Glue keeps: f truthy; KeyError/ValueError/TypeError drop; others fail the job."""
    kept = []
    for row_id, record in records(model):
        try:
            if f(record):
                kept.append(row_id)
        except (KeyError, ValueError, TypeError):
            pass
        except Exception as error:
            raise JobFailure(repr(error)) from error
    return kept


def kept_ids(df: Any) -> list[int]:
    return sorted(row["id"] for row in df.select("id").collect())


# --- the differential test -----------------------------------------------------------------

STATUS = "completed"
WANTED = ("completed", "pending")
ALLOWED_LIST = ["completed", "failed"]  # mutable: read at call time, never translated


def make_status_test(wanted: str) -> Callable[[Any], bool]:
    return lambda x: x["status"] == wanted  # a closure cell


def is_big(record: Any) -> bool:
    return bool(record["n"] > 10)


def keep_positive(rec: Any) -> bool:
    """A def with one return translates like a lambda."""
    return rec["n"] > 0


def two_steps(rec: Any) -> bool:
    status = rec["status"]
    return bool(status == "completed")


# As in Glue scripts, the lambda sits inside a call that spans lines.
MULTI_LINE = dict(
    frame=None,
    f=lambda x: (
        x["status"] == "completed" and x["n"] > 1 and x["t"] != "a string long enough to wrap"
    ),
)["f"]


@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[[Any], Any]
    translated: bool  # with nulls as None; with nulls absent it is this or `absent_translated`
    absent_translated: bool | None = None
    models: tuple[str, ...] = ("none", "absent")


CASES = [
    Case("seed", lambda x: x["status"] == "completed", True),
    Case("not_equal", lambda x: x["status"] != "completed", True),
    Case("global_constant", lambda x: x["status"] == STATUS, True),
    Case("closure_constant", make_status_test("pending"), True),
    Case("default_parameter", lambda x, s="failed": x["status"] == s, True),
    Case("get", lambda x: x.get("status") == "pending", True),
    Case("get_missing_default", lambda x: x.get("missing", "d") == "d", True),
    Case("get_null_default", lambda x: x.get("n", 0) >= 0, True),
    Case("missing_field", lambda x: x["missing"] == 1, True),
    Case("nested", lambda x: x["st"]["a"] == "p", True),
    Case("nested_not_equal", lambda x: x["st"]["a"] != "p", True),
    Case("nested_number", lambda x: x["st"]["k"] > 1, True),
    Case("nested_missing", lambda x: x["st"]["zz"] is None, True),
    Case("greater", lambda x: x["n"] > 10, True),
    Case("chained", lambda x: 0 <= x["n"] < 100, True),
    Case("in_tuple", lambda x: x["n"] in (1, 3, 5), True),
    Case("not_in_list", lambda x: x["status"] not in ["pending", "failed"], True),
    Case("in_set_with_none", lambda x: x["status"] in {"completed", None}, True),
    Case("in_global_tuple", lambda x: x["status"] in WANTED, True),
    Case("is_none", lambda x: x["n"] is None, True),
    Case("modulo", lambda x: x["n"] is not None and x["n"] % 3 == 1, True),
    Case("arithmetic", lambda x: x["n"] * 2 + 1 > 7, True),
    Case("true_division", lambda x: x["n"] / 4 >= 1.25, True),
    Case("floor_division", lambda x: x["n"] // 3 == -3, True),
    Case("negation", lambda x: -x["n"] < 0, True),
    Case("float_order", lambda x: x["f"] > 0, True),
    Case("float_zero", lambda x: x["f"] == 0, True),
    Case("nan_not_equal_itself", lambda x: x["f"] != x["f"], True),
    Case("string_equals_number", lambda x: x["status"] == 5, True),
    Case("string_below_number", lambda x: x["code"] < 5, True),
    Case("number_equals_string", lambda x: x["n"] == "5", True),
    Case("truthy_bool", lambda x: x["b"], True),
    Case("not_bool", lambda x: not x["b"], True),
    Case("truthy_guard", lambda x: x["status"] and x["status"].startswith("comp"), True),
    Case("strip", lambda x: x["status"] is not None and x["status"].strip() == "completed", True),
    Case("upper_endswith", lambda x: x["t"].upper().endswith(("A", "B")), True),
    Case("strip_chars", lambda x: x["t"].strip("ae") == "lph", True),
    Case("length", lambda x: len(x["t"]) > 3, True),
    Case("substring", lambda x: "a" in x["t"], True),
    Case("in_string", lambda x: x["code"] is not None and x["code"] in "0123456789", True),
    Case("isinstance", lambda x: isinstance(x["n"], int), True),
    Case("or_default", lambda x: (x["n"] or 0) > 2, True),
    Case("if_else", lambda x: (x["status"] if x["n"] else x["t"]) == "completed", True),
    Case("has_key", lambda x: "status" in x, True),
    Case("or_with_error", lambda x: x["n"] > 0 or x["status"] == "pending", True),
    Case("not_and", lambda x: not (x["n"] > 3 and x["status"] == "completed"), True),
    Case("non_nullable", lambda x: x["ok"] and x["i"] >= 2, True),
    Case("array_is_none", lambda x: x["tags"] is not None, True),
    Case("concat", lambda x: x["t"] + "!" == "eps!", True),
    Case("def_function", keep_positive, True),
    Case("multi_line_call", MULTI_LINE, True),
    Case(
        "unguarded_method", lambda x: x["status"].lower() == "completed", False, True, ("absent",)
    ),
    # These run in Python.
    Case("user_function", lambda x: is_big(x), False),
    Case("mutable_global", lambda x: x["status"] in ALLOWED_LIST, False),
    Case("regex", lambda x: re.match(r"\d+$", x["code"]) is not None, False),
    Case(
        "date_parsing", lambda x: datetime.datetime.strptime(x["day"], "%Y-%m-%d").month == 1, False
    ),
    Case("bool_number_mix", lambda x: x["b"] == 1, False),
    Case("divide_by_field", lambda x: x["n"] / (x["i"] + 10) > 0.5, False),
    Case("array_truth", lambda x: x["tags"] and "a" in x["tags"], False),
    Case("two_statements", two_steps, False),
    Case("float_modulo", lambda x: x["f"] % 2 == 0, False),
    Case("math_call", lambda x: math.isfinite(x["f"]), False),
    Case("no_field_read", lambda x: math.pi > 3, False),
]


def _expected_translation(case: Case, model: str) -> bool:
    if model == "absent" and case.absent_translated is not None:
        return case.absent_translated
    return case.translated


@pytest.mark.parametrize("model", ["none", "absent"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_filter_matches_python(engine: Any, orders: Any, case: Case, model: str) -> None:
    if model not in case.models:
        pytest.skip(f"Python fails the job on this function with nulls as {model}")
    absent = model == "absent"
    factory = from_arrow_row if absent else dict
    expected = reference(case.f, model)

    explained = explain_translation(case.f, orders.schema, nulls_absent=absent)
    assert (explained is not None) == _expected_translation(case, model), explained
    result = filter_dataframe(orders, case.f, record_factory=factory, nulls_absent=absent)
    assert kept_ids(result) == expected
    if explained is not None and is_connect(engine):  # the Arrow path too (cheap on Sail)
        in_python = filter_dataframe(orders, case.f, record_factory=factory, translate=False)
        assert kept_ids(in_python) == expected


# --- failures, and finding the source ------------------------------------------------------


def test_other_exceptions_fail_the_job_naming_the_function(engine: Any, orders: Any) -> None:
    def reciprocal_positive(rec: Any) -> bool:
        return bool(1 / rec["i"] > 0)  # i is 0 in one row: ZeroDivisionError is not dropped

    assert explain_translation(reciprocal_positive, orders.schema) is None
    with pytest.raises(Exception, match=r"filter function .*reciprocal_positive.*ZeroDivision"):
        filter_dataframe(orders, reciprocal_positive).collect()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_source_of_every_case_is_found(case: Case) -> None:
    """Even for functions that run in Python (the source also tells which fields they read)."""
    assert function_syntax(case.f) is not None or case.name == "two_statements"


def test_two_lambdas_on_one_line_are_told_apart() -> None:
    low, high = (lambda x: x["n"] < 1), (lambda x: x["n"] > 1)
    assert explain_translation(low) == "(n < 1)"
    assert explain_translation(high) == "(n > 1)"


def test_functions_without_a_source_file_use_the_given_source() -> None:
    text = 'lambda x: x["status"] == "completed"'
    built = eval(text)
    assert explain_translation(built) is None
    assert explain_translation(built, source=text) == "(status = 'completed')"
    assert explain_translation(built, source='lambda x: x["status"] == "other"') is None


def test_a_source_file_edited_since_import_is_not_trusted(tmp_path: Any) -> None:
    module = tmp_path / "edited_job.py"
    module.write_text('keep = lambda x: x["status"] == "completed"\n')
    namespace: dict[str, Any] = {"__name__": "edited_job"}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    keep = namespace["keep"]
    assert explain_translation(keep) == "(status = 'completed')"

    module.write_text('keep = lambda x: x["status"] != "completed"\n')
    import linecache

    linecache.checkcache(str(module))
    assert explain_translation(keep) is None


@pytest.mark.parametrize(
    ("f", "fields"),
    [
        (lambda x: re.match("a", x["code"]) and x.get("t", "") != "", {"code", "t"}),
        (lambda x: math.pi > 3, set()),
        (lambda x: any(c.isdigit() for c in x["code"]), {"code"}),
        (lambda x: is_big(x), None),  # the record escapes
        (lambda x: len(x) > 3, None),
        (lambda x: any(x for x in x["tags"]), None),  # rebinds the name
        (lambda x: x[x["key"]], None),  # a computed key
    ],
)
def test_python_runs_convert_only_the_fields_the_function_reads(
    f: Callable[[Any], Any], fields: set[str] | None
) -> None:
    syntax = function_syntax(f)
    assert syntax is not None
    found = fields_read(syntax)
    assert (None if found is None else set(found)) == fields


def test_methods_on_values_that_may_be_none_need_a_guard(engine: Any, orders: Any) -> None:
    unguarded = lambda x: x["status"].lower() == "completed"  # noqa: E731
    assert explain_translation(unguarded, orders.schema) is None
    with pytest.raises(Exception, match="AttributeError"):
        filter_dataframe(orders, unguarded).collect()


# --- map -----------------------------------------------------------------------------------


def add_fields(rec: Any) -> Any:
    if rec.get("n") is None:
        return None  # dropped (an error record, later)
    if rec["n"] < 0:
        raise ValueError("negative")  # dropped too
    rec["double_n"] = rec["n"] * 2
    rec["label"] = {"status": rec.get("status"), "big": rec["n"] > 10}
    rec.pop("tags", None)
    return rec


def _expected_map(model: str) -> list[tuple[Any, ...]]:
    out = []
    for _, record in records(model):
        try:
            result = add_fields(dict(record))
        except ValueError:
            continue
        if result is not None:
            label = result["label"]
            out.append((result["id"], result["double_n"], label["status"], label["big"]))
    return sorted(out)


@pytest.mark.parametrize("model", ["none", "absent"])
def test_map_runs_the_function_and_infers_the_schema(engine: Any, orders: Any, model: str) -> None:
    factory = from_arrow_row if model == "absent" else dict
    result = map_dataframe(orders, add_fields, record_factory=factory)

    types = {field.name: field.dataType.simpleString() for field in result.schema.fields}
    assert types["double_n"] == "bigint"
    assert types["label"] == "struct<status:string,big:boolean>"
    assert "tags" not in types
    rows = [
        (r["id"], r["double_n"], r["label"]["status"], r["label"]["big"]) for r in result.collect()
    ]
    assert sorted(rows) == _expected_map(model)


def test_map_with_a_field_the_sample_did_not_show_says_to_pass_a_schema(
    engine: Any, orders: Any
) -> None:
    def late_field(rec: Any) -> Any:
        return {"id": rec["id"], **({"late": 1} if rec["id"] == 9 else {})}

    ordered = orders.orderBy("id").coalesce(1)
    with pytest.raises(Exception, match=r"fields \['late'\].*pass schema="):
        map_dataframe(ordered, late_field, sample_size=2).collect()

    from pyspark.sql.types import LongType, StructField, StructType

    schema = StructType([StructField("id", LongType()), StructField("late", LongType())])
    rows = map_dataframe(ordered, late_field, schema=schema).orderBy("id").collect()
    assert [(r["id"], r["late"]) for r in rows][-2:] == [(8, None), (9, 1)]


# --- property: random expressions ----------------------------------------------------------

NUMBERS = ['x["n"]', 'x["i"]', 'x["f"]', 'x["st"]["k"]', 'x.get("zz", 3)', "0", "1", "-2", "2.5"]
TEXTS = ['x["status"]', 'x.get("status")', 'x["t"]', 'x["code"]', 'x["st"]["a"]', '"completed"',
         '""', '"a"', 'x.get("zz")']  # fmt: skip
FLAGS = ['x["b"]', 'x["ok"]', "True", "None"]
ORDERS = ["==", "!=", "<", "<=", ">", ">="]


def _binary(left: st.SearchStrategy[str], ops: list[str], right: st.SearchStrategy[str]) -> Any:
    return st.tuples(left, st.sampled_from(ops), right).map(lambda t: f"({t[0]} {t[1]} {t[2]})")


numbers = st.recursive(
    st.sampled_from(NUMBERS),
    lambda inner: st.one_of(
        _binary(inner, ["+", "-", "*"], inner),
        _binary(inner, ["/", "//", "%"], st.sampled_from(["4", "3", "-0.5"])),
        inner.map(lambda e: f"(-{e})"),
    ),
    max_leaves=3,
)
texts = st.recursive(
    st.sampled_from(TEXTS),
    lambda inner: st.one_of(
        inner.map(lambda e: f"{e}.lower()"),
        inner.map(lambda e: f"{e}.strip()"),
        _binary(inner, ["+"], inner),
    ),
    max_leaves=2,
)
comparisons = st.one_of(
    _binary(numbers, ORDERS, numbers),
    _binary(texts, ORDERS, texts),
    _binary(texts, ["==", "!=", "<"], numbers),
    _binary(
        st.one_of(numbers, texts, st.sampled_from(FLAGS)).filter(lambda e: "x" in e),
        ["is", "is not"],
        st.just("None"),
    ),
    _binary(texts, ["in", "not in"], st.sampled_from(['("completed", "a", None)', '"abc"'])),
    _binary(numbers, ["in", "not in"], st.sampled_from(["(0, 1, 5, -7)", "{2.5, 99}"])),
)
conditions = st.recursive(
    st.one_of(comparisons, st.sampled_from(FLAGS), texts, numbers),
    lambda inner: st.one_of(
        _binary(inner, ["and", "or"], inner),
        inner.map(lambda e: f"(not {e})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    ),
    max_leaves=4,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=conditions, model=st.sampled_from(["none", "absent"]))
def test_random_conditions_match_python(engine: Any, orders: Any, body: str, model: str) -> None:
    source = f"lambda x: {body}"
    f = eval(source)
    absent = model == "absent"
    explained = explain_translation(f, orders.schema, nulls_absent=absent, source=source)
    try:
        expected = reference(f, model)
    except JobFailure:
        event("Python fails the job")
        assert explained is None, "a function Python fails on must not be translated"
        return
    event("translated" if explained is not None else "runs in Python")
    factory = from_arrow_row if absent else dict
    result = filter_dataframe(orders, f, record_factory=factory, nulls_absent=absent, source=source)
    assert kept_ids(result) == expected, explained
