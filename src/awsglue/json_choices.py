"""Choice types for JSON read into a DynamicFrame: a field whose records disagree on its type.

Spark's JSON inference settles such a field as ``string`` (holding the raw text of numbers and
booleans), which loses what Glue shows as ``choice``. Finding the choices stays columnar, on the
engine, with no Python per record:

1. Candidates are the top-level fields Spark inferred as ``string`` (every conflict lands there)
   where some value looks like a JSON number or boolean — one aggregation over the read finds
   them; a field of plain strings costs no more than that.
2. The same files are read again as text lines, and each line is parsed with ``from_json``
   under probe schemas that type the candidates ``bigint``, ``double`` and ``boolean``: a JSON
   number or boolean parses under its probe, a JSON string under none of them.
3. One aggregation tells which kinds each candidate holds; a candidate with several becomes a
   tagged choice column (alternatives ``long``, ``double``, ``boolean``, ``string``), and the
   frame is rebuilt from the text lines with Spark's inferred schema for the other fields.

Limits, documented in docs/dynamicframe.md: only top-level fields; objects and arrays mixed with
scalars stay in the ``string`` alternative as JSON text; numbers mixed with numbers widen as
Spark does (``long`` and ``double`` → ``double``); reads with Hive-style partition folders, a
``jsonPath`` or a push-down predicate, and multi-line files that are not local keep Spark's
inferred types.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import reduce
from typing import TYPE_CHECKING, Any

from awsglue import field_paths, json_lines
from awsglue.engine import is_connect_session
from awsglue.frame_choice import choice_column

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["with_json_choices"]

log = logging.getLogger("awsglue.json_choices")

_TYPED_TEXT = r"^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false)$"
# (alternative, probe type, the raw text a value of that kind has)
_PROBES = (
    ("long", "bigint", r"^-?(0|[1-9][0-9]*)$"),
    ("double", "double", r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"),
    ("boolean", "boolean", r"^(true|false)$"),
)


def _readable_lines(session: SparkSession, frame: DataFrame, multi_line: bool) -> list[str] | None:
    """The files to read as JSON lines, or None when choices cannot be found for this read."""
    files = list(frame.inputFiles())
    if not files:
        return None
    partition_keys = {key for path in files for key in re.findall(r"/([^/=]+)=[^/]*/", path)} & set(
        frame.columns
    )
    if partition_keys or "_corrupt_record" in frame.columns:
        return None
    if multi_line and not is_connect_session(session):
        # Connect engines were already handed JSON-lines copies (see ``formats.read_files``).
        files = json_lines.as_json_lines(files)
        if any("://" in f.removeprefix("file://") for f in files):
            return None
    return files


def with_json_choices(
    session: SparkSession, frame: DataFrame, format_options: Mapping[str, Any]
) -> DataFrame:
    """``frame`` (a JSON read with ``format_options``) with choice columns where records
    disagree on a field's type. Reads whose records are not the files' lines — a ``jsonPath``
    into the documents — keep Spark's types, as do reads a push-down predicate filtered (the
    caller skips those)."""
    if str(format_options.get("jsonPath", "") or "").strip() not in ("", "$", "$[*]"):
        return frame
    multi_line = str(format_options.get("multiLine", "")).strip().lower() == "true"
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    strings = [f.name for f in frame.schema.fields if isinstance(f.dataType, StringType)]
    if not strings:
        return frame
    files = _readable_lines(session, frame, multi_line)
    if files is None:
        log.info("choice types not computed for this JSON read (partitioned or remote)")
        return frame
    # Parsed from the text lines with ``from_json`` rather than read with the JSON reader: the
    # same result, except that Sail 0.7's reader fails on a number in a field it typed string.
    records = session.read.text(files).select(
        "value", F.from_json("value", frame.schema.simpleString()).alias("r")
    )
    records = records.filter(F.col("r").isNotNull())
    # A conflict leaves the raw text of numbers and booleans in the string field; a field
    # where no value looks like one holds strings only and needs no probing.
    looks_typed = records.agg(
        *[
            F.max(F.col("r").getField(name).rlike(_TYPED_TEXT).cast("int")).alias(str(i))
            for i, name in enumerate(strings)
        ]
    ).collect()[0]
    candidates = [name for i, name in enumerate(strings) if looks_typed[str(i)]]
    if not candidates:
        return frame

    # A probe parse that fails is costly on classic Spark (an exception per record), so a line
    # is probed for a kind only when some candidate's raw text has that kind's shape.
    def shaped(pattern: str) -> Column:
        tests = [F.col("r").getField(name).rlike(pattern) for name in candidates]
        return F.coalesce(reduce(lambda left, right: left | right, tests), F.lit(False))

    parsed = records.select(
        "r",
        *[
            F.when(
                shaped(pattern),
                F.from_json(
                    "value", ", ".join(f"{field_paths.quote(c)} {sql}" for c in candidates)
                ),
            ).alias(f"p_{kind}")
            for kind, sql, pattern in _PROBES
        ],
    )

    def alternatives(name: str) -> dict[str, Column]:
        raw = F.col("r").getField(name)
        probe = {
            kind: F.when(raw.rlike(pattern), F.col(f"p_{kind}").getField(name))
            for kind, _sql, pattern in _PROBES
        }
        typed = probe["long"].isNotNull() | probe["double"].isNotNull()
        return {
            "long": probe["long"],
            "double": F.when(probe["long"].isNull(), probe["double"]),
            "boolean": probe["boolean"],
            "string": F.when(~(typed | probe["boolean"].isNotNull()), raw),
        }

    seen_columns = [
        F.max(value.isNotNull().cast("int")).alias(f"{index}:{kind}")
        for index, name in enumerate(candidates)
        for kind, value in alternatives(name).items()
    ]
    seen_row = parsed.agg(*seen_columns).collect()[0].asDict()
    choices: dict[str, dict[str, Column]] = {}
    for index, name in enumerate(candidates):
        kinds = {k: v for k, v in alternatives(name).items() if seen_row[f"{index}:{k}"]}
        if len(kinds) > 1:
            choices[name] = kinds
    if not choices:
        return frame
    columns = [
        choice_column(name, choices[name])
        if name in choices
        else F.col("r").getField(name).alias(name)
        for name in frame.columns
    ]
    return parsed.select(*columns)
