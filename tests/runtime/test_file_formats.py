"""from_options reads and writes through the embedded buckets, format by format."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from awsglue.engine import is_connect_session

ROWS = [(1, "a", "x, y", "2024"), (2, "b", 'he said "hi"', "2024"), (3, "a", None, "2025")]
SCHEMA = "id int, k string, note string, year string"


def frame(glue_context: Any) -> Any:
    return glue_context.create_dynamic_frame.from_rdd(ROWS, "rows", SCHEMA)


def rows_of(dynamic_frame: Any, *columns: str) -> list[tuple[Any, ...]]:
    df = dynamic_frame.toDF()
    return sorted(tuple(row[c] for c in columns) for row in df.collect())


def is_sail(glue_context: Any) -> bool:
    return is_connect_session(glue_context.spark_session)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "orc"])
def test_round_trip_with_partition_keys(glue_context: Any, bucket_home: Path, fmt: str) -> None:
    if fmt == "orc" and is_sail(glue_context):
        pytest.skip("Sail 0.7 has no ORC data source")
    path = f"s3://lake/{fmt}/"
    glue_context.write_dynamic_frame.from_options(
        frame=frame(glue_context),
        connection_type="s3",
        connection_options={"path": path, "partitionKeys": ["year"]},
        format=fmt,
        format_options={"writeHeader": True} if fmt == "csv" else {},
    )
    folder = bucket_home / "buckets" / "lake" / fmt
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "year=2024",
        "year=2025",
    ]
    assert not any(p.name.startswith(("_SUCCESS", ".")) for p in folder.rglob("*"))
    read = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options={"paths": [path]},
        format=fmt,
        format_options={"withHeader": True} if fmt == "csv" else {},
        push_down_predicate="year = 2024",
    )
    found = rows_of(read, "id", "note", "year")
    # Every format gives the ids back as longs: the DynamicFrame CSV reader types them too.
    assert [r[0] for r in found] == [1, 2]
    assert [r[1] for r in found] == ["x, y", 'he said "hi"']
    assert {str(r[2]) for r in found} == {"2024"}


def test_parquet_is_snappy_and_compression_is_honoured(
    glue_context: Any, bucket_home: Path
) -> None:
    writer = glue_context.write_dynamic_frame
    writer.from_options(frame(glue_context), "s3", {"path": "s3://lake/snappy/"}, "parquet")
    writer.from_options(
        frame(glue_context),
        "s3",
        {"path": "s3://lake/gzip/"},
        "parquet",
        format_options={"compression": "gzip"},
    )
    for name, codec in (("snappy", "SNAPPY"), ("gzip", "GZIP")):
        files = list((bucket_home / "buckets" / "lake" / name).glob("*.parquet"))
        assert files, name
        metadata = pq.ParquetFile(files[0]).metadata
        assert metadata.row_group(0).column(0).compression == codec


def test_csv_options_glue_defaults_and_headerless_names(
    glue_context: Any, bucket_home: Path
) -> None:
    folder = bucket_home / "buckets" / "raw" / "csv"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("1|\"p|q\"|\n2|'r'|z\n")
    zipped = bucket_home / "buckets" / "raw" / "zipped"
    zipped.mkdir()
    with gzip.open(zipped / "b.csv.gz", "wt") as handle:
        handle.write("3|s|\n")
    # Sail 0.7 refuses plain and gzip files in one read ("found mixed compression types").
    plain, gz = (
        glue_context.create_dynamic_frame.from_options(
            "s3", {"paths": [path]}, "csv", {"separator": "|"}
        )
        for path in ("s3://raw/csv/", "s3://raw/zipped/")
    )
    read = plain.union(gz)
    assert read.toDF().columns == ["col0", "col1", "col2"]
    # Glue's DynamicFrame CSV reader types the values: col0 holds integers, so it is a long.
    assert rows_of(read, "col0", "col1") == [(1, "p|q"), (2, "'r'"), (3, "s")]
    skipped = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": ["s3://raw/csv/a.csv"]}, "csv", {"separator": "|", "skipFirst": True}
    )
    assert rows_of(skipped, "col0") == [(2,)]
    out = bucket_home / "buckets" / "out"
    glue_context.write_dynamic_frame.from_options(
        read.select_fields(["col0", "col1"]),
        "s3",
        {"path": "s3://out/tsv/"},
        "csv",
        {"separator": "\t", "writeHeader": False},
    )
    text = "".join(p.read_text() for p in sorted((out / "tsv").glob("*.csv")))
    assert sorted(text.splitlines()) == ["1\tp|q", "2\t'r'", "3\ts"]


def test_json_multiline_and_json_path(glue_context: Any, bucket_home: Path) -> None:
    folder = bucket_home / "buckets" / "raw" / "json"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(
        '{"data": {"items": [{"v": 1}, {"v": 2}]}}\n{"data": {"items": []}}\n'
    )
    items = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": ["s3://raw/json/"]}, "json", {"jsonPath": "$.data.items[*]"}
    )
    assert rows_of(items, "v") == [(1,), (2,)]
    pretty = bucket_home / "buckets" / "raw" / "pretty"
    pretty.mkdir()
    (pretty / "a.json").write_text('{\n  "v": 1,\n  "w": "x"\n}\n')
    (pretty / "b.json").write_text('[{"v": 2},\n {"v": 3, "w": "y"}]')
    read = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": ["s3://raw/pretty/"]}, "json", {"multiLine": "true"}
    )
    assert rows_of(read, "v", "w") == [(1, "x"), (2, None), (3, "y")]


def test_recurse_and_exclusions(glue_context: Any, bucket_home: Path) -> None:
    folder = bucket_home / "buckets" / "raw" / "nested"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text('{"v": 1}\n')
    (folder / "sub" / "b.json").write_text('{"v": 2}\n')
    (folder / "sub" / "skip.json").write_text('{"v": 3}\n')
    options = {"paths": ["s3://raw/nested/"], "recurse": True}
    everything = glue_context.create_dynamic_frame.from_options("s3", options, "json")
    assert rows_of(everything, "v") == [(1,), (2,), (3,)]
    options["exclusions"] = '["s3://raw/nested/**skip.json"]'
    some = glue_context.create_dynamic_frame.from_options("s3", options, "json")
    assert rows_of(some, "v") == [(1,), (2,)]


def test_get_source_and_get_sink(glue_context: Any, bucket_home: Path) -> None:
    sink = glue_context.getSink(
        connection_type="s3", path="s3://lake/sink/", partitionKeys=["k"], compression="gzip"
    )
    sink.setFormat("json")
    sink.writeFrame(frame(glue_context))
    written = bucket_home / "buckets" / "lake" / "sink"
    assert sorted(p.name for p in written.iterdir()) == ["k=a", "k=b"]
    assert all(p.name.endswith(".json.gz") for p in written.rglob("*") if p.is_file())
    source = glue_context.getSource("s3", paths=["s3://lake/sink/"])
    source.setFormat("json")
    assert rows_of(source.getFrame(), "id", "k") == [(1, "a"), (2, "b"), (3, "a")]


def test_purge_s3_path(glue_context: Any, bucket_home: Path) -> None:
    glue_context.write_dynamic_frame.from_options(
        frame(glue_context), "s3", {"path": "s3://lake/purge/"}, "parquet"
    )
    folder = bucket_home / "buckets" / "lake" / "purge"
    assert any(folder.iterdir())
    glue_context.purge_s3_path("s3://lake/purge/")  # default: keep the last 7 days
    assert any(folder.iterdir())
    glue_context.purge_s3_path(
        "s3://lake/purge/", {"retentionPeriod": 0, "manifestFilePath": "s3://lake/manifest/"}
    )
    assert not folder.exists() or not any(folder.iterdir())
    manifest = (bucket_home / "buckets" / "lake" / "manifest" / "Success.csv").read_text()
    assert manifest.startswith("s3://lake/purge/") and ".parquet" in manifest


def test_unsupported_things_say_so(glue_context: Any, bucket_home: Path) -> None:
    with pytest.raises(ValueError, match="connection_type 'dynamodb' is not supported yet"):
        glue_context.create_dynamic_frame.from_options("dynamodb", {"paths": ["x"]})
    with pytest.raises(ValueError, match="compression 'lzo' is not supported"):
        glue_context.write_dynamic_frame.from_options(
            frame(glue_context), "s3", {"path": "s3://lake/x/"}, "csv", {"compression": "lzo"}
        )
    with pytest.raises(ValueError, match="needs 'paths'"):
        glue_context.create_dynamic_frame.from_options("s3", {}, "csv")
