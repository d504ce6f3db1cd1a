"""``s3://`` for classic Spark without the hadoop-aws jars: a PySpark Python Data Source.

Spark reaches S3 through Hadoop's s3a connector, whose jars come from Maven and are not shipped
with PySpark. PySpark 4's Python Data Source API runs Python readers and writers inside the
executors instead, so reads and writes stay distributed and need no jar: each file is one input
partition read with pyarrow (Arrow batches straight into Spark), and each write task writes its
own files (Hive-style folders for partition keys) under the target folder.

The driver lists the files and fixes the schema before the read (``awsglue.s3_io``); the
endpoint and credentials travel in the options, so workers need no environment of their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyspark.sql.datasource import (
    DataSource,
    DataSourceArrowWriter,
    DataSourceReader,
    InputPartition,
    WriterCommitMessage,
)

from awsglue import s3_files, s3_formats
from awsglue.s3_config import S3Config

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql.types import StructType

__all__ = ["FILES_OPTION", "KEYS_OPTION", "NAME", "S3FilesDataSource"]

NAME = "openglue_s3_files"
# Option names are lowercase: Spark hands data sources their options lowercased.
FILES_OPTION = "openglue.files"  # JSON: [[path, [[key, value], …]], …]
FORMAT_OPTION = "openglue.format"
KEYS_OPTION = "openglue.partitionkeys"  # JSON list, writes only


@dataclass
class FilePartition(InputPartition):
    path: str
    values: tuple[str | None, ...]


class S3FilesDataSource(DataSource):
    @classmethod
    def name(cls) -> str:
        return NAME

    def schema(self) -> str:
        raise ValueError("the s3 files source is always given its schema by awsglue.s3_io")

    def reader(self, schema: StructType) -> DataSourceReader:
        return _FilesReader(_lowered(self.options), schema)

    def writer(self, schema: StructType, overwrite: bool) -> DataSourceArrowWriter:
        return _FilesWriter(_lowered(self.options), schema)


def _lowered(options: Any) -> dict[str, str]:
    return {str(key).lower(): str(value) for key, value in dict(options).items()}


class _FilesReader(DataSourceReader):
    def __init__(self, options: dict[str, str], schema: StructType) -> None:
        self._options = options
        self._schema = schema

    def partitions(self) -> list[FilePartition]:
        entries = json.loads(self._options[FILES_OPTION])
        return [
            FilePartition(path, tuple(value for _key, value in pairs)) for path, pairs in entries
        ]

    def read(self, partition: InputPartition) -> Iterator[pa.RecordBatch]:
        assert isinstance(partition, FilePartition)
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        schema = to_arrow_schema(self._schema, timezone="UTC")
        count = len(partition.values)
        data = pa.schema(list(schema)[: len(schema) - count]) if count else schema
        fs = S3Config.from_options(self._options).filesystem()
        fmt = self._options[FORMAT_OPTION]
        for batch in s3_formats.read_batches(fs, partition.path, fmt, self._options, data):
            if not count:
                yield batch
                continue
            arrays = list(batch.columns)
            for field, value in zip(list(schema)[len(data) :], partition.values, strict=True):
                arrays.append(pa.array([value] * batch.num_rows, pa.string()).cast(field.type))
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)


@dataclass
class _Written(WriterCommitMessage):
    paths: list[str]


class _FilesWriter(DataSourceArrowWriter):
    def __init__(self, options: dict[str, str], schema: StructType) -> None:
        self._options = options
        self._schema = schema

    def write(self, iterator: Iterator[pa.RecordBatch]) -> _Written:
        import pyarrow as pa

        batches = list(iterator)
        if not batches or not sum(batch.num_rows for batch in batches):
            return _Written([])
        table = pa.Table.from_batches(batches)
        fs = S3Config.from_options(self._options).filesystem()
        root = s3_files.fs_path(self._options["path"]).rstrip("/")
        keys = json.loads(self._options.get(KEYS_OPTION, "[]"))
        fmt = self._options[FORMAT_OPTION]
        name = s3_files.new_file_name("")
        written = []
        for folder, rows in s3_files.split_by_keys(table, keys):
            target = f"{root}/{folder}" if folder else root
            written.append(s3_formats.write_table(fs, target, name, rows, fmt, self._options))
        return _Written(written)

    def commit(self, messages: list[Any]) -> None:
        """Each task's files are final once written, as with S3's own committers."""

    def abort(self, messages: list[Any]) -> None:
        """Remove what the tasks that finished wrote, so a failed job leaves no partial data."""
        paths = [path for m in messages if isinstance(m, _Written) for path in m.paths]
        if paths:
            fs = S3Config.from_options(self._options).filesystem()
            for path in paths:
                fs.delete_file(path)
