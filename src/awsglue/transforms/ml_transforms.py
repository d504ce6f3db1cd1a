"""The ``awsglueml`` transforms: FillMissingValues, FindMatches, FindIncrementalMatches.

Glue runs these with machine-learning models it trains and hosts. OpenGlue has no such models:

* ``FillMissingValues`` fills with a statistic instead of a learned model — the mean of a
  numeric field (rounded for integer fields), the most frequent value of any other field — into
  ``output_column`` (default ``<field>_filled``), for records where the field is null or an
  empty string; the field itself is left as it is, as in Glue. One aggregation finds the value.
* ``FindMatches`` / ``FindIncrementalMatches`` need a trained ML transform (``transformId``)
  and raise ``NotImplementedError`` saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsglue import field_paths
from awsglue.transforms.transform import GlueTransform

if TYPE_CHECKING:
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["FillMissingValues", "FindIncrementalMatches", "FindMatches"]

_NO_ML = (
    "{name} needs a machine-learning transform trained by AWS Glue, which OpenGlue does not"
    " have; deduplicate with DataFrame operations (dropDuplicates, a join on normalised keys)"
    " instead"
)


class FillMissingValues(GlueTransform):
    """Fill null or empty values of a field into a new field (mean or most frequent value)."""

    def __call__(
        self,
        frame: DynamicFrame,
        missing_values_column: str,
        output_column: str = "",
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        from pyspark.sql import functions as F
        from pyspark.sql.types import IntegralType, NumericType, StringType

        data = frame.toDF()
        found = field_paths.resolve(data.schema, field_paths.split(missing_values_column))
        if found is None:
            raise ValueError(
                f"FillMissingValues: {missing_values_column!r} is not a field of the frame"
            )
        value = field_paths.column_at(found)
        data_type = field_paths.type_at(data.schema, found)
        missing = value.isNull()
        if isinstance(data_type, StringType):
            missing = missing | (F.trim(value) == "")
        present = data.where(~missing)
        if isinstance(data_type, NumericType):
            mean = present.agg(F.avg(value).alias("m")).collect()[0]["m"]
            fill = F.lit(
                round(mean) if isinstance(data_type, IntegralType) and mean is not None else mean
            )
        else:
            top = present.groupBy(value.alias("v")).count().orderBy(F.desc("count"), "v").limit(1)
            rows = top.collect()
            fill = F.lit(rows[0]["v"] if rows else None)
        target = output_column or f"{'.'.join(found)}_filled"
        filled = F.when(missing, fill.cast(data_type)).otherwise(value)
        return frame._derive(data.select("*", filled.alias(target)))


class FindMatches(GlueTransform):
    """Find matching records with a trained ML transform (not available in OpenGlue)."""

    def __call__(self, frame: DynamicFrame, transformId: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(_NO_ML.format(name="FindMatches"))


class FindIncrementalMatches(GlueTransform):
    """Match new records against existing ones with a trained ML transform (not available)."""

    def __call__(
        self,
        existingFrame: DynamicFrame,
        incrementalFrame: DynamicFrame,
        transformId: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        raise NotImplementedError(_NO_ML.format(name="FindIncrementalMatches"))
