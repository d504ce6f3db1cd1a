"""The conformance cases: each builds a result from the golden inputs in ``inputs/`` with one
DynamicFrame method or transform, as a Glue script would call it.

A case returns a DynamicFrame, a DynamicFrameCollection or a dict of plain values (what the
golden file should hold for it); ``test_conformance`` renders the result and compares it with
``golden/<case>.json``. Keep inputs tiny: every case runs on both engines.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from awsglue.dynamicframe import DynamicFrame, ResolveOption
from awsglue.transforms import (
    ApplyMapping,
    Coalesce,
    DropFields,
    DropNullFields,
    ErrorsAsDynamicFrame,
    Filter,
    FlatMap,
    Join,
    Map,
    MapToCollection,
    Relationalize,
    RenameField,
    Repartition,
    ResolveChoice,
    SelectFields,
    SelectFromCollection,
    Spigot,
    SplitFields,
    SplitRows,
    Unbox,
    Union,
    UnnestFrame,
)
from awsglueml.transforms import FillMissingValues

INPUTS = Path(__file__).parent / "inputs"

Case = Callable[[Any, Path], Any]
CASES: dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def read(glue_context: Any, name: str) -> DynamicFrame:
    frame: DynamicFrame = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [str(INPUTS / f"{name}.json")]}, "json", transformation_ctx=name
    )
    return frame


# -- choice types -----------------------------------------------------------------------------


@case
def json_read_makes_choices(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "people")


@case
def json_choice_kinds(glue_context: Any, tmp: Path) -> Any:
    # Quoted "true" and "3" are strings; 1.5e2 is a double; a missing value is no alternative.
    return read(glue_context, "kinds")


def read_csv(glue_context: Any, name: str) -> DynamicFrame:
    frame: DynamicFrame = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [str(INPUTS / f"{name}.csv")]}, "csv", {"withHeader": True}
    )
    return frame


@case
def csv_read_types(glue_context: Any, tmp: Path) -> Any:
    # qty: long (an empty value is null); price: integers and decimals widen to double;
    # provider: numbers and text make a choice (Glue's Medicare sample); flag, zip (leading
    # zeros) and note ("12 " with a space) keep their text as strings.
    return read_csv(glue_context, "measures")


@case
def csv_data_frame_keeps_strings(glue_context: Any, tmp: Path) -> Any:
    # create_data_frame follows Spark's CSV reader: no typing, no choices.
    frame = glue_context.create_data_frame.from_options(
        "s3", {"paths": [str(INPUTS / "measures.csv")]}, "csv", {"withHeader": True}
    )
    return {"dtypes": [list(pair) for pair in frame.dtypes]}


@case
def csv_number_edges(glue_context: Any, tmp: Path) -> Any:
    # a: 20 digits overflow a long, so its text stays (a choice with the long 1); b: a sign
    # makes text; c: "1." is not a number; d: an exponent makes a double; e and "min long"
    # (a name with a space): a long's limits.
    return read_csv(glue_context, "number_edges")


@case
def csv_resolve_choice(glue_context: Any, tmp: Path) -> Any:
    frame = read_csv(glue_context, "measures").select_fields(["id", "provider"])
    return {
        "cast_long": frame.resolveChoice(specs=[("provider", "cast:long")]),
        "make_cols": frame.resolveChoice(choice="make_cols"),
    }


@case
def resolve_choice_cast(glue_context: Any, tmp: Path) -> Any:
    return ResolveChoice.apply(frame=read(glue_context, "people"), specs=[("price", "cast:double")])


@case
def resolve_choice_project(glue_context: Any, tmp: Path) -> Any:
    return ResolveChoice.apply(frame=read(glue_context, "people"), choice="project:string")


@case
def resolve_choice_make_cols(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "people").resolveChoice(specs=[("price", "make_cols")])


@case
def resolve_choice_make_struct(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "people").resolveChoice(choice="make_struct")


@case
def resolve_choice_cast_plain_field(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "people").resolveChoice(specs=[("id", "cast:string")])


@case
def to_df_resolve_option(glue_context: Any, tmp: Path) -> Any:
    from pyspark.sql.types import DoubleType

    frame = read(glue_context, "people")
    data = frame.toDF([ResolveOption("price", "Project", DoubleType())])
    return DynamicFrame.fromDF(data, glue_context, "resolved")


@case
def union_makes_choices(glue_context: Any, tmp: Path) -> Any:
    numbers = read(glue_context, "orders").select_fields(["order_id", "amount"])
    texts = glue_context.create_dynamic_frame.from_rdd(
        [(7, "unknown")], "texts", "order_id long, amount string"
    )
    return Union.apply(frame1=numbers, frame2=texts)


# -- fields -----------------------------------------------------------------------------------


@case
def apply_mapping_nested(glue_context: Any, tmp: Path) -> Any:
    return ApplyMapping.apply(
        frame=read(glue_context, "people"),
        mappings=[
            ("id", "long", "person.id", "string"),
            ("address.city", "string", "city", "string"),
            ("name", "string", "person.name", "string"),
        ],
    )


@case
def select_drop_rename(glue_context: Any, tmp: Path) -> Any:
    frame = SelectFields.apply(frame=read(glue_context, "people"), paths=["id", "address", "tags"])
    frame = DropFields.apply(frame=frame, paths=["address.zip"])
    return RenameField.apply(frame=frame, old_name="address.city", new_name="address.town")


@case
def split_fields(glue_context: Any, tmp: Path) -> Any:
    return SplitFields.apply(
        frame=read(glue_context, "people"),
        paths=["id", "address.city"],
        name1="picked",
        name2="rest",
    )


@case
def split_rows(glue_context: Any, tmp: Path) -> Any:
    return SplitRows.apply(
        frame=read(glue_context, "orders"),
        comparison_dict={"amount": {">": 1, "<=": 20}, "status": {"!=": "pending"}},
        name1="kept",
        name2="others",
    )


@case
def unnest(glue_context: Any, tmp: Path) -> Any:
    return UnnestFrame.apply(frame=read(glue_context, "people"))


@case
def drop_null_fields(glue_context: Any, tmp: Path) -> Any:
    return DropNullFields.apply(frame=read(glue_context, "wide_types"))


@case
def unbox_json(glue_context: Any, tmp: Path) -> Any:
    return Unbox.apply(frame=read(glue_context, "embedded"), path="payload", format="json")


@case
def unbox_csv(glue_context: Any, tmp: Path) -> Any:
    frame = read(glue_context, "embedded").drop_fields(["payload"])
    return Unbox.apply(frame=frame, path="line", format="csv", separator=",")


@case
def unnest_ddb_json(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "ddb").unnest_ddb_json()


@case
def simplify_ddb_json(glue_context: Any, tmp: Path) -> Any:
    return read(glue_context, "ddb").simplify_ddb_json().select_fields(["Item.pk", "Item.age"])


@case
def relationalize(glue_context: Any, tmp: Path) -> Any:
    frame = read(glue_context, "people").resolveChoice(choice="cast:double")
    tables = Relationalize.apply(frame=frame, staging_path=str(tmp / "staging"), name="people")
    root = tables.select("people").rename_field("id", "person")
    # Generated ids differ between engines; what must hold is that they join back.
    phones = Join.apply(
        frame1=root, frame2=tables.select("people_phones"), keys1=["phones"], keys2=["id"]
    )
    tags = Join.apply(
        frame1=root, frame2=tables.select("people_tags"), keys1=["tags"], keys2=["id"]
    )
    return {
        "tables": sorted(tables.keys()),
        "root_schema": schema_lines(root),
        "root": root.drop_fields(["phones", "tags"]),
        "phones": phones.select_fields(
            ["person", "index", "`phones.val.kind`", "`phones.val.number`"]
        ),
        "tags": tags.select_fields(["person", "index", "`tags.val`"]),
        "root_without_arrays": sorted(
            r["person"] for r in root.toDF().collect() if r["phones"] is None and r["tags"] is None
        ),
    }


@case
def relationalize_nested_arrays(glue_context: Any, tmp: Path) -> Any:
    teams = read(glue_context, "teams")
    tables = teams.relationalize("teams", str(tmp / "staging"))
    root = tables.select("teams").rename_field("id", "team")
    groups = Join.apply(
        frame1=root, frame2=tables.select("teams_groups"), keys1=["groups"], keys2=["id"]
    ).drop_fields(["id", "groups"])
    members = Join.apply(
        frame1=groups.rename_field("index", "group_index"),
        frame2=tables.select("teams_groups.val.members"),
        keys1=["`groups.val.members`"],
        keys2=["id"],
    )
    return {
        "tables": sorted(tables.keys()),
        "schemas": {key: schema_lines(tables.select(key)) for key in sorted(tables.keys())},
        "members": members.select_fields(
            ["team", "group_index", "`groups.val.name`", "index", "`groups.val.members.val`"]
        ),
    }


def schema_lines(frame: DynamicFrame) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out):
        frame.printSchema()
    return out.getvalue().splitlines()


# -- records and error records ------------------------------------------------------------------


def _expensive(record: Any) -> bool:
    if record["id"] == 3:
        raise ZeroDivisionError("division by zero")  # an error record
    return bool(record["name"] != "Bob")  # no name: KeyError, the record is dropped


@case
def filter_error_records(glue_context: Any, tmp: Path) -> Any:
    kept = Filter.apply(frame=read(glue_context, "people"), f=_expensive, info="check")
    return {
        "kept": sorted(r["id"] for r in kept.toDF().collect()),
        "errorsCount": kept.errorsCount(),
        "stageErrorsCount": kept.stageErrorsCount(),
        "errors": _errors(ErrorsAsDynamicFrame.apply(frame=kept)),
    }


def _tag(record: Any) -> Any:
    if record["customer"] == 9:
        return None  # an error record: a map function must return a record
    record["big"] = record["amount"] > 10
    return record


@case
def map_error_records(glue_context: Any, tmp: Path) -> Any:
    mapped = Map.apply(frame=read(glue_context, "orders"), f=_tag)
    later = mapped.select_fields(["order_id", "big"])  # errors travel with derived frames
    errors = _errors(later.errorsAsDynamicFrame())
    return {"frame": later, "errorsCount": later.errorsCount(), "errors": errors}


def _errors(errors: DynamicFrame) -> list[dict[str, Any]]:
    """Error records (of an ``errorsAsDynamicFrame`` frame) as golden values."""
    found = (
        {
            "errorStage": row["errorStage"],
            "errorMessage": row["errorMessage"],
            "record": json.loads(row["record"]),
        }
        for row in errors.toDF().collect()
    )
    return sorted(found, key=lambda e: json.dumps(e, sort_keys=True))


# -- frames -----------------------------------------------------------------------------------


@case
def join(glue_context: Any, tmp: Path) -> Any:
    people = read(glue_context, "people").select_fields(["id", "name"])
    return Join.apply(
        frame1=read(glue_context, "orders"), frame2=people, keys1=["customer"], keys2=["id"]
    )


@case
def merge_dynamic_frame(glue_context: Any, tmp: Path) -> Any:
    source = read(glue_context, "orders")
    return source.mergeDynamicFrame(read(glue_context, "stage_orders"), ["order_id"])


@case
def repartition_and_coalesce(glue_context: Any, tmp: Path) -> Any:
    frame = read(glue_context, "orders")
    spread = Repartition.apply(frame=frame, num_partitions=3)
    one = Coalesce.apply(frame=spread, num_partitions=1)
    return {
        "repartitioned": spread.getNumPartitions(),
        "coalesced": one.getNumPartitions(),
        "records": one.count(),
    }


@case
def spigot(glue_context: Any, tmp: Path) -> Any:
    frame = read(glue_context, "orders")
    passed = Spigot.apply(frame=frame, path=str(tmp / "sample"), options={"topk": 2})
    written = [
        line
        for path in sorted((tmp / "sample").glob("*.json"))
        for line in path.read_text().split()
    ]
    return {"passed_through": passed.count(), "sampled": len(written)}


@case
def collections(glue_context: Any, tmp: Path) -> Any:
    parts = read(glue_context, "orders").split_rows({"status": {"=": "completed"}}, "done", "open")
    slim = FlatMap.apply(
        dfc=parts, BaseTransform=SelectFields, frame_name="frame", paths=["order_id"]
    )
    counted = MapToCollection.apply(
        dfc=slim, callable=lambda frame, ctx: frame.drop_fields(["missing"])
    )
    return {
        "keys": sorted(counted.keys()),
        "done": SelectFromCollection.apply(dfc=counted, key="done"),
        "missing_key_count": SelectFromCollection.apply(dfc=counted, key="nope").count(),
    }


@case
def fill_missing_values(glue_context: Any, tmp: Path) -> Any:
    frame = read(glue_context, "people").select_fields(["id", "name"])
    return FillMissingValues.apply(frame=frame, missing_values_column="name")
