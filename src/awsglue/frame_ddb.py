"""``unnest_ddb_json``: DynamoDB JSON (as a DynamoDB export writes it) as plain fields.

An export line is ``{"Item": {"id": {"S": "a"}, "n": {"N": "5"}, "m": {"M": {…}}}}``; the
``Item`` wrapper goes and every typed value becomes its value: ``S``/``B`` → string, ``N`` →
``long`` when every value at that place is an integer, else ``double`` (one aggregation finds
out; numbers inside lists are ``double``), ``BOOL`` → boolean, ``NULL`` → null, ``M`` → struct,
``L`` → array, ``SS``/``BS`` → array of strings, ``NS`` → array of doubles. A field stored with
several DynamoDB types across items becomes a choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_choice import choice_column

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import DataType

__all__ = ["unnest_ddb_json"]

_TAGS = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})
_GLUE_NAMES = {"S": "string", "B": "string", "BOOL": "boolean", "NULL": "null"}


def _is_tagged(data_type: DataType) -> bool:
    from pyspark.sql.types import StructType

    return (
        isinstance(data_type, StructType)
        and bool(data_type.fields)
        and all(f.name in _TAGS for f in data_type.fields)
    )


class _Untagger:
    def __init__(self, integral: dict[str, bool]) -> None:
        self.integral = integral  # path of an N value outside lists → every value is an integer
        self.numbers: list[tuple[str, Column]] = []  # collected on a first, planning walk

    def _element(self, data_type: DataType, path: str) -> Callable[[Column], Column]:
        return lambda element: self.value(data_type, element, path, True)

    def value(self, data_type: DataType, column: Column, path: str, in_list: bool) -> Column:
        from pyspark.sql import functions as F
        from pyspark.sql.types import ArrayType, StructType

        if not _is_tagged(data_type):
            return column
        assert isinstance(data_type, StructType)
        alternatives: dict[str, Column] = {}
        for field in data_type.fields:
            inner = F.when(column.isNotNull(), column.getField(field.name))
            tag, name = field.name, _GLUE_NAMES.get(field.name, "")
            if tag == "N":
                if not in_list:
                    self.numbers.append((path, inner))
                integral = not in_list and self.integral.get(path, False)
                name = "long" if integral else "double"
                inner = inner.try_cast(name if integral else "double")
            elif tag == "M" and isinstance(field.dataType, StructType):
                name = "struct"
                inner = F.when(
                    inner.isNotNull(),
                    F.struct(
                        *[
                            self.value(
                                f.dataType, inner.getField(f.name), f"{path}.{f.name}", in_list
                            ).alias(f.name)
                            for f in field.dataType.fields
                        ]
                    ),
                )
            elif tag == "L" and isinstance(field.dataType, ArrayType):
                name = "array"
                element = field.dataType.elementType
                inner = F.transform(inner, self._element(element, path))
            elif tag in ("SS", "BS", "NS"):
                name = "array"
                inner = inner.cast("array<double>") if tag == "NS" else inner
            elif tag == "NULL":
                continue  # a NULL value is no value
            alternatives[name] = inner
        if len(alternatives) == 1:
            return next(iter(alternatives.values()))
        if not alternatives:
            return F.lit(None).cast("string")
        return choice_column(path, alternatives)


def unnest_ddb_json(frame: DataFrame, unwrap_item: bool = True) -> DataFrame:
    """Untagged values; ``unwrap_item`` lifts the fields of an export's ``Item`` to the top
    (``simplify_ddb_json`` keeps ``Item``, untagging the fields inside it)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    item = frame.columns == ["Item"] and isinstance(frame.schema["Item"].dataType, StructType)
    if item:
        frame = frame.select("Item.*")
    fields = frame.schema.fields

    def columns(untagger: _Untagger) -> list[Column]:
        return [
            untagger.value(f.dataType, field_paths.column_at((f.name,)), f.name, False).alias(
                f.name
            )
            for f in fields
        ]

    planner = _Untagger({})
    columns(planner)
    integral: dict[str, bool] = {}
    if planner.numbers:
        pattern = r"^-?[0-9]+$"
        row = frame.agg(
            *[
                F.min(F.coalesce(number.rlike(pattern), F.lit(True)).cast("int")).alias(str(i))
                for i, (_path, number) in enumerate(planner.numbers)
            ]
        ).collect()[0]
        integral = {path: row[str(i)] == 1 for i, (path, _n) in enumerate(planner.numbers)}
    untagged = frame.select(*columns(_Untagger(integral)))
    if item and not unwrap_item:
        return untagged.select(F.struct(*[F.col(c) for c in untagged.columns]).alias("Item"))
    return untagged
