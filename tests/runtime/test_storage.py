"""Where s3:// addresses point: embedded local buckets, real S3, pass-through paths."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from awsglue import storage

LOCAL = {"OPENGLUE_HOME": "/data/og"}


def test_s3_maps_to_the_embedded_bucket_under_openglue_home() -> None:
    assert storage.resolve("s3://my-app-bucket/orders/", connect=False, env=LOCAL) == (
        "/data/og/buckets/my-app-bucket/orders/"
    )
    assert (
        storage.resolve("s3://b/a/b.csv", connect=True, env=LOCAL) == "/data/og/buckets/b/a/b.csv"
    )
    assert storage.resolve("s3a://b", connect=False, env=LOCAL) == "/data/og/buckets/b"


def test_openglue_home_defaults_to_the_servers_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/tmp")
    assert storage.resolve("s3://b/k", connect=False, env={}) == "/tmp/.openglue/buckets/b/k"


def test_a_glue_endpoint_alone_does_not_mean_real_s3() -> None:
    env = {**LOCAL, "AWS_ENDPOINT_URL": "http://127.0.0.1:4599"}
    assert storage.resolve("s3://b/k", connect=False, env=env) == "/data/og/buckets/b/k"


def test_an_s3_endpoint_keeps_s3_on_both_engines() -> None:
    # Sail reads s3:// natively; classic Spark through s3a or the Python data source.
    env = {**LOCAL, "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"}
    assert storage.resolve("s3a://b/k/", connect=True, env=env) == "s3://b/k/"
    assert storage.resolve("s3://b/k", connect=False, env=env) == "s3://b/k"


@pytest.mark.parametrize("address", ["file:///tmp/x", "/tmp/x", "relative/x", "hdfs://nn/x"])
def test_other_addresses_pass_through(address: str) -> None:
    assert storage.resolve(address, connect=False, env=LOCAL) == address


@pytest.mark.parametrize("address", ["s3://", "s3:///key", "s3://b/../other/k", "s3://b/a/../../x"])
def test_bad_s3_addresses_are_refused(address: str) -> None:
    with pytest.raises(storage.StorageError):
        storage.resolve(address, connect=False, env=LOCAL)


def test_purge_deletes_only_files_older_than_the_retention(tmp_path: Path) -> None:
    env = {"OPENGLUE_HOME": str(tmp_path)}
    root = tmp_path / "buckets" / "b" / "out"
    (root / "k=1").mkdir(parents=True)
    old, new = root / "k=1" / "old.parquet", root / "new.parquet"
    old.write_text("x")
    new.write_text("y")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    deleted = storage.purge_local("s3://b/out/", 168, env=env)
    assert deleted == ["s3://b/out/k=1/old.parquet"]
    assert new.exists() and not (root / "k=1").exists()
    assert storage.purge_local("s3://b/out/", 0, env=env) == ["s3://b/out/new.parquet"]
    assert storage.purge_local("s3://b/missing/", 0, env=env) == []
