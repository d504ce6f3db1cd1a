"""DynamicFrame methods on both engines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsglue import DynamicFrame
from awsglue.dynamicframe import DynamicFrameCollection, DynamicRecord
from awsglue.gluetypes import ChoiceType, IntegerType, StringType, StructType

PEOPLE_SCHEMA = "id int, name string, address struct<city:string,zip:string>, tags array<string>"
PEOPLE = [
    (1, "Ada", ("London", "N1"), ["a"]),
    (2, "Bob", None, []),
    (3, "Cy", ("Paris", None), None),
]


def people(glue_context: Any) -> DynamicFrame:
    return glue_context.create_dynamic_frame.from_rdd(PEOPLE, "people", PEOPLE_SCHEMA)


def records(frame: DynamicFrame) -> list[dict[str, Any]]:
    """The frame's records as plain dicts without null fields, by id (then JSON text)."""
    found = (json.loads(line) for line in frame._json_lines(1000))
    return sorted(found, key=lambda r: (str(r.get("id")), json.dumps(r, sort_keys=True)))


def test_from_df_to_df_and_information(
    glue_context: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = people(glue_context)
    assert DynamicFrame.fromDF(frame.toDF(), glue_context, "p").toDF() is frame.toDF()
    assert frame.count() == 3
    assert frame.getNumPartitions() >= 1
    assert [f.name for f in frame.schema()] == ["id", "name", "address", "tags"]
    address = frame.schema().getField("address").dataType
    assert isinstance(address, StructType) and [f.name for f in address] == ["city", "zip"]
    frame.printSchema()
    frame.show(2)
    out = capsys.readouterr().out
    assert out.startswith("root\n|-- id: int\n|-- name: string\n|-- address: struct\n")
    assert "|    |-- city: string" in out
    shown = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(shown) == 2 and {"id", "name"} <= set(shown[0])


def test_select_drop_and_rename_nested_paths(glue_context: Any) -> None:
    frame = people(glue_context)
    assert records(frame.select_fields(["id", "address.city"])) == [
        {"address": {"city": "London"}, "id": 1},
        {"id": 2},
        {"address": {"city": "Paris"}, "id": 3},
    ]
    dropped = frame.drop_fields(["address.zip", "tags"])
    assert dropped.toDF().columns == ["id", "name", "address"]
    assert records(dropped)[0] == {"address": {"city": "London"}, "id": 1, "name": "Ada"}
    renamed = frame.rename_field("address.city", "address.town").rename_field("name", "who")
    assert renamed.toDF().columns == ["id", "who", "address", "tags"]
    assert records(renamed.select_fields(["address"]))[0] == {
        "address": {"town": "London", "zip": "N1"}
    }
    assert frame.rename_field("missing", "x").toDF().columns == frame.toDF().columns
    moved = frame.rename_field("address.zip", "zip")
    assert moved.toDF().columns == ["id", "name", "address", "tags", "zip"]


def test_apply_mapping_casts_renames_nests_and_drops_the_rest(glue_context: Any) -> None:
    frame = glue_context.create_dynamic_frame.from_rdd(
        [("1", "2.5", "x", ("a",)), ("oops", None, "y", None)],
        "raw",
        "Id string, price string, drop_me string, inner struct<v:string>",
    )
    mapped = frame.apply_mapping(
        [
            ("id", "string", "order.id", "bigint"),
            ("price", "string", "order.price", "decimal(10,2)"),
            ("inner.v", "string", "value", "string"),
            ("not_there", "string", "ghost", "int"),
        ]
    )
    assert mapped.toDF().columns == ["order", "value"]
    assert mapped.toDF().schema.simpleString() == (
        "struct<order:struct<id:bigint,price:decimal(10,2)>,value:string>"
    )
    rows = sorted(mapped.toDF().collect(), key=lambda r: r["value"] is None)
    assert rows[0]["order"]["id"] == 1 and str(rows[0]["order"]["price"]) == "2.50"
    assert rows[1]["order"]["id"] is None  # a failed cast is null, not an error
    single = frame.applyMapping(("id", "string", "id", "string"))
    assert single.toDF().columns == ["id"]


def test_filter_keeps_glue_semantics_for_missing_fields_and_errors(glue_context: Any) -> None:
    frame = people(glue_context)
    assert frame.filter(lambda r: r["address"]["city"] == "Paris").count() == 1

    def odd(record: DynamicRecord) -> bool:
        assert isinstance(record, DynamicRecord)
        if record["id"] == 3:
            raise RuntimeError("boom")
        return bool(record["id"] % 2)

    kept = frame.filter(odd)
    assert records(kept.select_fields(["id"])) == [{"id": 1}]  # 2 is even, 3 is an error
    assert kept.errorsCount() == 1 and kept.stageErrorsCount() == 1
    error = kept.errorsAsDynamicFrame().toDF().collect()[0]
    assert error["errorMessage"] == "RuntimeError: boom" and error["errorStage"] == "Filter"
    assert json.loads(error["record"])["id"] == 3
    assert kept.select_fields(["id"]).errorsCount() == 1  # errors follow the lineage
    with pytest.raises(RuntimeError, match="3 error records in this stage exceed stageThreshold 1"):
        frame.filter(lambda r: 1 / 0 > 0, stageThreshold=1)


def test_map_builds_new_records_and_infers_their_schema(glue_context: Any) -> None:
    frame = people(glue_context)

    def reshape(record: DynamicRecord) -> DynamicRecord:
        record["label"] = record["name"].upper()
        record["score"] = record["id"] * 1.5 if record["id"] > 1 else record["id"]
        record.pop("tags", None)
        if record["id"] == 2:
            return None  # type: ignore[return-value]  # an error record, as in Glue
        return record

    mapped = frame.map(reshape)
    schema = mapped.toDF().schema
    assert schema["label"].dataType.simpleString() == "string"
    assert schema["score"].dataType.simpleString() == "double"
    assert "tags" not in mapped.toDF().columns
    assert records(mapped.select_fields(["id", "label", "score"])) == [
        {"id": 1, "label": "ADA", "score": 1.0},
        {"id": 3, "label": "CY", "score": 4.5},
    ]
    assert mapped.errorsCount() == 1
    assert "not a record" in mapped.errorsAsDynamicFrame().toDF().collect()[0]["errorMessage"]


def test_union_join_repartition_coalesce(glue_context: Any) -> None:
    frame = people(glue_context)
    orders = glue_context.create_dynamic_frame.from_rdd(
        [(10, 1, 5.0), (11, 1, 7.0), (12, 9, 1.0)],
        "orders",
        "order_id int, person int, total double",
    )
    joined = frame.select_fields(["id", "name"]).join(["id"], ["person"], orders)
    assert joined.name == "peopleorders"
    assert joined.toDF().columns == ["id", "name", "order_id", "person", "total"]
    assert sorted(r["order_id"] for r in joined.toDF().collect()) == [10, 11]
    same_key = frame.select_fields(["id"]).join("id", "id", frame.select_fields(["id", "name"]))
    assert same_key.toDF().columns == ["id", "name"] and same_key.count() == 3
    both = frame.select_fields(["id"]).union(orders.select_fields(["order_id"]))
    assert both.count() == 6 and both.toDF().columns == ["id", "order_id"]
    assert frame.repartition(3).count() == 3
    assert frame.coalesce(1).getNumPartitions() == 1
    assert frame.coalesce(2, shuffle=True).count() == 3


def test_errors_of_a_clean_frame(glue_context: Any) -> None:
    frame = people(glue_context)
    assert frame.errorsCount() == 0 and frame.stageErrorsCount() == 0
    assert frame.errorsAsDynamicFrame().count() == 0
    frame.assertErrorThreshold(1, 1)


def test_collection_is_dict_like_and_select_of_a_missing_key_is_empty(glue_context: Any) -> None:
    frame = people(glue_context)
    collection = DynamicFrameCollection([frame], glue_context)
    assert list(collection) == ["people"] and len(collection) == 1
    assert collection["people"] is frame and collection.select("people") is frame
    empty = collection.select("nope")
    assert empty.count() == 0 and empty.name == "nope"
    mapped = collection.map(lambda f, ctx: f.select_fields(["id"]))
    assert mapped["people"].toDF().columns == ["id"]
    with pytest.raises(KeyError):
        collection["nope"]


def test_choice_columns_show_as_choices(spark_glue_context: Any) -> None:
    from pyspark.sql import functions as F

    from awsglue.dynamicframe import ResolveOption

    df = spark_glue_context.spark_session.createDataFrame(
        [(1, None), (None, "x")], "int int, string string"
    )
    tagged = df.select(F.struct("int", "string").alias("v", metadata={"openglue.choice": True}))
    frame = DynamicFrame.fromDF(tagged, spark_glue_context, "c")
    choice = frame.schema().getField("v").dataType
    assert isinstance(choice, ChoiceType)
    assert choice.sorted_choices() == [IntegerType(), StringType()]
    from pyspark.sql.types import StringType as SparkString

    # Project keeps the one alternative (Glue's project:<type>); Cast converts them all.
    projected = frame.toDF([ResolveOption("v", "Project", SparkString())])
    assert sorted(str(r["v"]) for r in projected.collect()) == ["None", "x"]
    cast = frame.toDF([ResolveOption("v", "Cast", SparkString())])
    assert sorted(r["v"] for r in cast.collect()) == ["1", "x"]
