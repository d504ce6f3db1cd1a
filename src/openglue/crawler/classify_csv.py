"""Delimited text: Glue's built-in CSV classifier and custom CSV classifiers.

Built-in rules (Glue's developer guide, "Built-in CSV classifier"): the delimiter is one of
comma, pipe, tab, semicolon or Ctrl-A (tried in that order; the first that splits every sampled
row into the same number of columns wins); at least two columns and two rows; the first row is
a header only when every cell of it reads as a string, is shorter than 150 characters (the last
may be empty, for a trailing delimiter), and some data column is not a string. Without a header
columns are named ``col0``, ``col1``…
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from openglue.crawler.hive_schema import NULL, STRING, HiveType, primitive
from openglue.crawler.plan import CsvClassifierSpec
from openglue.crawler.probe import SAMPLE_RECORDS, FileSchema, Probe
from openglue.crawler.text_types import column_type, text_type

__all__ = ["classify_csv", "classify_custom_csv", "line_counts"]

_DELIMITERS = (",", "|", "\t", ";", "\x01")
_HEADER_CELL_MAX = 150
_NAME = re.compile(r"[^\x00-\x1f\x7f]+\Z")  # printable: Hive accepts any other character
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?\Z")


def classify_csv(probe: Probe) -> FileSchema | None:
    if probe.is_binary or len(probe.lines) < 2:
        return None
    delimiter = _pick_delimiter(probe.lines)
    if delimiter is None:
        return None
    rows = _rows(probe.text, delimiter, '"', trim=True)
    if rows is None or len(rows) < 2:
        return None
    header = _looks_like_header(rows)
    return _schema(probe, rows, delimiter, '"', header, serde=None)


def classify_custom_csv(spec: CsvClassifierSpec, probe: Probe) -> FileSchema | None:
    if probe.is_binary or not probe.lines:
        return None
    rows = _rows(probe.text, spec.delimiter, spec.quote_symbol, not spec.disable_value_trimming)
    minimum = 1 if spec.allow_single_column else 2
    if rows is None or len(rows[0]) < minimum:
        return None
    if spec.header and len(spec.header) != len(rows[0]):
        return None  # the declared header does not fit this file: not ours
    if spec.contains_header == "PRESENT":
        header = True
    elif spec.contains_header == "ABSENT":
        header = False
    else:
        header = _looks_like_header(rows)
    names = spec.header if spec.header else None
    extra = frozenset(spec.custom_datatypes) if spec.custom_datatype_configured else frozenset()
    return _schema(probe, rows, spec.delimiter, spec.quote_symbol, header, spec.serde, names, extra)


def _pick_delimiter(lines: Sequence[str]) -> str | None:
    probe_lines = lines[:20]
    for delimiter in _DELIMITERS:
        if delimiter not in probe_lines[0]:
            continue
        widths = {len(row) for row in csv.reader(probe_lines, delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return delimiter
    return None


def _rows(text: str, delimiter: str, quote: str, trim: bool) -> list[list[str]] | None:
    """The sampled rows (a header and up to 1,000 records), or None when they are ragged."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows.append([cell.strip() for cell in row] if trim else row)
            if len(rows) > SAMPLE_RECORDS:
                break
    except csv.Error:
        return None
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        return None
    return rows


def _looks_like_header(rows: list[list[str]]) -> bool:
    first, last = rows[0], len(rows[0]) - 1
    for index, cell in enumerate(first):
        if index == last and not cell:
            continue  # a trailing delimiter leaves the last header cell empty
        if text_type(cell) is not STRING or not _NAME.match(cell):
            return False
        if index != last and len(cell) >= _HEADER_CELL_MAX:
            return False
    return any(kind not in (STRING, NULL) for kind in _column_types(rows[1:], len(first)))


def _column_types(rows: Sequence[Sequence[str]], width: int) -> list[HiveType]:
    if not rows:
        return [NULL] * width
    return [column_type(list(values)) for values in zip(*rows, strict=True)]


def _schema(
    probe: Probe,
    rows: list[list[str]],
    delimiter: str,
    quote: str,
    header: bool,
    serde: str | None,
    names: Sequence[str] | None = None,
    declared: frozenset[str] = frozenset(),
) -> FileSchema:
    data = rows[1:] if header else rows
    width = len(rows[0])
    if names is None:
        names = _header_names(rows[0]) if header else [f"col{i}" for i in range(width)]
    types = _column_types(data, width)
    if declared:
        types = [_declared_type(t, [row[i] for row in data], declared) for i, t in enumerate(types)]
    lines, size = line_counts(probe)
    quoted = _is_quoted(probe.text, delimiter, quote)
    return FileSchema(
        "csv",
        tuple(zip(names, types, strict=True)),
        records=max(0, lines - (1 if header else 0)),
        record_bytes=size,
        exact=probe.head.complete,
        format=(
            ("delimiter", delimiter),
            ("header", "1" if header else "0"),
            ("quote", quote),
            ("serde", serde or ""),
        ),
        extras=(("quoted", "true" if quoted else "false"),),
    )


def _header_names(cells: Sequence[str]) -> list[str]:
    names: list[str] = []
    for index, cell in enumerate(cells):
        name = cell.strip().lower() or f"col{index}"
        base, suffix = name, 1
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


def _declared_type(inferred: HiveType, values: list[str], declared: frozenset[str]) -> HiveType:
    """Custom CSV classifiers may declare DATE and TIMESTAMP columns, which Glue's built-in
    CSV inference leaves as strings."""
    present = [v for v in values if v.strip()]
    if inferred is not STRING or not present:
        return inferred
    if "DATE" in declared and all(_DATE.match(v) for v in present):
        return primitive("date")
    if "TIMESTAMP" in declared and all(_TIMESTAMP.match(v) for v in present):
        return primitive("timestamp")
    return inferred


def _is_quoted(text: str, delimiter: str, quote: str) -> bool:
    return text.startswith(quote) or (delimiter + quote) in text or ("\n" + quote) in text


def line_counts(probe: Probe) -> tuple[int, int]:
    """Lines in the sample and the bytes they take (for record counts and sizes)."""
    data = probe.head.data
    if not probe.head.complete:
        data = data[: data.rfind(b"\n") + 1] or data
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return lines, len(data)
