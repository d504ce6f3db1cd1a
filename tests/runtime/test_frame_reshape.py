"""Reshaping methods beyond the golden suite: bad input says what is wrong, match_catalog
against a real server, choice detection for multi-line JSON, the transform registry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from awsglue import utils
from awsglue.dynamicframe import DynamicFrame
from awsglue.gluetypes import ChoiceType
from tests.runtime.conformance.cases import read
from tests.support.server import RunningServer, start_server

GLUE_TRANSFORMS = {
    "ApplyMapping",
    "Coalesce",
    "DropFields",
    "DropNullFields",
    "ErrorsAsDynamicFrame",
    "Filter",
    "FlatMap",
    "Join",
    "Map",
    "MapToCollection",
    "Relationalize",
    "RenameField",
    "Repartition",
    "ResolveChoice",
    "SelectFields",
    "SelectFromCollection",
    "Spigot",
    "SplitFields",
    "SplitRows",
    "Unbox",
    "Union",
    "UnnestFrame",
}


def test_the_22_transforms_star_import_and_ml_ones_do_not() -> None:
    import awsglue.transforms

    namespace: dict[str, Any] = {}
    exec("from awsglue.transforms import *", namespace)
    assert {t.name() for t in awsglue.transforms.ALL_TRANSFORMS} == GLUE_TRANSFORMS
    assert set(namespace) >= GLUE_TRANSFORMS and "FillMissingValues" not in namespace
    assert awsglue.transforms.get_transform("FillMissingValues") is not None
    from awsglueml.transforms import FindIncrementalMatches, FindMatches

    with pytest.raises(NotImplementedError, match="machine-learning transform"):
        FindMatches.apply(frame=None, transformId="tfm-1")
    with pytest.raises(NotImplementedError, match="FindIncrementalMatches"):
        FindIncrementalMatches.apply(existingFrame=None, incrementalFrame=None, transformId="tfm-1")


def test_split_fields_names_the_parts_after_the_frame(spark_glue_context: Any) -> None:
    from awsglue.transforms import SplitFields

    parts = SplitFields.apply(frame=read(spark_glue_context, "orders"), paths=["order_id"])
    assert sorted(parts.keys()) == ["orders1", "orders2"]
    assert parts["orders1"].toDF().columns == ["order_id"]


def test_bad_reshaping_input_says_what_is_wrong(glue_context: Any, tmp_path: Path) -> None:
    people = read(glue_context, "people")
    cases: list[tuple[Any, str]] = [
        (
            lambda: people.resolveChoice(specs=[("price", "cast:double")], choice="make_cols"),
            "either specs or choice",
        ),
        (lambda: people.resolveChoice(), "either specs or choice"),
        (lambda: people.resolveChoice(specs=[("price", "cast")]), "needs a type"),
        (lambda: people.resolveChoice(specs=[("price", "explode")]), "not one of cast:<type>"),
        (lambda: people.resolveChoice(specs=[("price", "cast:nonsense")]), "unknown type"),
        (lambda: people.resolveChoice(specs=[("phones[].kind", "cast:int")]), "in arrays"),
        (lambda: people.resolveChoice(choice="match_catalog"), "needs database and table_name"),
        (lambda: people.split_rows({"id": {"~": 1}}, "a", "b"), "operator '~'"),
        (lambda: people.split_rows({}, "a", "b"), "comparison_dict like"),
        (lambda: people.unbox("id", "json"), "not a string field"),
        (lambda: people.unbox("name", "xml"), "json or csv"),
        (lambda: people.unbox("missing", "json"), "not a field"),
        (lambda: people.spigot(str(tmp_path), {"prob": 2}), "between 0 and 1"),
        (lambda: people.spigot(str(tmp_path), {"top": 2}), "topk and prob"),
        (lambda: people.mergeDynamicFrame(people, ["nope"]), "primary key 'nope'"),
        (lambda: people.relationalize("root", ""), "staging_path"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()


def test_relationalize_stages_under_temp_dir_by_default(
    spark_glue_context: Any, tmp_path: Path
) -> None:
    from awsglue.transforms import Relationalize

    people = read(spark_glue_context, "people").resolveChoice(choice="cast:double")
    saved = dict(utils._global_args)
    try:
        utils._global_args.clear()
        with pytest.raises(RuntimeError, match="--TempDir"):
            Relationalize.apply(frame=people)
        utils.getResolvedOptions(["script.py", "--TempDir", str(tmp_path / "temp")], [])
        tables = Relationalize.apply(frame=people)
    finally:
        utils._global_args.clear()
        utils._global_args.update(saved)
    assert sorted(tables.keys()) == ["roottable", "roottable_phones", "roottable_tags"]
    assert tables["roottable_phones"].count() == 3
    assert any((tmp_path / "temp").iterdir()), "the ids were staged under --TempDir"


def test_error_thresholds_fail_the_stage(glue_context: Any) -> None:
    from awsglue.transforms import Filter

    def broken(record: Any) -> bool:
        raise ZeroDivisionError("no")

    orders = read(glue_context, "orders")
    assert Filter.apply(frame=orders, f=broken, stageThreshold=4).stageErrorsCount() == 4
    with pytest.raises(RuntimeError, match="exceed stageThreshold 3"):
        Filter.apply(frame=orders, f=broken, stageThreshold=3)
    with pytest.raises(RuntimeError, match="exceed totalThreshold 2"):
        Filter.apply(frame=orders, f=broken, totalThreshold=2)


def test_multi_line_json_gets_choices_on_both_engines(glue_context: Any, tmp_path: Path) -> None:
    source = tmp_path / "multi.json"
    source.write_text(json.dumps([{"k": 1, "v": 2}, {"k": 2, "v": "two"}], indent=2))
    frame: DynamicFrame = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [str(source)]}, "json", {"multiLine": "true"}, transformation_ctx="m"
    )
    choice = frame.schema().getField("v").dataType
    assert isinstance(choice, ChoiceType) and sorted(choice.choices) == ["long", "string"]
    resolved = frame.resolveChoice(specs=[("v", "cast:long")]).toDF()
    assert sorted((r["k"], r["v"]) for r in resolved.collect()) == [(1, 2), (2, None)]


def test_a_consistent_string_field_stays_a_string(glue_context: Any, tmp_path: Path) -> None:
    source = tmp_path / "plain.json"
    source.write_text('{"zip": "01234"}\n{"zip": "99"}\n')
    frame = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [str(source)]}, "json", transformation_ctx="p"
    )
    assert frame.schema().getField("zip").dataType.typeName() == "string"
    assert sorted(r["zip"] for r in frame.toDF().collect()) == ["01234", "99"]


@pytest.fixture(scope="module")
def catalog_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("choice-server"))
    yield running
    running.stop()


def test_match_catalog_casts_choices_to_the_table_types(
    catalog_server: RunningServer, spark_glue_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", catalog_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    glue = catalog_server.client()
    database = "db_" + uuid.uuid4().hex[:8]
    glue.create_database(DatabaseInput={"Name": database})
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": "people",
            "Parameters": {"classification": "json"},
            "StorageDescriptor": {
                "Columns": [{"Name": "id", "Type": "bigint"}, {"Name": "Price", "Type": "double"}],
                "Location": "s3://lake/people/",
            },
        },
    )
    frame = read(spark_glue_context, "people")
    spark_glue_context._glue_client = None  # reach the server the variables point at
    resolved = frame.resolveChoice(choice="match_catalog", database=database, table_name="people")
    assert resolved.schema().getField("price").dataType.typeName() == "double"
    prices = {r["id"]: r["price"] for r in resolved.toDF().collect()}
    assert prices == {1: 10.5, 2: None, 3: 7.0, 4: 12.25}
    with pytest.raises(ClientError, match="EntityNotFoundException"):
        frame.resolveChoice(choice="match_catalog", database=database, table_name="nope")


def test_nested_choices_resolve_by_path(glue_context: Any) -> None:
    from pyspark.sql import functions as F

    from awsglue.frame_choice import choice_column

    df = glue_context.spark_session.createDataFrame(
        [(1, 5, None), (2, None, "five"), (3, None, None)], "id long, n long, s string"
    )
    nested = df.select(
        "id",
        F.struct(choice_column("v", {"long": F.col("n"), "string": F.col("s")})).alias("a"),
    )
    frame = DynamicFrame.fromDF(nested, glue_context, "nested")
    choice = frame.schema().getField("a").dataType.getField("v").dataType
    assert isinstance(choice, ChoiceType) and sorted(choice.choices) == ["long", "string"]
    cast = frame.resolveChoice(specs=[("a.v", "cast:string")]).toDF()
    assert sorted((r["id"], r["a"]["v"]) for r in cast.collect()) == [
        (1, "5"),
        (2, "five"),
        (3, None),
    ]
    cols = frame.resolveChoice(specs=[("a.v", "make_cols")]).toDF()
    assert cols.schema["a"].dataType.fieldNames() == ["v_long", "v_string"]
    assert frame.resolveChoice(specs=[("a.missing", "cast:int")]).toDF().columns == ["id", "a"]
