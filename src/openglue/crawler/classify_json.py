"""JSON: Glue's built-in JSON classifier and custom JSON classifiers (a JsonPath to records).

A file is JSON when its first non-blank character opens an object or an array and the sample
decodes as one or more JSON documents (JSON Lines, concatenated or pretty-printed objects).
Each object is a record; nested objects become ``struct<…>`` and lists ``array<…>``. As in
Glue, a top-level array without a custom JsonPath is one record with a single ``array`` column;
``$[*]`` in a custom classifier makes each element a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from openglue.crawler.hive_schema import (
    NULL,
    STRING,
    HiveType,
    array_of,
    merge_columns,
    merge_types,
    primitive,
    struct_of,
)
from openglue.crawler.probe import SAMPLE_RECORDS, FileSchema, Probe

__all__ = ["classify_json", "classify_json_path", "json_type", "parse_json_path"]

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"\s*")
_BIGINT_MAX = 2**63 - 1
LONG_RECORD_SAMPLE_BYTES = 10 * 1024 * 1024  # when no record fits in the first 1 MB


def classify_json(probe: Probe) -> FileSchema | None:
    return _classify(probe, None, "")


def classify_json_path(json_path: str, probe: Probe) -> FileSchema | None:
    return _classify(probe, parse_json_path(json_path), json_path)


def _classify(probe: Probe, path: list[str] | None, json_path: str) -> FileSchema | None:
    text = probe.text.lstrip()
    if not text or text[0] not in "{[" or probe.is_binary:
        return None
    columns, records, consumed = _scan(probe.text, path)
    exact = probe.head.complete and consumed >= len(probe.text.rstrip())
    if records == 0 and not probe.head.complete:
        columns, records, consumed = _scan(probe.longer_text(LONG_RECORD_SAMPLE_BYTES), path)
        exact = False
    if records == 0:
        return None
    return FileSchema(
        "json",
        tuple((name.lower(), kind) for name, kind in columns),
        records=records,
        record_bytes=max(1, consumed),
        exact=exact,
        format=(("jsonPath", json_path),) if json_path else (),
    )


def _scan(text: str, path: list[str] | None) -> tuple[list[tuple[str, HiveType]], int, int]:
    """Merged columns of up to 1,000 records, how many, and how much text they took."""
    columns: list[tuple[str, HiveType]] = []
    last: list[tuple[str, HiveType]] = []
    records = consumed = 0
    for document, end in _documents(text):
        consumed = end
        if path is None:
            found: Iterator[Any] = iter(
                (document if isinstance(document, dict) else {"array": document},)
            )
        else:
            found = _select(document, path)
        for record in found:
            row = record if isinstance(record, dict) else {"record": record}
            fields = [(k, json_type(v)) for k, v in row.items()]
            if fields != last:  # most records repeat the previous one's shape
                columns = merge_columns(columns, fields)
                last = fields
            records += 1
            if records >= SAMPLE_RECORDS:
                return columns, records, consumed
    return columns, records, consumed


def _documents(text: str) -> Iterator[tuple[Any, int]]:
    """JSON values one after another, each with where it ends; stops quietly at the cut end
    of a sample."""
    at = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    while at < len(text):
        try:
            value, at = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError:
            return
        yield value, at
        at = _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]


def json_type(value: Any) -> HiveType:
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar
    if isinstance(value, int):  # an int too big for a bigint (bool was matched above)
        return primitive("bigint") if abs(value) <= _BIGINT_MAX else STRING
    if isinstance(value, list):
        kinds = {type(item) for item in value}
        if len(kinds) == 1 and (scalar := _SCALARS.get(kinds.pop())) is not None:
            return _SCALAR_ARRAYS[scalar.kind]  # the common case: a list of one scalar type
        element = NULL
        for item in value:
            element = merge_types(element, json_type(item))
        return array_of(element)
    if isinstance(value, dict):
        return struct_of(_struct_fields(value))
    return STRING


_SCALARS: dict[type, HiveType] = {
    type(None): NULL,
    bool: primitive("boolean"),
    float: primitive("double"),
    str: STRING,
}
_SCALAR_ARRAYS = {kind.kind: array_of(kind) for kind in _SCALARS.values()}


def _struct_fields(value: dict[str, Any]) -> list[tuple[str, HiveType]]:
    fields = [(key, json_type(item)) for key, item in value.items()]
    if len({key.lower() for key in value}) == len(fields):
        return fields
    return merge_columns([], fields)  # keys differing only in case are one Hive field


# A JsonPath is a list of steps: a field name, or "*" for every element / every field.
_STEP = re.compile(r"\.(\*|[^.\[\]]+)|\[(\*|\d+|'[^']*'|\"[^\"]*\")\]")


def parse_json_path(text: str) -> list[str]:
    """Glue's JsonPath subset: ``$``, ``.name``, ``['name']``, ``[*]``, ``.*``, ``[0]``."""
    if not text.startswith("$"):
        raise ValueError(f"a JsonPath starts with '$': {text!r}")
    steps: list[str] = []
    at = 1
    while at < len(text):
        match = _STEP.match(text, at)
        if match is None:
            raise ValueError(f"cannot read JsonPath {text!r} at {text[at:]!r}")
        step = match.group(1) or match.group(2)
        steps.append(step[1:-1] if step[0] in "'\"" else step)
        at = match.end()
    return steps


def _select(value: Any, steps: list[str]) -> Iterator[Any]:
    if not steps:
        yield value
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        items = value.values() if isinstance(value, dict) else value
        if isinstance(items, list) or isinstance(value, dict):
            for item in items:
                yield from _select(item, rest)
    elif isinstance(value, list) and step.isdigit():
        if int(step) < len(value):
            yield from _select(value[int(step)], rest)
    elif isinstance(value, dict) and step in value:
        yield from _select(value[step], rest)
