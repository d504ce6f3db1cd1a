"""CSV, JSON and Parquet files as Arrow data, with Spark's reading options and defaults.

The options are the Spark option names ``awsglue.formats`` already sets (``sep``, ``quote``,
``escape``, ``header``, ``multiLine``, ``nullValue``, ``compression``), so a Glue script's
``format_options`` mean the same here as on Spark's own file sources. Reads stream: CSV and
Parquet are read batch by batch; a JSON file is parsed whole.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyarrow.fs import FileSystem

__all__ = ["SUPPORTED", "infer_schema", "read_batches", "write_table"]

SUPPORTED = frozenset({"csv", "json", "parquet"})
_PARQUET_CODECS = {"none": None, "uncompressed": None, "snappy": "snappy", "gzip": "gzip"}
_PARQUET_CODECS |= {"zstd": "zstd", "lz4": "lz4", "brotli": "brotli"}
_PARQUET_SUFFIXES = {"snappy": ".snappy", "gzip": ".gz", "zstd": ".zstd", "lz4": ".lz4"}
_STREAM_CODECS = {"gzip": ("gzip", ".gz"), "bzip2": ("bz2", ".bz2"), "zstd": ("zstd", ".zst")}


def _flag(options: Mapping[str, str], name: str) -> bool:
    return str(options.get(name, "false")).strip().lower() == "true"


def _lowered(options: Mapping[str, str]) -> dict[str, str]:
    """Option names as Spark treats them: without regard to case (it lowercases them)."""
    return {key.lower(): value for key, value in options.items()}


def _csv_parse(options: Mapping[str, str]) -> Any:
    import pyarrow.csv as pacsv

    quote = options.get("quote", '"')
    escape = options.get("escape", "\\")
    quoting = quote not in ("", "\u0000")
    return pacsv.ParseOptions(
        delimiter=options.get("sep", ","),
        quote_char=quote if quoting else False,
        double_quote=quoting and escape == quote,
        escape_char=escape if quoting and escape != quote else False,
        newlines_in_values=_flag(options, "multiline"),
    )


def _csv_convert(names: Sequence[str], options: Mapping[str, str]) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        null_values=[options.get("nullvalue", "")],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,  # Spark: "" quoted is an empty string, not null
    )


def _open(fs: FileSystem, path: str) -> Any:
    return fs.open_input_stream(path, compression="detect")


def infer_schema(
    fs: FileSystem, paths: Sequence[str], fmt: str, options: Mapping[str, str]
) -> pa.Schema:
    """The Arrow schema Spark would give these files (CSV: all strings; JSON: the first few
    files' fields, sorted as Spark sorts them; Parquet: the first file's schema)."""
    options = _lowered(options)
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "parquet":
        with fs.open_input_file(paths[0]) as handle:
            return pq.read_schema(handle)
    if fmt == "csv":
        with _open(fs, paths[0]) as stream:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(autogenerate_column_names=True),
                parse_options=_csv_parse(options),
            )
            first = reader.schema.names
            try:
                batch = reader.read_next_batch() if _flag(options, "header") else None
            except StopIteration:  # a file with no lines at all
                batch = None
        if batch is not None and batch.num_rows:
            names = [str(value) for value in batch.slice(0, 1).to_pylist()[0].values()]
        else:
            names = [f"_c{index}" for index in range(len(first))]
        return pa.schema([pa.field(name, pa.string()) for name in names])
    schemas = [_json_table(fs, path, options).schema for path in paths[:8]]
    return _spark_json_schema(pa.unify_schemas(schemas, promote_options="permissive"))


def _spark_json_schema(schema: pa.Schema) -> pa.Schema:
    import pyarrow as pa

    def fix(kind: pa.DataType) -> pa.DataType:
        if pa.types.is_struct(kind):
            fields = sorted((kind.field(i) for i in range(kind.num_fields)), key=lambda f: f.name)
            return pa.struct([pa.field(f.name, fix(f.type)) for f in fields])
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return pa.list_(fix(kind.value_type))
        if pa.types.is_timestamp(kind) or pa.types.is_null(kind):
            return pa.string()  # Spark leaves timestamp-like text as text (inferTimestamp off)
        return kind

    return pa.schema([pa.field(f.name, fix(f.type)) for f in sorted(schema, key=lambda f: f.name)])


def _json_table(
    fs: FileSystem, path: str, options: Mapping[str, str], schema: Any = None
) -> pa.Table:
    import pyarrow as pa
    import pyarrow.json as pajson

    if _flag(options, "multiline"):
        with _open(fs, path) as stream:
            document = json.loads(stream.read())
        records = document if isinstance(document, list) else [document]
        return pa.Table.from_pylist(records, schema=schema)
    parse = pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    with _open(fs, path) as stream:
        return pajson.read_json(stream, parse_options=parse if schema is not None else None)


def read_batches(
    fs: FileSystem, path: str, fmt: str, options: Mapping[str, str], schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """The file's rows as batches with ``schema``'s data columns (by position for CSV, by name
    otherwise); columns the file lacks are null."""
    options = _lowered(options)
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "csv":
        names = list(schema.names)
        read = pacsv.ReadOptions(column_names=names, skip_rows=1 if _flag(options, "header") else 0)
        with _open(fs, path) as stream:
            reader = pacsv.open_csv(
                stream,
                read_options=read,
                parse_options=_csv_parse(options),
                convert_options=_csv_convert(names, options),
            )
            for batch in reader:
                yield conform(batch, schema)
        return
    if fmt == "parquet":
        with fs.open_input_file(path) as handle:
            for batch in pq.ParquetFile(handle).iter_batches():
                yield conform(batch, schema)
        return
    text_schema = pa.schema([pa.field(f.name, f.type) for f in schema])
    for batch in _json_table(fs, path, options, text_schema).to_batches():
        yield conform(batch, schema)


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    import pyarrow as pa

    arrays = []
    for field in schema:
        index = batch.schema.get_field_index(field.name)
        if index < 0:
            arrays.append(pa.nulls(batch.num_rows, field.type))
        else:
            arrays.append(batch.column(index).cast(field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_table(
    fs: FileSystem, folder: str, name: str, table: pa.Table, fmt: str, options: Mapping[str, str]
) -> str:
    """Write ``table`` as one file in ``folder``; returns its path."""
    options = _lowered(options)
    import pyarrow as pa
    import pyarrow.parquet as pq

    codec = str(options.get("compression", "") or "").strip().lower()
    if fmt == "parquet":
        codec = codec or "snappy"
        if codec not in _PARQUET_CODECS:
            raise ValueError(f"Parquet compression {codec!r} is not supported")
        path = f"{folder}/{name}{_PARQUET_SUFFIXES.get(codec, '')}.parquet"
        with fs.open_output_stream(path) as out:
            pq.write_table(table, out, compression=_PARQUET_CODECS[codec] or "none")
        return path
    stream_codec, suffix = _STREAM_CODECS.get(codec, (None, ""))
    if codec not in ("", "none", "uncompressed") and stream_codec is None:
        raise ValueError(f"{fmt} compression {codec!r} is not supported")
    path = f"{folder}/{name}.{fmt}{suffix}"
    with fs.open_output_stream(path, compression=None) as raw:  # no 2nd gzip by extension
        out = pa.CompressedOutputStream(raw, stream_codec) if stream_codec else raw
        if fmt == "csv":
            # Written here rather than by pyarrow, which quotes every string: Spark quotes only
            # what needs it, and writes an empty string as "" and a null as nothing.
            sep = options.get("sep", ",")
            if _flag({"h": options.get("header", "true")}, "h"):
                out.write((sep.join(_csv_text(n, sep) for n in table.column_names) + "\n").encode())
            for batch in table.to_batches():
                lines = (
                    sep.join(_csv_value(value, sep) for value in row.values()) + "\n"
                    for row in batch.to_pylist()
                )
                out.write("".join(lines).encode())
        else:
            for row in table.to_pylist():
                line = {k: v for k, v in row.items() if v is not None}  # Spark drops nulls
                out.write((json.dumps(line, default=str) + "\n").encode())
        if stream_codec:
            out.close()
    return path


def _csv_text(value: str, sep: str) -> str:
    if any(c in value for c in (sep, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_value(value: Any, sep: str) -> str:
    if value is None:
        return ""
    if value == "":
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        stamp = value.astimezone(datetime.UTC) if value.tzinfo else value
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _csv_text(str(value), sep)
