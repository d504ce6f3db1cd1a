"""Which way an ``s3://`` read or write goes on the engine at hand, and the jar-free way itself.

- Sail (and other Spark Connect engines) read and write ``s3://`` natively: only the process
  environment is prepared (``awsglue.s3_config.prepare_sail``).
- Classic Spark with the hadoop-aws jars on its classpath uses s3a, pointed at the endpoint.
- Classic Spark without them gets ``S3Reader`` / ``S3Writer``: stand-ins for Spark's
  ``DataFrameReader`` / ``DataFrameWriter`` that take the same calls ``awsglue.formats`` makes
  (``option``, ``schema``, ``csv``, ``partitionBy``, ``save`` …) and run them through the Python
  data source of ``awsglue.s3_datasource``. The Glue-level behaviour (format options, column
  names, partition folders) therefore stays in one place, ``awsglue.formats``.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from awsglue import s3_files, s3_formats, storage
from awsglue.engine import is_connect_session
from awsglue.s3_config import S3Config, prepare_sail, s3a_ready

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

__all__ = ["S3Reader", "S3Writer", "downloaded_for_sail", "reader_for", "writer_for"]

_registered: set[int] = set()
_downloads: list[str] = []


def _jar_free(session: SparkSession, addresses: Sequence[str]) -> S3Config | None:
    """The endpoint, when ``addresses`` need the Python data source on this session."""
    if not any(storage.is_s3(address) for address in addresses):
        return None
    config = S3Config.from_env()
    if config is None:
        return None  # resolved to embedded buckets already; an s3:// here is the user's own
    if is_connect_session(session):
        prepare_sail(config)
        return None
    if s3a_ready(session, config):
        return None
    if id(session) not in _registered:
        from awsglue.s3_datasource import S3FilesDataSource

        session.dataSource.register(S3FilesDataSource)
        _registered.add(id(session))
    return config


def reader_for(session: SparkSession, paths: Sequence[str]) -> S3Reader | None:
    config = _jar_free(session, paths)
    return None if config is None else S3Reader(session, config)


def writer_for(frame: DataFrame, path: str) -> S3Writer | None:
    config = _jar_free(frame.sparkSession, [path])
    return None if config is None else S3Writer(frame, config)


def downloaded_for_sail(paths: Sequence[str]) -> list[str]:
    """Local copies of the ``s3://`` files among ``paths`` (the others as they are), for
    multi-line JSON on Sail, which reads JSON lines only: ``awsglue.json_lines`` then converts
    them as it converts local files. The copies live until the process exits."""
    config = S3Config.from_env()
    if config is None or not any(storage.is_s3(path) for path in paths):
        return list(paths)
    if not _downloads:
        atexit.register(_remove_downloads)
    fs = config.filesystem()
    local: list[str] = []
    for address in paths:
        if not storage.is_s3(address):
            local.append(address)
            continue
        target = Path(tempfile.mkdtemp(prefix="openglue-s3-json-"))
        _downloads.append(str(target))
        root = s3_files.fs_path(address).rstrip("/")
        files = s3_files.discover(fs, [address], recurse=True)
        single = len(files) == 1 and files[0].path == root
        for data_file in files:
            relative = PurePosixPath(root).name if single else data_file.path[len(root) + 1 :]
            copy = target / relative.removesuffix(".gz").removesuffix(".bz2")
            copy.parent.mkdir(parents=True, exist_ok=True)
            with fs.open_input_stream(data_file.path, compression="detect") as stream:
                copy.write_bytes(stream.read())
        local.append(str(target / PurePosixPath(root).name) if single else str(target))
    return local


def _remove_downloads() -> None:
    while _downloads:
        shutil.rmtree(_downloads.pop(), ignore_errors=True)


class S3Reader:
    """The subset of ``DataFrameReader`` that ``awsglue.formats`` uses, for ``s3://`` files."""

    def __init__(self, session: SparkSession, config: S3Config) -> None:
        self._session = session
        self._config = config
        self._options: dict[str, str] = {}
        self._schema: StructType | None = None
        self._format = ""

    def option(self, key: str, value: Any) -> S3Reader:
        self._options[key] = str(value)
        return self

    def options(self, **options: Any) -> S3Reader:
        for key, value in options.items():
            self.option(key, value)
        return self

    def schema(self, schema: StructType) -> S3Reader:
        self._schema = schema
        return self

    def format(self, name: str) -> S3Reader:
        self._format = name.lower()
        return self

    def csv(self, paths: Sequence[str]) -> DataFrame:
        return self.format("csv").load(paths)

    def json(self, paths: Sequence[str]) -> DataFrame:
        return self.format("json").load(paths)

    def parquet(self, *paths: str) -> DataFrame:
        return self.format("parquet").load(list(paths))

    def load(self, paths: Sequence[str] | str) -> DataFrame:
        from awsglue.s3_datasource import FILES_OPTION, FORMAT_OPTION, NAME

        listed = [paths] if isinstance(paths, str) else list(paths)
        fmt = _supported(self._format)
        fs = self._config.filesystem()
        recurse = self._options.get("recursiveFileLookup", "false").lower() == "true"
        files = s3_files.discover(fs, listed, recurse)
        schema = self._schema or _file_schema(fs, files, fmt, self._options)
        keys = [] if self._schema is not None else s3_files.partition_columns(files)
        entries = [[f.path, [list(p) for p in f.partition] if keys else []] for f in files]
        if not files:
            return self._session.createDataFrame([], schema)
        options = {**self._options, **self._config.as_options()}
        options[FILES_OPTION] = json.dumps(entries)
        options[FORMAT_OPTION] = fmt
        return self._session.read.format(NAME).schema(schema).options(**options).load()


def _supported(fmt: str) -> str:
    if fmt not in s3_formats.SUPPORTED:
        raise storage.StorageError(
            f"format {fmt!r} on s3:// needs Sail (OPENGLUE_ENGINE=sail) or the hadoop-aws jars"
            f" on classic Spark; without them classic Spark reads and writes"
            f" {sorted(s3_formats.SUPPORTED)} from S3"
        )
    return fmt


def _file_schema(fs: Any, files: Sequence[Any], fmt: str, options: dict[str, str]) -> Any:
    """The files' schema as Spark gives it: the data columns, then the partition columns."""
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import (
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    if not files:
        return StructType([])
    arrow = s3_formats.infer_schema(fs, [f.path for f in files], fmt, options)
    data = from_arrow_schema(arrow, prefer_timestamp_ntz=False)
    keys = dict(s3_files.partition_columns(files))
    types = {"int": IntegerType(), "bigint": LongType(), "double": DoubleType()}
    extra = [StructField(name, types.get(kind, StringType()), True) for name, kind in keys.items()]
    return StructType([f for f in data.fields if f.name not in keys] + extra)


class S3Writer:
    """The subset of ``DataFrameWriter`` that ``awsglue.formats`` uses, for ``s3://`` folders.
    Writes always append (Glue's sinks do)."""

    def __init__(self, frame: DataFrame, config: S3Config) -> None:
        self._frame = frame
        self._config = config
        self._options: dict[str, str] = {}
        self._keys: list[str] = []
        self._format = "parquet"

    def mode(self, mode: str) -> S3Writer:
        if mode != "append":
            raise storage.StorageError(f"write mode {mode!r} is not supported on s3:// here")
        return self

    def option(self, key: str, value: Any) -> S3Writer:
        self._options[key] = str(value)
        return self

    def options(self, **options: Any) -> S3Writer:
        for key, value in options.items():
            self.option(key, value)
        return self

    def partitionBy(self, *keys: str) -> S3Writer:
        self._keys = list(keys)
        return self

    def format(self, name: str) -> S3Writer:
        self._format = name.lower()
        return self

    def save(self, path: str) -> None:
        from awsglue.s3_datasource import FORMAT_OPTION, KEYS_OPTION, NAME

        options = {**self._options, **self._config.as_options()}
        options[FORMAT_OPTION] = _supported(self._format)
        options[KEYS_OPTION] = json.dumps(self._keys)
        options["path"] = path
        self._frame.write.format(NAME).mode("append").options(**options).save()
