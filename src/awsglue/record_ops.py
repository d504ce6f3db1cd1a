"""Record functions (``Filter``, ``Map``) run over a DataFrame, with Glue's error semantics.

The records travel in Arrow batches (``mapInArrow``), so the Python function is called once
per record but the data crosses into Python a batch at a time, on classic Spark and on Spark
Connect alike. Glue's rules:

- ``filter``: a record for which the function raises ``KeyError``, ``ValueError`` or
  ``TypeError`` (a missing or odd field) is dropped; any other exception makes the record an
  error record.
- ``map``: a record for which the function raises, or returns something that is not a record,
  becomes an error record. The output schema is inferred from the records the function returns
  (one extra pass over the input: the function runs twice per record, so it must not depend on
  side effects).

Error records do not stop the job; they are kept, lazily, as a DataFrame with the columns
``errorMessage``, ``errorStage`` and ``record`` (the input record as JSON), which
``DynamicFrame.errorsAsDynamicFrame()`` exposes. Nothing is computed for them unless asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from awsglue.dynamic_record import from_arrow_row, infer_type, merge_types, to_json, to_row
from awsglue.field_paths import quote

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["ERROR_COLUMNS", "StageResult", "filter_records", "map_records"]

_ERROR = "__openglue_error__"
_INPUT = "__openglue_input__"
_SCHEMA = "__openglue_schema__"
ERROR_COLUMNS = ("errorMessage", "errorStage", "record")
_DROPPING = (KeyError, ValueError, TypeError)

RecordFunction = Callable[[Any], Any]


@dataclass(frozen=True)
class StageResult:
    frame: DataFrame
    errors: DataFrame | None  # error records of this stage, not yet computed


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _filter_batches(
    predicate: RecordFunction,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            keep: list[bool] = []
            errors: list[str | None] = []
            for row in batch.to_pylist():
                try:
                    keep.append(bool(predicate(from_arrow_row(row))))
                    errors.append(None)
                except _DROPPING:
                    keep.append(False)
                    errors.append(None)
                except Exception as error:  # Glue: an error record, the job goes on
                    keep.append(True)
                    errors.append(_describe(error))
            marked = batch.append_column(_ERROR, pa.array(errors, pa.string()))
            yield marked.filter(pa.array(keep, pa.bool_()))

    return run


def _split(marked: DataFrame, stage: str, data_columns: list[str]) -> StageResult:
    from pyspark.sql import functions as F

    good = marked.filter(F.col(_ERROR).isNull()).select(*[F.col(quote(c)) for c in data_columns])
    failed = marked.filter(F.col(_ERROR).isNotNull())
    if _INPUT in marked.columns:
        record = F.col(_INPUT)
    else:
        record = F.to_json(F.struct(*[F.col(quote(c)) for c in data_columns]))
    errors = failed.select(
        F.col(_ERROR).alias("errorMessage"),
        F.lit(stage).alias("errorStage"),
        record.alias("record"),
    )
    return StageResult(good, errors)


def filter_records(frame: DataFrame, predicate: RecordFunction, stage: str) -> StageResult:
    """The records of ``frame`` for which ``predicate(record)`` is true."""
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([*frame.schema.fields, StructField(_ERROR, StringType(), True)])
    marked = frame.mapInArrow(_filter_batches(predicate), schema)
    return _split(marked, stage, frame.columns)


def _apply(function: RecordFunction, row: Mapping[str, Any]) -> tuple[Any, str | None]:
    try:
        result = function(from_arrow_row(row))
    except Exception as error:
        return None, _describe(error)
    if not isinstance(result, Mapping):
        return None, f"the map function returned {type(result).__name__}, not a record"
    return result, None


def _schema_batches(
    function: RecordFunction,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.types import NullType, StructType

        merged: Any = NullType()
        for batch in batches:
            for row in batch.to_pylist():
                result, error = _apply(function, row)
                if error is None:
                    merged = merge_types(merged, infer_type(result))
        text = merged.json() if isinstance(merged, StructType) else ""
        yield pa.RecordBatch.from_pylist([{_SCHEMA: text}])

    return run


def _map_batches(
    function: RecordFunction, schema: StructType, arrow_schema: pa.Schema
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            rows: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                result, error = _apply(function, row)
                if error is None:
                    try:
                        rows.append({**to_row(result, schema), _ERROR: None, _INPUT: None})
                        continue
                    except (TypeError, ValueError) as conversion:
                        error = _describe(conversion)
                rows.append({_ERROR: error, _INPUT: to_json(from_arrow_row(row))})
            yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)

    return run


def output_schema(frame: DataFrame, function: RecordFunction) -> StructType:
    """The schema of the records ``function`` returns over ``frame`` (runs it once)."""
    from pyspark.sql.types import DataType, NullType, StringType, StructField, StructType

    probe_schema = StructType([StructField(_SCHEMA, StringType(), True)])
    merged: DataType = NullType()
    for row in frame.mapInArrow(_schema_batches(function), probe_schema).collect():
        if row[_SCHEMA]:
            merged = merge_types(merged, StructType.fromJson(json.loads(row[_SCHEMA])))
    return merged if isinstance(merged, StructType) else StructType([])


def map_records(frame: DataFrame, function: RecordFunction, stage: str) -> StageResult:
    """The records ``function(record)`` returns for each record of ``frame``."""
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StringType, StructField, StructType

    schema = output_schema(frame, function)
    extra = [StructField(_ERROR, StringType(), True), StructField(_INPUT, StringType(), True)]
    full = StructType([StructField(f.name, f.dataType, True) for f in schema.fields] + extra)
    zone = frame.sparkSession.conf.get("spark.sql.session.timeZone") or "UTC"
    arrow_schema = to_arrow_schema(full, timezone=zone)
    marked = frame.mapInArrow(_map_batches(function, schema, arrow_schema), full)
    return _split(marked, stage, [f.name for f in schema.fields])
