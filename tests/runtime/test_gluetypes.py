"""The DynamicFrame type system: names, equality, JSON, merging, Hive, Spark, printSchema."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from awsglue.gluetypes import (
    ArrayType,
    BinaryType,
    BooleanType,
    ByteType,
    ChoiceType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    EntityType,
    EnumType,
    Field,
    FloatType,
    IntegerType,
    LongType,
    MapType,
    NullType,
    SetType,
    ShortType,
    StringType,
    StructType,
    TimestampNTZType,
    TimestampType,
    UnknownType,
    from_spark,
    mergeDataTypes,
    parse_hive_type,
    parse_hive_type_to_spark,
    print_schema,
    to_spark,
)
from awsglue.schema_text import from_json_value


@pytest.fixture
def sp() -> ModuleType:
    module: ModuleType = pytest.importorskip("pyspark.sql.types")
    return module


def struct(**fields: DataType) -> StructType:
    return StructType(Field(name, data_type) for name, data_type in fields.items())


@pytest.mark.parametrize(
    ("data_type", "type_name", "simple"),
    [
        (BinaryType(), "binary", "binary"),
        (BooleanType(), "boolean", "boolean"),
        (ByteType(), "byte", "tinyint"),
        (DateType(), "date", "date"),
        (DecimalType(), "decimal", "decimal(10,2)"),
        (DoubleType(), "double", "double"),
        (EnumType(["a", "b"]), "enum", "string"),
        (FloatType(), "float", "float"),
        (IntegerType(), "int", "int"),
        (LongType(), "long", "bigint"),
        (NullType(), "null", "null"),
        (ShortType(), "short", "smallint"),
        (StringType(), "string", "string"),
        (TimestampType(), "timestamp", "timestamp"),
        (TimestampNTZType(), "timestampntz", "timestamp_ntz"),
        (UnknownType(), "unknown", "unknown"),
        (ArrayType(StringType()), "array", "array<string>"),
        (SetType(IntegerType()), "set", "set<int>"),
        (MapType(LongType()), "map", "map<string,bigint>"),
        (ChoiceType([StringType(), IntegerType()]), "choice", "choice<int,string>"),
        (struct(a=IntegerType()), "struct", "struct<a:int>"),
    ],
)
def test_glue_and_catalog_names(data_type: DataType, type_name: str, simple: str) -> None:
    assert data_type.typeName() == type_name
    assert data_type.simpleString() == simple


def test_equality_is_by_class_and_value_including_properties() -> None:
    assert StringType() == StringType()
    assert StringType() != StringType({"k": "v"})
    assert IntegerType() != LongType()
    assert ArrayType(StringType()) != SetType(StringType())
    assert DecimalType(10, 2) != DecimalType(12, 2)
    assert ChoiceType([IntegerType(), StringType()]) == ChoiceType([StringType(), IntegerType()])
    assert struct(a=IntegerType(), b=StringType()) != struct(b=StringType(), a=IntegerType())
    assert Field("a", IntegerType(), {"x": 1}) == Field("a", IntegerType())
    assert len({StringType(), StringType()}) == 1


def test_defaults_and_repr() -> None:
    assert ArrayType() == ArrayType(UnknownType())
    assert MapType().valueType == UnknownType()
    assert (DecimalType().precision, DecimalType().scale) == (10, 2)
    assert repr(ArrayType(StructType())) == "ArrayType(StructType([]))"
    assert repr(ChoiceType([StringType(), IntegerType()])) == (
        "ChoiceType([IntegerType(), StringType()])"
    )
    assert repr(DecimalType(5, 1, {"p": 1})) == "DecimalType(5, 1, {'p': 1})"


def test_constructors_check_their_parts() -> None:
    with pytest.raises(TypeError):
        ArrayType("string")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        StructType(["a"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="already has a int"):
        ChoiceType([IntegerType(), IntegerType()])
    with pytest.raises(NotImplementedError):
        EntityType("person", StringType())


def test_struct_lookup() -> None:
    schema = struct(a=IntegerType())
    schema.add(Field("b", StringType()))

    assert [f.name for f in schema] == ["a", "b"]
    assert schema.hasField("b") and schema.hasField(Field("a", NullType()))
    assert schema.getField("b").dataType == StringType()


def test_json_value_shape_and_round_trip() -> None:
    schema = struct(
        id=ChoiceType([LongType(), StringType()]),
        price=DecimalType(12, 4),
        tags=SetType(EnumType(["x", "y"])),
        attrs=MapType(ArrayType(DoubleType({"source": "csv"}))),
    )

    value = schema.jsonValue()

    assert value["dataType"] == "struct"
    assert value["fields"][0] == {
        "name": "id",
        "container": {
            "dataType": "choice",
            "properties": {},
            "choices": [
                {"dataType": "long", "properties": {}},
                {"dataType": "string", "properties": {}},
            ],
        },
        "properties": {},
    }
    assert value["fields"][1]["container"]["precision"] == 12
    assert from_json_value(json.dumps(value)) == schema
    assert from_json_value(value) == schema


def test_merge_makes_choices_and_merges_structs() -> None:
    left = struct(id=IntegerType(), name=StringType(), tags=ArrayType(NullType()))
    right = struct(id=StringType(), tags=ArrayType(StringType()), extra=DoubleType())

    merged = mergeDataTypes(left, right)

    assert merged == struct(
        id=ChoiceType([IntegerType(), StringType()]),
        name=StringType(),
        tags=ArrayType(StringType()),
        extra=DoubleType(),
    )
    assert mergeDataTypes(NullType(), LongType()) == LongType()
    assert mergeDataTypes(LongType(), UnknownType()) == LongType()
    three = mergeDataTypes(ChoiceType([IntegerType(), StringType()]), DoubleType())
    assert isinstance(three, ChoiceType) and sorted(three.choices) == ["double", "int", "string"]


def test_choice_merge_combines_same_named_alternatives() -> None:
    choice = ChoiceType([IntegerType(), struct(a=IntegerType())])
    choice.merge([struct(b=StringType()), StringType()])

    assert choice.choices["struct"] == struct(a=IntegerType(), b=StringType())
    assert sorted(choice.choices) == ["int", "string", "struct"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("string", StringType()),
        ("char(10)", StringType()),
        ("varchar(255)", StringType()),
        ("boolean", BooleanType()),
        ("tinyint", ByteType()),
        ("smallint", ShortType()),
        ("int", IntegerType()),
        ("integer", IntegerType()),
        ("bigint", LongType()),
        ("long", LongType()),
        ("float", FloatType()),
        ("double", DoubleType()),
        ("DOUBLE PRECISION", DoubleType()),
        ("decimal(38,18)", DecimalType(38, 18)),
        ("decimal(9)", DecimalType(9, 0)),
        ("decimal", DecimalType(10, 2)),
        ("date", DateType()),
        ("timestamp", TimestampType()),
        ("timestamp_ntz", TimestampNTZType()),
        ("binary", BinaryType()),
        ("array<string>", ArrayType(StringType())),
        ("map<string,int>", MapType(IntegerType())),
        ("ARRAY<MAP<STRING,BIGINT>>", ArrayType(MapType(LongType()))),
        (
            "array<struct<scheme:string,identifier:string>>",
            ArrayType(struct(scheme=StringType(), identifier=StringType())),
        ),
        (
            "struct<a:int,b:struct<c:array<double>>>",
            struct(a=IntegerType(), b=struct(c=ArrayType(DoubleType()))),
        ),
        ("struct< a : int , b : string >", struct(a=IntegerType(), b=StringType())),
        (
            "struct<`a:b`:int,`x``y`:string>",
            StructType([Field("a:b", IntegerType()), Field("x`y", StringType())]),
        ),
        ("struct<provider id:bigint>", StructType([Field("provider id", LongType())])),
        ("struct<>", StructType()),
        ("uniontype<int,string>", ChoiceType([IntegerType(), StringType()])),
    ],
)
def test_parse_hive_type(text: str, expected: DataType) -> None:
    assert parse_hive_type(text) == expected


@pytest.mark.parametrize(
    "data_type",
    [
        struct(
            id=LongType(),
            tags=ArrayType(struct(k=StringType(), v=DecimalType(5, 1))),
            props=MapType(MapType(TimestampType())),
            ids=SetType(ShortType()),
            either=ChoiceType([ByteType(), ArrayType(BooleanType())]),
            nothing=NullType(),
            when=TimestampNTZType(),
            raw=BinaryType(),
            day=DateType(),
            ratio=FloatType(),
        ),
        StructType([Field("odd name", IntegerType()), Field("back`tick", StringType())]),
    ],
)
def test_simple_string_round_trips_through_the_parser(data_type: DataType) -> None:
    assert parse_hive_type(data_type.simpleString()) == data_type


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("strin", "unknown type 'strin'"),
        ("array<int", "expected '>'"),
        ("map<string>", "map takes 2"),
        ("decimal(10,2,1)", "decimal takes 0..2"),
        ("char", "char takes 1..1"),
        ("struct<a int>", "expected 'name:type'"),
        ("int>", "unexpected text"),
        ("struct<`a:int>", "unterminated"),
        ("", "expected a type name"),
    ],
)
def test_parse_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_hive_type(text)


def test_to_and_from_spark(sp: ModuleType) -> None:
    glue = struct(
        id=LongType(),
        price=DecimalType(12, 2),
        tags=ArrayType(StringType()),
        attrs=MapType(IntegerType()),
        ts=TimestampType(),
        ntz=TimestampNTZType(),
        nested=struct(flag=BooleanType(), b=ByteType(), s=ShortType(), f=FloatType()),
    )
    spark = sp.StructType(
        [
            sp.StructField("id", sp.LongType()),
            sp.StructField("price", sp.DecimalType(12, 2)),
            sp.StructField("tags", sp.ArrayType(sp.StringType())),
            sp.StructField("attrs", sp.MapType(sp.StringType(), sp.IntegerType())),
            sp.StructField("ts", sp.TimestampType()),
            sp.StructField("ntz", sp.TimestampNTZType()),
            sp.StructField(
                "nested",
                sp.StructType(
                    [
                        sp.StructField("flag", sp.BooleanType()),
                        sp.StructField("b", sp.ByteType()),
                        sp.StructField("s", sp.ShortType()),
                        sp.StructField("f", sp.FloatType()),
                    ]
                ),
            ),
        ]
    )

    assert to_spark(glue) == spark
    assert from_spark(spark) == glue
    assert from_spark(to_spark(glue)) == glue


def test_spark_conversions_of_glue_only_types(sp: ModuleType) -> None:
    assert to_spark(ChoiceType([StringType(), IntegerType()])) == sp.StructType(
        [sp.StructField("int", sp.IntegerType()), sp.StructField("string", sp.StringType())]
    )
    assert to_spark(SetType(DateType())) == sp.ArrayType(sp.DateType())
    assert to_spark(EnumType(["a"])) == sp.StringType()
    assert to_spark(UnknownType()) == sp.NullType()
    assert from_spark(sp.VarcharType(10)) == StringType()
    assert from_spark(sp.MapType(sp.IntegerType(), sp.DoubleType())) == MapType(DoubleType())
    assert from_spark(sp.StructType([sp.StructField("x", sp.NullType(), False)])) == struct(
        x=NullType()
    )
    with pytest.raises(TypeError, match="no DynamicFrame equivalent"):
        from_spark(sp.DayTimeIntervalType())


def test_hive_strings_to_spark_keep_map_keys(sp: ModuleType) -> None:
    assert parse_hive_type_to_spark("map<int,array<varchar(10)>>") == sp.MapType(
        sp.IntegerType(), sp.ArrayType(sp.StringType())
    )
    assert parse_hive_type_to_spark("struct<a:bigint,b:decimal(5,2)>") == sp.StructType(
        [sp.StructField("a", sp.LongType()), sp.StructField("b", sp.DecimalType(5, 2))]
    )


# Layout as in Glue's documented outputs (legislators and medicare samples, DQ results).
EXPECTED_TREE = """\
root
|-- family_name: string
|-- provider id: choice
|    |-- long
|    |-- string
|-- links: array
|    |-- element: struct
|    |    |-- note: string
|    |    |-- url: string
|-- EvaluatedMetrics: map
|    |-- keyType: string
|    |-- valueType: double
|-- transaction: struct
|    |-- id: int
|    |-- value: choice
|    |    |-- double
|    |    |-- int
|-- price: decimal
|-- empty_column: null
"""


def test_print_schema_matches_glues_layout() -> None:
    schema = StructType(
        [
            Field("family_name", StringType()),
            Field("provider id", ChoiceType([StringType(), LongType()])),
            Field("links", ArrayType(struct(note=StringType(), url=StringType()))),
            Field("EvaluatedMetrics", MapType(DoubleType())),
            Field(
                "transaction",
                struct(id=IntegerType(), value=ChoiceType([IntegerType(), DoubleType()])),
            ),
            Field("price", DecimalType(10, 2)),
            Field("empty_column", NullType()),
        ]
    )

    assert print_schema(schema) == EXPECTED_TREE


def test_print_schema_nests_complex_choice_alternatives_and_indents() -> None:
    schema = struct(v=ChoiceType([IntegerType(), struct(a=StringType())]))

    assert print_schema(schema) == (
        "root\n|-- v: choice\n|    |-- int\n|    |-- struct\n|    |    |-- a: string\n"
    )
    assert print_schema(struct(a=IntegerType()), indent=1) == "root\n|    |-- a: int\n"
    assert print_schema(StructType()) == "root\n"
