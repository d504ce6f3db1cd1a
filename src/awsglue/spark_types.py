"""Conversions between Glue types (``awsglue.gluetypes``) and Spark SQL types.

Imports pyspark at module level, so only code that already has Spark imports this module;
``gluetypes.from_spark`` / ``to_spark`` reach it lazily.
"""

from __future__ import annotations

from pyspark.sql import types as spark

from awsglue import gluetypes as glue
from awsglue import hive_types
from awsglue.schema_text import from_hive_node

__all__ = ["from_hive", "from_spark", "to_spark"]

# Exact-class pairs for the types without parts (char/varchar fold into string: Glue has no
# length-limited strings, and Spark refuses them in file-reader schemas anyway).
_FROM_SPARK: dict[type[spark.DataType], type[glue.AtomicType]] = {
    spark.BinaryType: glue.BinaryType,
    spark.BooleanType: glue.BooleanType,
    spark.ByteType: glue.ByteType,
    spark.DateType: glue.DateType,
    spark.DoubleType: glue.DoubleType,
    spark.FloatType: glue.FloatType,
    spark.IntegerType: glue.IntegerType,
    spark.LongType: glue.LongType,
    spark.NullType: glue.NullType,
    spark.ShortType: glue.ShortType,
    spark.StringType: glue.StringType,
    spark.CharType: glue.StringType,
    spark.VarcharType: glue.StringType,
    spark.TimestampType: glue.TimestampType,
    spark.TimestampNTZType: glue.TimestampNTZType,
}
_TO_SPARK: dict[type[glue.DataType], type[spark.DataType]] = {
    glue_cls: spark_cls
    for spark_cls, glue_cls in _FROM_SPARK.items()
    if spark_cls not in (spark.CharType, spark.VarcharType)
}
# A field whose every value was null has no type to give Spark but null.
_TO_SPARK.update({glue.UnknownType: spark.NullType, glue.EnumType: spark.StringType})


def from_spark(spark_type: spark.DataType) -> glue.DataType:
    """The Glue type of ``spark_type``; map keys become strings, nullability is dropped."""
    atomic = _FROM_SPARK.get(type(spark_type))
    if atomic is not None:
        return atomic()
    if isinstance(spark_type, spark.DecimalType):
        return glue.DecimalType(spark_type.precision, spark_type.scale)
    if isinstance(spark_type, spark.ArrayType):
        return glue.ArrayType(from_spark(spark_type.elementType))
    if isinstance(spark_type, spark.MapType):
        return glue.MapType(from_spark(spark_type.valueType))
    if isinstance(spark_type, spark.StructType):
        return glue.StructType(glue.Field(f.name, from_spark(f.dataType)) for f in spark_type)
    raise TypeError(
        f"Spark type {spark_type.simpleString()} has no DynamicFrame equivalent; cast the"
        " column (e.g. to string) before converting the DataFrame"
    )


def to_spark(glue_type: glue.DataType) -> spark.DataType:
    """The Spark type of ``glue_type``; every field and element is nullable."""
    atomic = _TO_SPARK.get(type(glue_type))
    if atomic is not None:
        return atomic()
    if isinstance(glue_type, glue.DecimalType):
        return spark.DecimalType(glue_type.precision, glue_type.scale)
    if isinstance(glue_type, glue.ArrayType):  # sets too: Spark has no set type
        return spark.ArrayType(to_spark(glue_type.elementType), containsNull=True)
    if isinstance(glue_type, glue.MapType):
        return spark.MapType(spark.StringType(), to_spark(glue_type.valueType), True)
    if isinstance(glue_type, glue.StructType):
        return spark.StructType([_field(f.name, to_spark(f.dataType)) for f in glue_type])
    if isinstance(glue_type, glue.ChoiceType):
        # What Glue's toDF yields for an unresolved choice (and make_struct produces).
        alternatives = glue_type.sorted_choices()
        return spark.StructType([_field(c.typeName(), to_spark(c)) for c in alternatives])
    raise TypeError(f"no Spark type for {glue_type!r}")


def from_hive(type_string: str) -> spark.DataType:
    """The Spark type of a catalog type string, keeping map key types (Glue's maps cannot)."""
    return _from_node(hive_types.parse(type_string))


def _from_node(node: hive_types.HiveType) -> spark.DataType:
    if node.name == "map":
        key, value = (_from_node(child) for child in node.children)
        return spark.MapType(key, value, True)
    if node.name in ("array", "set"):
        return spark.ArrayType(_from_node(node.children[0]), containsNull=True)
    if node.name == "struct":
        pairs = zip(node.field_names, node.children, strict=True)
        return spark.StructType([_field(name, _from_node(child)) for name, child in pairs])
    # Leaves and choices lose nothing on the way through Glue's types.
    return to_spark(from_hive_node(node))


def _field(name: str, data_type: spark.DataType) -> spark.StructField:
    return spark.StructField(name, data_type, nullable=True)
