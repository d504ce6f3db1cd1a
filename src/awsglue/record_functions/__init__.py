"""Record functions (``Filter``, ``Map``) as Spark work that does not call Python once per row
when it need not.

API (used by ``DynamicFrame.filter`` / ``Filter.apply`` and ``DynamicFrame.map`` / ``Map.apply``):

``filter_dataframe(df, f, *, record_factory=dict, nulls_absent=False, source=None,
translate=True) -> DataFrame``
    The rows of ``df`` whose record ``f`` finds truthy, with Glue's rules: a record for which
    ``f`` raises KeyError, ValueError or TypeError is dropped; any other exception fails the job
    with a ``RecordFunctionError`` naming ``f`` (Glue would make it an error record: not
    implemented yet). First ``f`` is **translated** into a native SQL condition, which Spark
    runs without Python (and can push into the Parquet reader); when that is not possible the
    function runs **in Python over Arrow batches** (``mapInArrow``, classic and Connect alike;
    only the columns ``f`` reads become Python values when its source shows that it reads the
    record by constant keys alone). Both give exactly the rows the Python function keeps.

``map_dataframe(df, f, *, record_factory=dict, schema=None, sample_size=100) -> DataFrame``
    The records ``f`` returns, over Arrow batches. The output schema is ``schema``, else
    inferred from what ``f`` returns for the first ``sample_size`` rows (types united; see
    ``batches.sample_schema``). A record for which ``f`` raises, or returns None or a
    non-mapping, is dropped for now (it will become an error record). A returned field the
    sample did not show fails the job with a message saying to pass ``schema=``.

``explain_translation(f, schema=None, *, nulls_absent=False, source=None) -> str | None``
    The SQL condition ``filter_dataframe`` would use for ``f`` on a frame with ``schema``
    (Spark SQL text, the same on every engine), or None when ``f`` would run in Python.
    Without a schema, every field is assumed present, nullable, and of the type its use needs.

``translate_filter(f, schema, *, nulls_absent=False, source=None) -> Column | None``
    The translated condition as a Column, for callers that run their own fallback.

Parameters: ``record_factory`` builds the record ``f`` receives from a row dict (nulls as
None, structs and maps as dicts). Translation assumes that the record has the row's fields and
values unchanged, except that with ``nulls_absent=True`` null fields are left out, as Glue's
``DynamicRecord`` (``awsglue.dynamic_record.from_arrow_row``) does: then ``x["f"]`` on a null
raises KeyError (the record is dropped) and ``x.get("f", d)`` gives ``d``. ``source`` is the
function's source text when ``inspect`` cannot find it (a function built by ``eval``); real
scripts never need it.

**What translates** (``lambda x: …`` or a ``def`` whose body is one ``return``): field access
``x["a"]``, ``x["a"]["b"]``, ``x.get("a")``, ``x.get("a", default)``, ``"a" in x``; the
comparisons ``== != < <= > >=`` (chained too), ``is None`` / ``is not None``, ``in`` / ``not
in`` a constant tuple, list or set or a string; ``and``, ``or``, ``not``, ``… if … else …``;
``+ - *`` on numbers, ``/`` by a non-zero constant, ``//`` and ``%`` of integers by a non-zero
constant, ``+`` on strings; ``len()`` of a string, ``isinstance()`` with builtin types; the
string methods ``lower upper strip lstrip rstrip startswith endswith``; constants, and names
bound to immutable constants (parameter defaults, closure cells, globals: read when
``filter_dataframe`` is called). Python's semantics are kept wherever they differ from SQL's:
types come from ``df.schema`` (``"a" == 1`` is False, ``"a" < 1`` a TypeError: dropped, never a
cast), ``!=`` and ``==`` are null-safe where Python's None would differ, NaN compares as in
Python, a missing field drops the record, ``strip()`` removes Python's whitespace, integer
arithmetic is done in 64 bits. Method calls on a value that may be None (AttributeError: not a
dropping error) translate only behind a guard (``x["s"] is not None and x["s"].lower() …``).

**What runs in Python**: calls to other functions (user functions, ``re``, ``datetime``,
``int()``), names bound to mutable objects (a global list), date/decimal/array/map fields
beyond ``is None``, ``True == 1``-style bool/number mixing, division by a field, and any
function whose source cannot be found or no longer matches its bytecode.

Known limits of translation: integer results beyond 64 bits wrap or fail in Spark where
Python's integers grow; ``lower``/``upper`` follow the engine's Unicode case mapping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsglue.record_functions.batches import (
    FilterBatches,
    MapBatches,
    RecordFactory,
    RecordFunctionError,
    describe,
    sample_schema,
)
from awsglue.record_functions.calls import Fields
from awsglue.record_functions.expr import Expr, to_column, to_sql
from awsglue.record_functions.source import fields_read, function_syntax
from awsglue.record_functions.translate import Scope, name_lookup, translate_body
from awsglue.record_functions.values import Untranslatable

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import StructType

__all__ = [
    "RecordFunctionError",
    "explain_translation",
    "filter_dataframe",
    "map_dataframe",
    "translate_filter",
]

log = logging.getLogger("awsglue.record_functions")

_EMPTY_CELL = object()


def filter_dataframe(
    df: DataFrame,
    f: Callable[[Any], Any],
    *,
    record_factory: RecordFactory = dict,
    nulls_absent: bool = False,
    source: str | None = None,
    translate: bool = True,
) -> DataFrame:
    """``df`` filtered by the record function ``f`` (see the module docstring)."""
    if translate:
        condition = _translate(f, df.schema, nulls_absent, source)
        if condition is not None:
            return df.filter(to_column(condition))
    syntax = function_syntax(f, source)
    fields = fields_read(syntax) if syntax is not None else None
    return df.mapInArrow(FilterBatches(f, record_factory, describe(f), fields), df.schema)


def map_dataframe(
    df: DataFrame,
    f: Callable[[Any], Any],
    *,
    record_factory: RecordFactory = dict,
    schema: StructType | None = None,
    sample_size: int = 100,
) -> DataFrame:
    """The records ``f`` makes of ``df``'s records (see the module docstring)."""
    if schema is None:
        schema = sample_schema(df, f, record_factory, sample_size)
    return df.mapInArrow(MapBatches(f, record_factory, describe(f), schema), schema)


def explain_translation(
    f: Callable[[Any], Any],
    schema: StructType | None = None,
    *,
    nulls_absent: bool = False,
    source: str | None = None,
) -> str | None:
    """The SQL condition ``f`` translates to, or None when it runs in Python."""
    condition = _translate(f, schema, nulls_absent, source)
    return None if condition is None else to_sql(condition)


def translate_filter(
    f: Callable[[Any], Any],
    schema: StructType,
    *,
    nulls_absent: bool = False,
    source: str | None = None,
) -> Column | None:
    """The Column ``filter_dataframe`` would filter with, or None."""
    condition = _translate(f, schema, nulls_absent, source)
    return None if condition is None else to_column(condition)


def _translate(
    f: Callable[[Any], Any], schema: StructType | None, nulls_absent: bool, source: str | None
) -> Expr | None:
    name = describe(f)
    syntax = function_syntax(f, source)
    if syntax is None:
        log.info("record function %s runs in Python: its source was not found", name)
        return None
    scope = Scope(syntax.record_arg, _names(f, syntax.defaults), Fields(schema, nulls_absent))
    try:
        condition = translate_body(syntax.body, scope)
    except Untranslatable as reason:
        log.info("record function %s runs in Python: %s", name, reason)
        return None
    except Exception:  # a translator bug must not fail a job that Python can run
        log.warning("record function %s runs in Python: translation failed", name, exc_info=True)
        return None
    log.debug("record function %s runs as the SQL condition %s", name, to_sql(condition))
    return condition


def _names(f: Callable[[Any], Any], defaults: dict[str, Any]) -> Callable[[str], object]:
    code = f.__code__
    closure: dict[str, Any] = {}
    for name, cell in zip(code.co_freevars, getattr(f, "__closure__", None) or (), strict=False):
        try:
            closure[name] = cell.cell_contents
        except ValueError:  # not bound yet: a NameError at call time
            closure[name] = _EMPTY_CELL
    lookup = name_lookup(defaults, closure, getattr(f, "__globals__", {}))

    def resolve(name: str) -> object:
        found = lookup(name)
        if found is _EMPTY_CELL:
            raise Untranslatable(f"the closure variable {name!r} is not bound")
        return found

    return resolve
