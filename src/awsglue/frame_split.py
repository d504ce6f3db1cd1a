"""``split_fields`` and ``split_rows``: one frame into two, by fields or by a row condition.

``split_rows`` takes Glue's ``comparison_dict``: ``{path: {operator: constant, …}, …}``; a
record goes to the first frame when every comparison holds, and to the second otherwise
(including records where a compared field is absent or null, as their comparison is not true).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce
from typing import TYPE_CHECKING, Any

from awsglue import field_paths

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["split_condition", "split_fields", "split_rows"]

_OPERATORS = ("<", ">", "<=", ">=", "=", "==", "!=")


def split_fields(
    frame: DataFrame, paths: Sequence[str], case_sensitive: bool = True
) -> tuple[DataFrame, DataFrame]:
    """(the frame with only ``paths``, the frame without them)."""
    resolved = [
        found
        for found in (
            field_paths.resolve(frame.schema, field_paths.split(p), case_sensitive) for p in paths
        )
        if found is not None
    ]
    return field_paths.select_paths(frame, resolved), field_paths.drop_paths(frame, resolved)


def _comparison(value: Column, operator: str, constant: Any) -> Column:
    from pyspark.sql import functions as F

    literal = F.lit(constant)
    if operator == "<":
        return value < literal
    if operator == ">":
        return value > literal
    if operator == "<=":
        return value <= literal
    if operator == ">=":
        return value >= literal
    if operator in ("=", "=="):
        return value == literal
    return value != literal


def split_condition(frame: DataFrame, comparison_dict: Mapping[str, Any]) -> Column:
    """The condition a record must meet to go to the first frame (never null)."""
    from pyspark.sql import functions as F

    if not isinstance(comparison_dict, Mapping) or not comparison_dict:
        raise ValueError(
            "split_rows needs comparison_dict like {'age': {'>': 10, '<': 20}}, got"
            f" {comparison_dict!r}"
        )
    conditions: list[Column] = []
    for path, comparisons in comparison_dict.items():
        if not isinstance(comparisons, Mapping) or not comparisons:
            raise ValueError(
                f"split_rows: the comparisons for {path!r} must be a dict like {{'>': 10}}"
            )
        found = field_paths.resolve(frame.schema, field_paths.split(str(path)))
        for operator, constant in comparisons.items():
            if operator not in _OPERATORS:
                raise ValueError(
                    f"split_rows: operator {operator!r} for {path!r} is not one of"
                    f" {', '.join(_OPERATORS)}"
                )
            if found is None:
                conditions.append(F.lit(False))  # no record has the field: none matches
            else:
                conditions.append(_comparison(field_paths.column_at(found), operator, constant))
    matched = reduce(lambda left, right: left & right, conditions)
    return F.coalesce(matched, F.lit(False))


def split_rows(frame: DataFrame, comparison_dict: Mapping[str, Any]) -> tuple[DataFrame, DataFrame]:
    """(the records meeting every comparison, the others)."""
    condition = split_condition(frame, comparison_dict)
    return frame.filter(condition), frame.filter(~condition)
