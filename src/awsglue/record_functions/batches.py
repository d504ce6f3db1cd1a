"""Run a record function in Python over Arrow batches (``mapInArrow``), when SQL cannot.

``mapInArrow`` works the same on classic Spark and on Spark Connect and never touches RDDs.
Each batch (``spark.sql.execution.arrow.maxRecordsPerBatch`` rows, 10,000 by default) is turned
into Python dicts at once (column by column with ``to_pylist``: structs as dicts, maps as
dicts, nulls as None), the caller's ``record_factory`` makes each dict a record, and the
function runs on each.

The functions here are module-level classes so that they pickle by reference to this module
and by value for the user's function (cloudpickle), as the workers need.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType

__all__ = ["FilterBatches", "MapBatches", "RecordFunctionError", "describe", "sample_schema"]

log = logging.getLogger("awsglue.record_functions")

RecordFactory = Callable[[dict[str, Any]], Mapping[str, Any]]
_DROPPING = (KeyError, ValueError, TypeError)


class RecordFunctionError(RuntimeError):
    """A record function failed in a way Glue does not answer by dropping the record."""


def describe(f: Callable[..., Any]) -> str:
    """``name (file:line)`` of a function, for messages."""
    name = getattr(f, "__qualname__", None) or repr(f)
    code = getattr(f, "__code__", None)
    return f"{name} ({code.co_filename}:{code.co_firstlineno})" if code else name


def _rows(batch: Any, only: frozenset[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of an Arrow batch or table as dicts (column by column: 3-4x faster than
    ``RecordBatch.to_pylist``), with only the columns ``only`` names if given."""
    names = [name for name in batch.schema.names if only is None or name in only]
    if not names:
        yield from ({} for _ in range(batch.num_rows))
        return
    columns = [batch.column(name).to_pylist(maps_as_pydicts="lossy") for name in names]
    for values in zip(*columns, strict=True):
        yield dict(zip(names, values, strict=True))


@dataclass(frozen=True)
class FilterBatches:
    """Keeps the rows whose record the function finds truthy; drops the ones it raises
    KeyError, ValueError or TypeError on; fails the job on any other exception."""

    function: Callable[[Any], Any]
    record_factory: RecordFactory
    name: str
    fields: frozenset[str] | None = None  # all the function reads, when known

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            if batch.num_rows:
                keep = [self._keep(row) for row in _rows(batch, self.fields)]
                batch = batch.filter(pa.array(keep, type=pa.bool_()))
            yield batch

    def _keep(self, row: dict[str, Any]) -> bool:
        record = self.record_factory(row)
        try:
            return bool(self.function(record))
        except _DROPPING:
            return False
        except Exception as error:
            raise RecordFunctionError(
                f"the filter function {self.name} raised {type(error).__name__}: {error}"
                " (only KeyError, ValueError and TypeError drop a record; error records for"
                " other exceptions are not implemented yet)"
            ) from error


@dataclass(frozen=True)
class MapBatches:
    """The records the function returns, as rows of ``schema``; a record it raises on or
    returns None (or a non-mapping) for is dropped (to become an error record later)."""

    function: Callable[[Any], Any]
    record_factory: RecordFactory
    name: str
    schema: StructType

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        from awsglue.dynamic_record import to_row

        arrow_schema = to_arrow_schema(self.schema, timezone="UTC")
        names = set(self.schema.names)
        for batch in batches:
            mapped = (_map_one(self.function, self.record_factory, row) for row in _rows(batch))
            results = [result for result in mapped if result is not None]
            for result in results:
                if not names.issuperset(result):
                    extra = sorted(set(result) - names)
                    raise RecordFunctionError(
                        f"the map function {self.name} returned fields {extra} that the records"
                        " sampled to infer the output schema did not have; pass schema= to"
                        " map_dataframe"
                    )
            try:
                rows = [to_row(result, self.schema) for result in results]
                yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as error:
                raise RecordFunctionError(
                    f"the map function {self.name} returned values that do not fit the output"
                    f" schema {self.schema.simpleString()} inferred from a sample: {error};"
                    " pass schema= to map_dataframe"
                ) from error


def _map_one(
    function: Callable[[Any], Any], record_factory: RecordFactory, row: dict[str, Any]
) -> Mapping[str, Any] | None:
    """What ``function`` makes of one row's record; None for a record it drops."""
    try:
        result = function(record_factory(row))
    except Exception as error:  # an error record, later
        log.debug("map function %s dropped a record: %r", describe(function), error)
        return None
    return result if isinstance(result, Mapping) else None


def sample_schema(
    df: DataFrame, function: Callable[[Any], Any], record_factory: RecordFactory, size: int
) -> StructType:
    """The schema of what ``function`` returns for the first ``size`` rows of ``df``.

    Field types are united across the sample (nulls give way, long widens to double, structs
    unite their fields; other conflicts become strings for now). Fields never seen with a
    value are strings. With no usable sample, the input schema is assumed.
    """
    from pyspark.sql.types import StructType

    from awsglue.dynamic_record import infer_type, merge_types

    merged: DataType | None = None
    for row in _rows(df.limit(size).toArrow()):
        result = _map_one(function, record_factory, row)
        if result is not None:
            found = infer_type(dict(result))
            merged = found if merged is None else merge_types(merged, found)
    if not isinstance(merged, StructType):
        return df.schema
    settled: StructType = _without_null_types(merged)
    return settled


def _without_null_types(data_type: DataType) -> Any:
    from pyspark.sql import types as T

    if isinstance(data_type, T.NullType):
        return T.StringType()
    if isinstance(data_type, T.StructType):
        return T.StructType(
            [T.StructField(f.name, _without_null_types(f.dataType), True) for f in data_type]
        )
    if isinstance(data_type, T.ArrayType):
        return T.ArrayType(_without_null_types(data_type.elementType), True)
    return data_type
