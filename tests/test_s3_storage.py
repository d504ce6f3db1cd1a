"""Server-side S3: object sources against a real S3-protocol server (moto's), the S3 settings,
and what a job process inherits from them (a real server running a real pythonshell job)."""

from __future__ import annotations

import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from openglue.errors import InvalidInputException
from openglue.settings import load_settings
from openglue.storage.local_objects import LocalObjectSource
from openglue.storage.s3_objects import S3ObjectSource
from openglue.storage.sources import object_source_for
from tests.support.jobs import log_file, shell_job, wait_for_run
from tests.support.s3_server import S3Server
from tests.support.server import start_server


def test_listing_pages_past_1000_keys_and_skips_markers_and_hidden(
    s3_server: S3Server, s3_bucket: str
) -> None:
    keys = [f"data/part={i % 3}/f{i:04d}.csv" for i in range(1005)]
    client = s3_server.client()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: client.put_object(Bucket=s3_bucket, Key=k, Body=k), keys))
    s3_server.put_objects(
        s3_bucket,
        {"data/": "", "data/.hidden/x.csv": "x", "data/.DS_Store": "x", "database/other.csv": "x"},
    )
    source = S3ObjectSource(s3_bucket, "data", client)
    assert source.root_uri == f"s3://{s3_bucket}/data/"
    listed = list(source.list())
    assert [o.key for o in listed] == sorted(k.removeprefix("data/") for k in keys)
    assert all(o.size == len("data/" + o.key) and o.modified > 0 for o in listed)
    assert source.uri(listed[0].key) == f"s3://{s3_bucket}/data/{listed[0].key}"


def test_open_streams_ranges_and_seeks_like_a_file(s3_server: S3Server, s3_bucket: str) -> None:
    body = bytes(range(256)) * 5000  # 1.28 MB: more than one buffered range
    s3_server.put_objects(s3_bucket, {"blobs/big.bin": body, "blobs/small.txt": "a\nb\n"})
    source = S3ObjectSource(s3_bucket, "blobs/", s3_server.client())
    with source.open("big.bin") as handle:
        assert handle.read(10) == body[:10]
        handle.seek(-8, io.SEEK_END)  # as a Parquet footer is read
        assert handle.read() == body[-8:]
        handle.seek(1_100_000)
        assert handle.read(300_000) == body[1_100_000:1_400_000]
    with source.open("small.txt") as handle:
        assert handle.readlines() == [b"a\n", b"b\n"]


def test_a_prefix_naming_one_object_lists_just_that_object(
    s3_server: S3Server, s3_bucket: str
) -> None:
    s3_server.put_objects(s3_bucket, {"one/file.csv": "x,y\n", "one/file.csv.bak": "old"})
    source = S3ObjectSource(s3_bucket, "one/file.csv", s3_server.client())
    assert [o.key for o in source.list()] == ["file.csv"]
    assert source.root_uri == f"s3://{s3_bucket}/one/file.csv"
    with source.open("file.csv") as handle:
        assert handle.read() == b"x,y\n"


def test_object_source_for_picks_embedded_buckets_or_the_endpoint(
    s3_server: S3Server, s3_bucket: str, tmp_path: Path
) -> None:
    embedded = load_settings({"data_dir": str(tmp_path)}, environ={})
    local = object_source_for("s3://raw/orders/", embedded)
    assert isinstance(local, LocalObjectSource)
    assert local.root_uri == "s3://raw/orders/"
    assert isinstance(object_source_for(str(tmp_path), embedded), LocalObjectSource)
    with pytest.raises(InvalidInputException, match="relative"):
        object_source_for("data/orders", embedded)
    with pytest.raises(InvalidInputException, match="bucket"):
        object_source_for("s3:///orders", embedded)

    s3_server.put_objects(s3_bucket, {"orders/a.csv": "1\n"})
    flags = {
        "data_dir": str(tmp_path),
        "s3_access_key_id": s3_server.access_key,
        "s3_secret_access_key": s3_server.secret_key,
    }
    remote = load_settings(flags, environ={"AWS_ENDPOINT_URL_S3": s3_server.endpoint_url})
    source = object_source_for(f"s3://{s3_bucket}/orders/", remote)
    assert isinstance(source, S3ObjectSource)
    assert [(o.key, o.size) for o in source.list()] == [("a.csv", 2)]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"s3_endpoint_url": "localhost:9000"}, "must start with http"),
        ({"s3_access_key_id": "only-the-key"}, "together"),
    ],
)
def test_bad_s3_settings_are_refused(flags: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(flags, environ={})


LISTER = """\
import json, os, sys
import boto3
args = sys.argv[1:]
run_id = args[args.index("--JOB_RUN_ID") + 1]
job = args[args.index("--JOB_NAME") + 1]
# Unconfigured clients: S3 goes to AWS_ENDPOINT_URL_S3, Glue to the server running this job.
s3 = boto3.client("s3")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=os.environ["BUCKET"])["Contents"]]
s3.put_object(Bucket=os.environ["BUCKET"], Key="from-the-job.txt", Body=run_id.encode())
state = boto3.client("glue").get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]
names = ["AWS_ENDPOINT_URL_S3", "AWS_ALLOW_HTTP", "OPENGLUE_S3_ACCESS_KEY_ID"]
print(json.dumps({"keys": keys, "state": state, "env": {n: os.environ.get(n) for n in names}}))
"""


WITH_EXTRAS = """\
import helper
print(helper.GREETING)
print(open("lookup.txt").read().strip())
"""


def test_a_job_inherits_the_servers_s3_settings(
    s3_server: S3Server, s3_bucket: str, tmp_path: Path
) -> None:
    s3_server.put_objects(s3_bucket, {"in/a.csv": "1\n", "in/b.csv": "2\n"})
    server = start_server(
        tmp_path / "data",
        "--s3-access-key-id",
        s3_server.access_key,
        "--s3-secret-access-key",
        s3_server.secret_key,
        # The endpoint the AWS way, from the server's environment; no AWS key there at all.
        env={
            "AWS_ENDPOINT_URL_S3": s3_server.endpoint_url,
            "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "",
            "BUCKET": s3_bucket,
        },
    )
    try:
        glue = server.client()
        # The script itself lives on the endpoint, and is fetched from there.
        s3_server.put_objects(s3_bucket, {"scripts/lister.py": LISTER})
        glue.create_job(Name="lister", **shell_job(f"s3://{s3_bucket}/scripts/lister.py"))
        run_id = glue.start_job_run(JobName="lister")["JobRunId"]
        run = wait_for_run(glue, "lister", run_id, timeout=60)
        error = log_file(server.data_dir, run_id, "error")
        assert run["JobRunState"] == "SUCCEEDED", error.read_text() if error.exists() else run
        report = json.loads(log_file(server.data_dir, run_id).read_text())

        # Its --extra-py-files and --extra-files come from the endpoint too, as on Glue.
        s3_server.put_objects(
            s3_bucket,
            {
                "libs/helper.py": "GREETING = 'hello from the endpoint'\n",
                "conf/lookup.txt": "looked up\n",
                "scripts/with_extras.py": WITH_EXTRAS,
            },
        )
        extras = {
            "--extra-py-files": f"s3://{s3_bucket}/libs/helper.py",
            "--extra-files": f"s3://{s3_bucket}/conf/lookup.txt",
        }
        script = f"s3://{s3_bucket}/scripts/with_extras.py"
        glue.create_job(Name="extras", **shell_job(script, DefaultArguments=extras))
        extras_id = glue.start_job_run(JobName="extras")["JobRunId"]
        extras_run = wait_for_run(glue, "extras", extras_id, timeout=60)
        extras_log = log_file(server.data_dir, extras_id)
        extras_output = extras_log.read_text() if extras_log.exists() else ""

        glue.create_job(Name="missing", **shell_job(f"s3://{s3_bucket}/scripts/nope.py"))
        failed_id = glue.start_job_run(JobName="missing")["JobRunId"]
        failed = wait_for_run(glue, "missing", failed_id, timeout=60)
    finally:
        server.stop()
    assert failed["JobRunState"] in ("FAILED", "ERROR")
    assert f"s3://{s3_bucket}/scripts/nope.py not found on" in failed["ErrorMessage"]
    assert report["keys"] == ["in/a.csv", "in/b.csv", "scripts/lister.py"]
    assert report["state"] == "RUNNING"
    assert report["env"] == {
        "AWS_ENDPOINT_URL_S3": s3_server.endpoint_url,
        "AWS_ALLOW_HTTP": "true",
        "OPENGLUE_S3_ACCESS_KEY_ID": s3_server.access_key,
    }
    assert s3_server.get(s3_bucket, "from-the-job.txt").decode() == run_id
    assert extras_run["JobRunState"] == "SUCCEEDED", extras_run
    assert extras_output.splitlines() == ["hello from the endpoint", "looked up"]


def test_a_crawler_reads_its_s3_target_from_the_endpoint(
    s3_server: S3Server, s3_bucket: str, tmp_path: Path
) -> None:
    rows = "id,status,amount\n1,completed,2.5\n2,pending,3.0\n"
    s3_server.put_objects(s3_bucket, {f"orders/year=202{i}/part-0.csv": rows for i in range(3)})
    server = start_server(tmp_path / "data", env=s3_server.environment())
    try:
        glue = server.client()
        glue.create_database(DatabaseInput={"Name": "shop"})
        target = {"S3Targets": [{"Path": f"s3://{s3_bucket}/orders/"}]}
        glue.create_crawler(Name="orders", Role="r", DatabaseName="shop", Targets=target)
        glue.start_crawler(Name="orders")
        deadline = time.monotonic() + 60
        crawler = glue.get_crawler(Name="orders")["Crawler"]
        while time.monotonic() < deadline and not (
            crawler["State"] == "READY" and crawler.get("LastCrawl")
        ):
            time.sleep(0.2)
            crawler = glue.get_crawler(Name="orders")["Crawler"]
        assert crawler["LastCrawl"]["Status"] == "SUCCEEDED", crawler["LastCrawl"]
        table = glue.get_table(DatabaseName="shop", Name="orders")["Table"]
        partitions = glue.get_partitions(DatabaseName="shop", TableName="orders")["Partitions"]
    finally:
        server.stop()
    assert table["StorageDescriptor"]["Location"] == f"s3://{s3_bucket}/orders/"
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == ["id", "status", "amount"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["year"]
    assert sorted(p["Values"][0] for p in partitions) == ["2020", "2021", "2022"]
