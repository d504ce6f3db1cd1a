"""Glue's ``format`` / ``format_options`` turned into Spark DataFrame reads and writes.

Only the options that mean something to Glue are translated (reference §3.2); their defaults
are Glue's, not Spark's: CSV has no header unless ``withHeader``, columns are then ``col0``,
``col1``…, everything is a string (DynamicFrame reads then type the values, ``csv_choices``),
and a doubled quote inside a quoted field is a quote (RFC 4180) unless ``escaper`` says
otherwise; written CSV has a header unless ``writeHeader`` is false. Writes append, as Glue's
sinks do, and Parquet is snappy-compressed unless ``compression`` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from awsglue import json_lines, s3_io
from awsglue.engine import is_connect_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, DataFrameReader, DataFrameWriter, SparkSession
    from pyspark.sql.types import StructType

__all__ = ["READ_FORMATS", "WRITE_FORMATS", "FormatError", "read_files", "write_files"]

READ_FORMATS = frozenset({"csv", "json", "parquet", "orc", "avro", "xml"})
WRITE_FORMATS = frozenset({"csv", "json", "parquet", "glueparquet", "orc", "avro"})
_UNSUPPORTED_COMPRESSION = frozenset({"lzo"})


class FormatError(ValueError):
    """A format or format option Glue scripts may use but this runtime cannot honour."""


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _normalise(fmt: str | None) -> str:
    name = (fmt or "").strip().lower()
    if not name:
        raise FormatError("a format is needed (csv, json, parquet, orc …)")
    return name


def read_files(
    session: SparkSession,
    paths: Sequence[str],
    fmt: str | None,
    format_options: Mapping[str, Any] | None = None,
    *,
    schema: StructType | None = None,
    recurse: bool = False,
) -> DataFrame:
    """Read ``paths`` (engine-ready paths, see ``awsglue.storage``) in Glue format ``fmt``."""
    name = _normalise(fmt)
    options = dict(format_options or {})
    if name not in READ_FORMATS:
        raise FormatError(f"format {fmt!r} cannot be read; use one of {sorted(READ_FORMATS)}")
    # s3:// on classic Spark without hadoop-aws goes through a Python data source;
    # S3Reader takes the same calls as DataFrameReader (the subset used here).
    reader = cast("DataFrameReader", s3_io.reader_for(session, paths) or session.read)
    if schema is not None:
        reader = reader.schema(schema)
    if recurse:
        reader = reader.option("recursiveFileLookup", "true")
    if name == "csv":
        return _read_csv(reader, list(paths), options, schema is not None)
    if name == "json":
        multi_line = _flag(options.get("multiLine", False))
        if multi_line and is_connect_session(session):
            # Sail 0.7 reads JSON lines only: hand it a JSON-lines copy of the files (those
            # on an S3 endpoint downloaded first).
            paths = json_lines.as_json_lines(s3_io.downloaded_for_sail(paths))
            multi_line = False
        reader = reader.option("multiLine", str(multi_line).lower())
        frame = reader.json(list(paths))
        return _apply_json_path(frame, str(options.get("jsonPath", "") or ""))
    if name == "xml":
        if "rowTag" not in options:
            raise FormatError("format xml needs format_options rowTag")
        reader = reader.option("rowTag", str(options["rowTag"]))
    return reader.format(name).load(list(paths))


def _csv_options(options: Mapping[str, Any]) -> dict[str, str]:
    quote = str(options.get("quoteChar", '"'))
    result = {
        "sep": str(options.get("separator", ",")),
        # quoteChar -1 turns quoting off; Spark spells that as the NUL character.
        "quote": "\u0000" if quote == "-1" else quote,
        "escape": str(options.get("escaper") or ('"' if quote != "-1" else "\\")),
    }
    if "nullValue" in options:
        result["nullValue"] = str(options["nullValue"])
    return result


def _read_csv(reader: Any, paths: list[str], options: Mapping[str, Any], typed: bool) -> DataFrame:
    with_header = _flag(options.get("withHeader", False))
    skip_first = _flag(options.get("skipFirst", False))
    spark_options = {
        **_csv_options(options),
        "header": str(with_header or skip_first).lower(),
        "multiLine": str(_flag(options.get("multiLine", False))).lower(),
        "inferSchema": "false",
    }
    frame: DataFrame = reader.options(**spark_options).csv(paths)
    if typed or with_header:
        return frame
    # Glue names header-less columns col0, col1 … (Spark: _c0, _c1 …); skipFirst drops the
    # first line without taking names from it.
    return frame.toDF(*[f"col{index}" for index in range(len(frame.columns))])


def _apply_json_path(frame: DataFrame, json_path: str) -> DataFrame:
    """Glue's simple JsonPath forms: ``$``, ``$[*]``, ``$.a.b``, ``$.a.b[*]``."""
    from pyspark.sql import functions as F

    path = json_path.strip()
    if path in ("", "$", "$[*]"):
        return frame
    match = re.fullmatch(r"\$((?:\.[A-Za-z_][\w]*|\['[^']+'\])+)(\[\*\])?", path)
    if match is None:
        raise FormatError(f"jsonPath {json_path!r} is not supported; use $.a.b or $.a.b[*]")
    names = re.findall(r"\.([A-Za-z_]\w*)|\['([^']+)'\]", match.group(1))
    column = F.col(".".join(f"`{dotted or quoted}`" for dotted, quoted in names))
    selected = frame.select((F.explode(column) if match.group(2) else column).alias("record"))
    if selected.schema["record"].dataType.typeName() == "struct":
        return selected.select("record.*")
    return selected


def write_files(
    frame: DataFrame,
    path: str,
    fmt: str | None,
    format_options: Mapping[str, Any] | None = None,
    *,
    partition_keys: Sequence[str] = (),
    compression: str | None = None,
) -> None:
    """Append ``frame`` under ``path`` (engine-ready) in Glue format ``fmt``."""
    name = _normalise(fmt)
    options = dict(format_options or {})
    if name not in WRITE_FORMATS:
        raise FormatError(f"format {fmt!r} cannot be written; use one of {sorted(WRITE_FORMATS)}")
    if name == "glueparquet" or (name == "parquet" and _flag(options.get("useGlueParquetWriter"))):
        name = "parquet"
    writer = cast("DataFrameWriter", s3_io.writer_for(frame, path) or frame.write.mode("append"))
    codec = str(options.get("compression") or compression or "").strip().lower()
    if codec in _UNSUPPORTED_COMPRESSION:
        raise FormatError(f"compression {codec!r} is not supported (Glue does not support it)")
    if name == "parquet":
        writer = writer.option("compression", _parquet_codec(codec or "snappy"))
    elif codec and codec != "none":
        writer = writer.option("compression", codec)
    if name == "csv":
        writer = writer.options(
            **_csv_options({k: v for k, v in options.items() if k != "escaper"}),
            header=str(_flag(options.get("writeHeader", True))).lower(),
        )
    if partition_keys:
        missing = [key for key in partition_keys if key not in frame.columns]
        if missing:
            raise FormatError(f"partitionKeys {missing} are not fields of the frame")
        writer = writer.partitionBy(*partition_keys)
    writer.format(name).save(path)


def _parquet_codec(codec: str) -> str:
    return "uncompressed" if codec in ("none", "uncompressed") else codec
