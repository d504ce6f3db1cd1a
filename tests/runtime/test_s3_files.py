"""The pure parts of the jar-free S3 path: partition folders and their types, as Spark has them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from awsglue import s3_files
from awsglue.s3_files import DataFile


@pytest.mark.parametrize(
    ("value", "folder"),
    [
        ("eu", "eu"),
        ("new, x", "new, x"),  # Spark leaves spaces and commas alone
        ("a/b=c", "a%2Fb%3Dc"),
        ("50%", "50%25"),
        (None, "__HIVE_DEFAULT_PARTITION__"),
        ("", "__HIVE_DEFAULT_PARTITION__"),
        (7, "7"),
    ],
)
def test_partition_values_are_escaped_as_spark_escapes_them(value: object, folder: str) -> None:
    assert s3_files.escape_value(value) == folder


def test_partition_columns_are_typed_like_spark_and_need_one_layout() -> None:
    files = [
        DataFile("b/t/y=2024/m=1/a", (("y", "2024"), ("m", "1"))),
        DataFile("b/t/y=2024/m=x/a", (("y", "2024"), ("m", "x"))),
        DataFile("b/t/y=99999999999/m=2/a", (("y", "99999999999"), ("m", "2"))),
    ]
    assert s3_files.partition_columns(files) == [("y", "bigint"), ("m", "string")]
    floats = [DataFile("p", (("v", "1.5"),)), DataFile("q", (("v", "2"),))]
    assert s3_files.partition_columns(floats) == [("v", "double")]
    mixed = [DataFile("p", (("v", "1"),)), DataFile("q", (("w", "1"),))]
    assert s3_files.partition_columns(mixed) == []


def test_rows_are_split_into_folders_without_their_key_columns() -> None:
    table = pa.table({"id": [1, 2, 3], "region": ["eu", "us", "eu"], "day": [1, 1, None]})
    parts = {
        folder: rows.to_pydict()
        for folder, rows in s3_files.split_by_keys(table, ["region", "day"])
    }
    assert parts == {
        "region=eu/day=1": {"id": [1]},
        "region=us/day=1": {"id": [2]},
        "region=eu/day=__HIVE_DEFAULT_PARTITION__": {"id": [3]},
    }
