"""A frame's schema as Glue types, and ``toDF`` resolve options (see the choice-type design in
``awsglue.dynamicframe``): a struct column tagged ``{"openglue.choice": true}`` in its field
metadata is a ``ChoiceType`` whose alternatives are its fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType

    from awsglue import gluetypes

__all__ = ["CHOICE_METADATA_KEY", "ResolveOption", "glue_type", "resolve_for_df"]

CHOICE_METADATA_KEY = "openglue.choice"


class ResolveOption:
    """A ``toDF`` option for a choice field: ``KeepAsStruct``, ``Project`` (with a Spark
    ``target`` type) or ``Cast``."""

    def __init__(self, path: str, action: str, target: DataType | None = None) -> None:
        if action not in ("KeepAsStruct", "Project", "Cast"):
            raise ValueError(
                f"ResolveOption action must be KeepAsStruct, Project or Cast: {action}"
            )
        if action in ("Project", "Cast") and target is None:
            raise ValueError(f"ResolveOption {action} needs a target type")
        self.path = path
        self.action = action
        self.target = target


def glue_type(
    spark_type: DataType, metadata: Mapping[str, Any] | None = None
) -> gluetypes.DataType:
    """The Glue type of a DataFrame type, with tagged structs shown as choices."""
    from pyspark.sql.types import ArrayType, StructType

    from awsglue import gluetypes

    if isinstance(spark_type, StructType):
        if metadata and metadata.get(CHOICE_METADATA_KEY):
            choice = gluetypes.ChoiceType()
            choice.merge([glue_type(f.dataType) for f in spark_type.fields])
            return choice
        return gluetypes.StructType(
            gluetypes.Field(f.name, glue_type(f.dataType, f.metadata)) for f in spark_type.fields
        )
    if isinstance(spark_type, ArrayType):
        return gluetypes.ArrayType(glue_type(spark_type.elementType))
    return gluetypes.from_spark(spark_type)


def resolve_for_df(frame: DataFrame, options: Sequence[ResolveOption]) -> DataFrame:
    """Apply ``toDF`` ResolveOptions, as Glue converts them to resolveChoice specs:
    ``KeepAsStruct`` → ``make_struct``, ``Project`` → ``project:<type>``, ``Cast`` →
    ``cast:<type>`` (see ``awsglue.frame_choice``)."""
    from awsglue.frame_choice import resolve_choice

    specs = []
    for option in options:
        if option.action == "KeepAsStruct":
            specs.append((option.path, "make_struct"))
        elif option.target is not None:
            verb = "project" if option.action == "Project" else "cast"
            specs.append((option.path, f"{verb}:{option.target.simpleString()}"))
    return resolve_choice(frame, specs, "") if specs else frame
