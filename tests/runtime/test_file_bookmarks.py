"""Job bookmarks of file sources: which files each run reads (maxBand, rewritten files, late
files), over real folders on disk and the in-process bookmark state. No Spark needed: the
choice of files is made before the engine reads them."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awsglue import bookmarks, file_bookmarks
from awsglue.bookmarked_sources import choose_files
from awsglue.bookmarks import DisabledBookmarks, InMemoryBookmarks, JobStates
from awsglue.file_listing import list_files
from awsglue.job import Job

HOUR_MS = 3_600_000


@pytest.fixture(autouse=True)
def no_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_GLUE", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    bookmarks.activate(DisabledBookmarks())
    yield
    bookmarks.activate(DisabledBookmarks())


def _write(folder: Path, name: str, text: str, age_ms: int = 0) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if age_ms:
        stamp = time.time() - age_ms / 1000
        os.utime(path, (stamp, stamp))
    return path


class Runs:
    """Successive runs of one job over ``folder``, each a Job.init … commit."""

    def __init__(self, folder: Path, option: str = bookmarks.ENABLE, **options: str) -> None:
        self.folder = folder
        self.option = option
        self.options = options
        self.store: JobStates = {}
        self.name = "job_" + uuid.uuid4().hex[:8]

    def run(self, ctx: str = "source", commit: bool = True) -> list[str]:
        job = Job(object())
        job.init(self.name, {"job_bookmark_option": self.option})
        state = InMemoryBookmarks(self.name, self.option, self.store)
        bookmarks.activate(state)
        chosen = choose_files(ctx, [str(self.folder)], self.options)
        assert chosen is not None
        if commit:
            state.commit()
        return sorted(Path(p).name for p in chosen[str(self.folder)])


def test_each_run_reads_only_what_is_new_and_rewritten_files_again(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    _write(tmp_path, "a.csv", "1")
    _write(tmp_path, "b.csv", "2")
    _write(tmp_path, "_SUCCESS", "")  # not data
    assert runs.run() == ["a.csv", "b.csv"]
    assert runs.run() == []
    _write(tmp_path, "c.csv", "3")
    assert runs.run() == ["c.csv"]
    rewritten = _write(tmp_path, "a.csv", "1 again")
    stamp = time.time() + 2  # a later mtime, as a rewrite has
    os.utime(rewritten, (stamp, stamp))
    assert runs.run() == ["a.csv"]
    assert runs.run() == []


def test_a_run_that_does_not_commit_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    _write(tmp_path, "a.csv", "1")
    assert runs.run(commit=False) == ["a.csv"]
    assert runs.run() == ["a.csv"]
    assert runs.run() == []


def test_state_is_kept_per_transformation_ctx(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    _write(tmp_path, "a.csv", "1")
    assert runs.run("orders") == ["a.csv"]
    assert runs.run("orders_again") == ["a.csv"]
    assert runs.run("orders") == []


def test_files_older_than_the_band_are_settled_by_time_not_by_hash(tmp_path: Path) -> None:
    runs = Runs(tmp_path, maxBand=str(HOUR_MS))
    _write(tmp_path, "old.csv", "1", age_ms=3 * HOUR_MS)
    _write(tmp_path, "recent.csv", "2", age_ms=HOUR_MS // 2)
    assert runs.run() == ["old.csv", "recent.csv"]
    element = runs.store[runs.name]["source"]
    assert element["HIGH_BAND"] == str(HOUR_MS)
    # Only the file inside the band is remembered by hash; the old one is behind the cutoff.
    recent = [
        f for f in list_files(str(tmp_path), recurse=False) if f.address.endswith("recent.csv")
    ]
    assert element["INCLUDE_LIST"] == file_bookmarks.digest(recent[0])
    # A late file — modified before the last run started, inside the band, but not seen by it
    # — is read; one that arrives older than the band is taken as already processed.
    _write(tmp_path, "late.csv", "3", age_ms=HOUR_MS // 4)
    _write(tmp_path, "ancient.csv", "4", age_ms=5 * HOUR_MS)
    assert runs.run() == ["late.csv"]


def test_a_zero_band_tracks_by_time_alone(tmp_path: Path) -> None:
    runs = Runs(tmp_path, maxBand="0")
    _write(tmp_path, "a.csv", "1", age_ms=1000)
    assert runs.run() == ["a.csv"]
    assert runs.store[runs.name]["source"]["INCLUDE_LIST"] == ""
    assert runs.run() == []


def test_partition_folders_are_listed_and_recurse_takes_every_folder(tmp_path: Path) -> None:
    _write(tmp_path, "year=2024/a.csv", "1")
    _write(tmp_path, "nested/b.csv", "2")
    _write(tmp_path, ".hidden/c.csv", "3")
    assert [Path(f.engine_path).name for f in list_files(str(tmp_path), recurse=False)] == ["a.csv"]
    found = list_files(str(tmp_path), recurse=True)
    assert sorted(Path(f.engine_path).name for f in found) == ["a.csv", "b.csv"]


def test_embedded_bucket_files_are_named_by_their_s3_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENGLUE_HOME", str(tmp_path))
    folder = tmp_path / "buckets" / "raw" / "orders"
    _write(folder, "a.csv", "1")
    (listed,) = list_files(str(folder), recurse=False)
    assert listed.address == "s3://raw/orders/a.csv"
    assert listed.engine_path == str(folder / "a.csv")


def test_pause_reads_like_enable_but_saves_nothing(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    _write(tmp_path, "a.csv", "1")
    assert runs.run() == ["a.csv"]
    _write(tmp_path, "b.csv", "2")
    runs.option = bookmarks.PAUSE
    assert runs.run() == ["b.csv"]
    assert runs.run() == ["b.csv"]
    runs.option = bookmarks.ENABLE
    assert runs.run() == ["b.csv"]


def test_reads_are_not_bookmarked_without_ctx_or_with_bookmarks_off(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", "1")
    assert choose_files("source", [str(tmp_path)], {}) is None  # no job: disabled
    Job(object()).init("j", {"job_bookmark_option": bookmarks.ENABLE})
    assert choose_files("", [str(tmp_path)], {}) is None


def test_max_band_must_be_milliseconds() -> None:
    assert file_bookmarks.max_band_ms({}) == 900_000
    assert file_bookmarks.max_band_ms({"maxBand": 60000}) == 60000
    with pytest.raises(ValueError, match="whole number of milliseconds"):
        file_bookmarks.max_band_ms({"maxBand": "15m"})


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real S3-protocol server (moto's, in a thread of this process) and a client of it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    for name, value in {
        "AWS_ENDPOINT_URL_S3": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    yield boto3.client("s3", endpoint_url=url)
    server.stop()


def test_s3_folders_are_listed_with_their_last_modified_times(s3_endpoint: Any) -> None:
    s3_endpoint.create_bucket(Bucket="raw")
    for key in ("orders/a.csv", "orders/year=2024/b.csv", "orders/deep/c.csv", "orders/_SUCCESS"):
        s3_endpoint.put_object(Bucket="raw", Key=key, Body=b"1")
    s3_endpoint.put_object(Bucket="raw", Key="orders_old/d.csv", Body=b"1")  # a sibling prefix

    listed = list_files("s3://raw/orders", recurse=False)
    assert [f.address for f in listed] == [
        "s3://raw/orders/a.csv",
        "s3://raw/orders/year=2024/b.csv",
    ]
    assert all(abs(f.mtime_ms - time.time() * 1000) < 60_000 for f in listed)
    everything = list_files("s3://raw/orders/", recurse=True)
    assert len(everything) == 3
    (single,) = list_files("s3://raw/orders/a.csv", recurse=False)
    assert single.engine_path == "s3://raw/orders/a.csv"
    state = InMemoryBookmarks("j", bookmarks.ENABLE, {})
    bookmarks.activate(state)
    assert choose_files("src", ["s3://raw/orders/"], {}) == {
        "s3://raw/orders/": ["s3://raw/orders/a.csv", "s3://raw/orders/year=2024/b.csv"]
    }
    state.commit()
    assert choose_files("src", ["s3://raw/orders/"], {}) == {"s3://raw/orders/": []}


def test_s3_listing_uses_the_s3_key_the_server_gave_the_job(
    s3_endpoint: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A run's AWS_* key may be for the Glue API only; its S3 key is OPENGLUE_S3_* (s3_config).
    s3_endpoint.create_bucket(Bucket="keyed")
    s3_endpoint.put_object(Bucket="keyed", Key="in/a.csv", Body=b"1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("OPENGLUE_S3_ACCESS_KEY_ID", "job-key")
    monkeypatch.setenv("OPENGLUE_S3_SECRET_ACCESS_KEY", "job-secret")

    assert [f.address for f in list_files("s3://keyed/in/", recurse=False)] == [
        "s3://keyed/in/a.csv"
    ]


def test_a_pause_range_reads_what_came_after_from_up_to_to(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    states = []
    for name in ("a.csv", "b.csv", "c.csv"):
        _write(tmp_path, name, name)
        runs.run()
        states.append(dict(runs.store[runs.name]["source"]))
    _write(tmp_path, "d.csv", "not yet processed by any run")
    files = list_files(str(tmp_path), recurse=False)

    def names(chosen: list[Any]) -> list[str]:
        return sorted(Path(f.engine_path).name for f in chosen)

    assert names(file_bookmarks.select(files, states[0], states[2])) == ["b.csv", "c.csv"]
    assert names(file_bookmarks.select(files, states[1], states[1])) == []
    assert names(file_bookmarks.select(files, None, states[0])) == ["a.csv"]
    assert names(file_bookmarks.select(files, states[0], {})) == []  # `to` never read it


def test_bookmarked_reads_keep_partition_folder_columns(
    sail_glue_context: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    glue = sail_glue_context
    _write(tmp_path, "year=2024/a.csv", "id\n1\n")
    _write(tmp_path, "year=2025/b.csv", "id\n2\n")
    store: JobStates = {}

    def run() -> list[tuple[Any, ...]]:
        state = InMemoryBookmarks("partitioned", bookmarks.ENABLE, store)
        bookmarks.activate(state)
        frame = glue.create_dynamic_frame.from_options(
            "s3", {"paths": [str(tmp_path)]}, "csv", {"withHeader": True}, transformation_ctx="src"
        ).toDF()
        state.commit()
        return sorted(tuple(row) for row in frame.collect())

    assert run() == [(1, 2024), (2, 2025)]
    assert run() == []
    _write(tmp_path, "year=2026/c.csv", "id\n3\n")
    assert run() == [(3, 2026)]
    with caplog.at_level("WARNING", logger="awsglue.bookmarks"):
        glue.create_dynamic_frame.from_options("s3", {"paths": [str(tmp_path)]}, "csv")
    assert "has no transformation_ctx" in caplog.text


def test_bookmarked_reads_decode_partition_folders_as_spark_does(
    sail_glue_context: Any, tmp_path: Path
) -> None:
    glue = sail_glue_context
    _write(tmp_path, "year=2024/city=New%20York/a.csv", "id\n1\n")
    _write(tmp_path, "year=__HIVE_DEFAULT_PARTITION__/city=Paris/b.csv", "id\n2\n")

    bookmarks.activate(InMemoryBookmarks("decoded", bookmarks.ENABLE, {}))
    frame = glue.create_dynamic_frame.from_options(
        "s3", {"paths": [str(tmp_path)]}, "csv", {"withHeader": True}, transformation_ctx="src"
    ).toDF()
    # Spark unescapes folder values and reads Hive's null marker as null (an int column here)
    rows = sorted((tuple(row) for row in frame.collect()), key=str)
    assert rows == [(1, 2024, "New York"), (2, None, "Paris")]
