"""The awsglue runtime on a real S3-protocol server (moto's), on both engines.

Sail reads and writes ``s3://`` itself; classic Spark here has no hadoop-aws jars, so it goes
through the Python data source (``awsglue.s3_io``). Either way a Glue script sees the same
thing: the seed-style job reads quoted CSV from the endpoint, filters, writes snappy Parquet
back (plain and with ``partitionKeys``) and reads it again.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.support.s3_server import S3Server

ORDERS = [
    (1001, "completed", "25.50", "eu", "gift wrap, please"),
    (1002, "pending", "12.00", "eu", ""),
    (1003, "completed", "7.25", "us", 'said "thanks"'),
    (1004, "cancelled", "99.99", "us", "changed mind"),
    (1005, "completed", "150.00", "apac", ""),
    (1006, "Completed", "3.10", "us", "capital C is not completed"),
]


def _csv(rows: list[tuple[int, str, str, str, str]]) -> str:
    lines = ["order_id,status,amount,region,note"]
    for order_id, status, amount, region, note in rows:
        quoted = '"' + note.replace('"', '""') + '"' if note else ""
        lines.append(f"{order_id},{status},{amount},{region},{quoted}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def s3_env(s3_server: S3Server, s3_bucket: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The endpoint configured the AWS way for this process; returns a fresh bucket."""
    for name, value in s3_server.environment().items():
        monkeypatch.setenv(name, value)
    for name in ("OPENGLUE_S3_ACCESS_KEY_ID", "OPENGLUE_S3_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    return s3_bucket


def _parquet_files(s3_server: S3Server, bucket: str, prefix: str) -> dict[str, Any]:
    keys = [k for k in s3_server.keys(bucket, prefix) if k.endswith(".parquet")]
    return {k: pq.ParquetFile(io.BytesIO(s3_server.get(bucket, k))) for k in keys}


def test_seed_style_job_reads_filters_and_writes_parquet_on_s3(
    glue_context: Any, s3_server: S3Server, s3_env: str
) -> None:
    from awsglue.transforms import Filter

    bucket = s3_env
    s3_server.put_objects(
        bucket,
        {
            "raw/orders/part-0.csv": _csv(ORDERS[:3]),
            "raw/orders/part-1.csv": _csv(ORDERS[3:]),
            "raw/orders/_SUCCESS": "",  # not data, as on Spark
        },
    )
    orders = glue_context.create_dynamic_frame.from_options(
        "s3",
        {"paths": [f"s3://{bucket}/raw/orders/"]},
        format="csv",
        format_options={"withHeader": True},
    )
    completed = Filter.apply(frame=orders, f=lambda x: x["status"] == "completed")
    glue_context.write_dynamic_frame.from_options(
        frame=completed,
        connection_type="s3",
        connection_options={"path": f"s3://{bucket}/clean/"},
        format="parquet",
    )
    glue_context.write_dynamic_frame.from_options(
        frame=completed,
        connection_type="s3",
        connection_options={"path": f"s3://{bucket}/by_region/", "partitionKeys": ["region"]},
        format="parquet",
    )

    # The DynamicFrame CSV reader types order_id as long and amount as double, as Glue's does.
    expected = sorted(
        (o[0], float(o[2]), o[3], o[4] or None) for o in ORDERS if o[1] == "completed"
    )
    written = _parquet_files(s3_server, bucket, "clean/")
    assert written, s3_server.keys(bucket)
    assert all(f.metadata.row_group(0).column(0).compression == "SNAPPY" for f in written.values())
    back = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [f"s3://{bucket}/clean/"]}, format="parquet"
    ).toDF()
    rows = sorted((r["order_id"], r["amount"], r["region"], r["note"]) for r in back.collect())
    assert rows == expected

    folders = {key.split("/")[1] for key in _parquet_files(s3_server, bucket, "by_region/")}
    assert folders == {"region=eu", "region=us", "region=apac"}
    by_region = glue_context.create_data_frame.from_options(
        "s3", {"paths": [f"s3://{bucket}/by_region/"]}, format="parquet"
    )
    assert "region" in by_region.columns
    picked = by_region.filter("region = 'us'").collect()
    assert [(r["order_id"], r["note"]) for r in picked] == [(1003, 'said "thanks"')]


def test_json_and_csv_writes_round_trip_on_s3(
    glue_context: Any, s3_server: S3Server, s3_env: str
) -> None:
    bucket = s3_env
    s3_server.put_objects(
        bucket,
        {
            "events/a.json": '{"id": 1, "user": {"name": "ann", "age": 31}, "tags": ["x"]}\n'
            '{"id": 2, "user": {"name": "bob", "age": 40}, "tags": []}\n',
        },
    )
    events = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [f"s3://{bucket}/events/"]}, format="json"
    )
    frame = events.toDF()
    assert sorted(r["user"]["name"] for r in frame.collect()) == ["ann", "bob"]
    glue_context.write_dynamic_frame.from_options(
        frame=events,
        connection_type="s3",
        connection_options={"path": f"s3://{bucket}/copy/", "compression": "gzip"},
        format="json",
    )
    assert all(k.endswith(".json.gz") for k in s3_server.keys(bucket, "copy/")), s3_server.keys(
        bucket, "copy/"
    )
    copy = glue_context.create_dynamic_frame.from_options(
        "s3", {"paths": [f"s3://{bucket}/copy/"]}, format="json"
    ).toDF()
    assert sorted((r["id"], r["user"]["age"], list(r["tags"])) for r in copy.collect()) == [
        (1, 31, ["x"]),
        (2, 40, []),
    ]
    flat = frame.selectExpr("id", "user.name AS name")
    glue_context.write_dynamic_frame.from_options(
        frame=type(events).fromDF(flat, glue_context, "flat"),
        connection_type="s3",
        connection_options={"path": f"s3://{bucket}/flat_csv/"},
        format="csv",
        format_options={"separator": "|"},
    )
    csv_keys = [k for k in s3_server.keys(bucket, "flat_csv/") if ".csv" in k]
    text = "".join(s3_server.get(bucket, k).decode() for k in csv_keys)
    lines = text.splitlines()
    assert lines[0] == "id|name"  # Glue's writeHeader default; one header per file
    assert sorted(line for line in lines if line != "id|name") == ["1|ann", "2|bob"]
    back = glue_context.create_dynamic_frame.from_options(
        "s3",
        {"paths": [f"s3://{bucket}/flat_csv/"]},
        format="csv",
        format_options={"withHeader": True, "separator": "|"},
    ).toDF()
    assert sorted((r["id"], r["name"]) for r in back.collect()) == [(1, "ann"), (2, "bob")]


def test_purge_s3_path_deletes_on_the_endpoint_and_writes_a_manifest(
    sail_glue_context: Any, s3_server: S3Server, s3_env: str
) -> None:
    bucket = s3_env
    s3_server.put_objects(bucket, {"old/a.csv": "x\n", "old/sub/b.csv": "y\n", "keep/c.csv": "z"})
    sail_glue_context.purge_s3_path(
        f"s3://{bucket}/old/",
        {"retentionPeriod": 0, "manifestFilePath": f"s3://{bucket}/manifests/"},
    )
    assert s3_server.keys(bucket) == ["keep/c.csv", "manifests/Success.csv"]
    manifest = s3_server.get(bucket, "manifests/Success.csv").decode().splitlines()
    assert sorted(manifest) == [f"s3://{bucket}/old/a.csv", f"s3://{bucket}/old/sub/b.csv"]
    # A retention window keeps what is newer than it.
    sail_glue_context.purge_s3_path(f"s3://{bucket}/keep/", {"retentionPeriod": 1})
    assert "keep/c.csv" in s3_server.keys(bucket)


def test_headerless_csv_in_partition_folders_on_s3(
    glue_context: Any, s3_server: S3Server, s3_env: str
) -> None:
    bucket = s3_env
    s3_server.put_objects(
        bucket,
        {
            "logs/day=1/a.csv": 'x|"two\nlines"\ny|plain\n',
            "logs/day=2/b.csv": "z|last\n",
            "logs/day=2/.hidden.csv": "not|data\n",
        },
    )
    frame = glue_context.create_dynamic_frame.from_options(
        "s3",
        {"paths": [f"s3://{bucket}/logs/"]},
        format="csv",
        format_options={"separator": "|", "multiLine": True},
    ).toDF()
    # The day=N folders give a third, integer column (its name is awsglue.formats' business).
    assert frame.columns[:2] == ["col0", "col1"] and len(frame.columns) == 3
    rows = sorted((r[0], r[1], r[2]) for r in frame.collect())
    # Spark types the partition values (int here); Sail 0.7 leaves them as strings.
    assert [(a, b, str(day)) for a, b, day in rows] == [
        ("x", "two\nlines", "1"),
        ("y", "plain", "1"),
        ("z", "last", "2"),
    ]
    if not glue_context.spark_session.__class__.__module__.startswith("pyspark.sql.connect"):
        assert {type(day) for *_, day in rows} == {int}


def test_formats_the_data_source_cannot_read_say_what_to_do(
    spark_glue_context: Any, s3_env: str
) -> None:
    from awsglue.storage import StorageError

    with pytest.raises(StorageError, match=r"OPENGLUE_ENGINE=sail.*hadoop-aws"):
        spark_glue_context.create_dynamic_frame.from_options(
            "s3", {"paths": [f"s3://{s3_env}/any/"]}, format="orc"
        )


def test_multiline_json_on_s3(glue_context: Any, s3_server: S3Server, s3_env: str) -> None:
    bucket = s3_env
    s3_server.put_objects(
        bucket,
        {
            "docs/a.json": '[\n  {"id": 1,\n   "name": "ann"},\n  {"id": 2, "name": "bob"}\n]\n',
            "docs/b.json": '{\n  "id": 3,\n  "name": "cy"\n}\n',
        },
    )
    frame = glue_context.create_dynamic_frame.from_options(
        "s3",
        {"paths": [f"s3://{bucket}/docs/"]},
        format="json",
        format_options={"multiLine": True},
    ).toDF()
    assert sorted((r["id"], r["name"]) for r in frame.collect()) == [
        (1, "ann"),
        (2, "bob"),
        (3, "cy"),
    ]
