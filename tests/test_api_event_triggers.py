"""EVENT triggers against a real server process: files written into an embedded bucket start
the trigger's job; S3 event notifications posted to /events/s3 (as MinIO's webhook sends them)
do too; and a prefix on an S3-compatible endpoint is polled."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from openglue.cli.private_call import private_call
from tests.support.jobs import shell_job, wait_for_run, wait_for_runs, write_script
from tests.support.s3_server import S3Server
from tests.support.server import RunningServer, start_server

SOURCE_TAG = "openglue:event-source"
ECHO = """\
import sys
print("args", sys.argv[1:], flush=True)
"""


def _job_and_trigger(
    glue: Any, tmp_path: Path, name: str, prefix: str, batch: dict[str, int]
) -> str:
    script = write_script(tmp_path, "echo.py", ECHO)
    glue.create_job(Name=name + "-job", **shell_job(script))
    glue.create_trigger(
        Name=name,
        Type="EVENT",
        EventBatchingCondition=batch,
        StartOnCreation=True,
        Actions=[{"JobName": name + "-job", "Arguments": {"--source": prefix}}],
        Tags={SOURCE_TAG: prefix},
    )
    return name + "-job"


def _post(url: str, payload: Any, token: str | None = None) -> tuple[int, dict[str, Any]]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(url + "/events/s3", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _minio_record(bucket: str, key: str, etag: str) -> dict[str, Any]:
    """One record as MinIO's webhook target sends it."""
    return {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "awsRegion": "",
        "eventTime": "2026-11-27T10:00:00.000Z",
        "eventName": "s3:ObjectCreated:Put",
        "userIdentity": {"principalId": "minioadmin"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "Config",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": key, "size": 12, "eTag": etag, "sequencer": "17A"},
        },
    }


def test_files_written_into_an_embedded_bucket_start_the_job(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    bucket = server.data_dir / "buckets" / unique_name / "orders"
    bucket.mkdir(parents=True)
    (bucket / "old.csv").write_text("id\n0\n")  # there before: not new
    prefix = f"s3://{unique_name}/orders/"
    job = _job_and_trigger(glue, tmp_path, unique_name, prefix, {"BatchSize": 2})
    written = time.monotonic()
    (bucket / "a.csv").write_text("id\n1\n")
    (bucket / "day=1").mkdir()
    (bucket / "day=1" / "b.csv").write_text("id\n2\n")
    [run] = wait_for_runs(glue, job, 1)
    started_after = time.monotonic() - written
    assert run["TriggerName"] == unique_name
    assert wait_for_run(glue, job, run["Id"])["JobRunState"] == "SUCCEEDED"
    fires = private_call(glue, "GetTriggerFires", {"Name": unique_name})["Fires"]
    objects = sorted(fires[0]["Objects"])
    assert objects == [prefix + "a.csv", prefix + "day=1/b.csv"]
    time.sleep(1.5)  # nothing more comes of the same files
    assert len(glue.get_job_runs(JobName=job)["JobRuns"]) == 1
    print(f"embedded bucket: job run started {started_after:.2f} s after the files were written")


def test_s3_event_notifications_start_the_job(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    prefix = f"s3://{unique_name}/in/"
    job = _job_and_trigger(glue, tmp_path, unique_name, prefix, {"BatchSize": 1})
    payload = {
        "EventName": "s3:ObjectCreated:Put",
        "Key": f"{unique_name}/in/x.csv",
        "Records": [
            _minio_record(unique_name, "in/x.csv", "e1"),
            _minio_record(unique_name, "elsewhere/y.csv", "e2"),
        ],
    }
    assert _post(server.url, payload) == (200, {"objects": 2, "events": 1})
    assert _post(server.url, payload) == (200, {"objects": 2, "events": 0})  # a retry
    [run] = wait_for_runs(glue, job, 1)
    assert run["TriggerName"] == unique_name
    assert run["Arguments"] == {"--source": prefix}
    status, answer = _post(server.url, b"{not json")
    assert status == 400 and "not an S3 event notification" in answer["error"]
    status, answer = _post(server.url, {"Records": [{"eventName": "ObjectCreated:Put"}]})
    assert status == 400 and "s3.bucket.name" in answer["error"]


def test_bad_source_tag_is_refused(glue: Any, tmp_path: Path, unique_name: str) -> None:
    script = write_script(tmp_path, "echo.py", ECHO)
    glue.create_job(Name=unique_name, **shell_job(script))
    with pytest.raises(glue.exceptions.InvalidInputException, match="s3://my-app-bucket"):
        glue.create_trigger(
            Name=unique_name,
            Type="EVENT",
            Actions=[{"JobName": unique_name}],
            Tags={SOURCE_TAG: "orders/"},
        )


def test_a_prefix_on_an_s3_endpoint_is_polled(
    tmp_path: Path, s3_server: S3Server, s3_bucket: str, unique_name: str
) -> None:
    s3_server.put_objects(s3_bucket, {"raw/old.csv": "id\n0\n"})
    server = start_server(
        tmp_path / "data",
        *s3_server.server_args(),
        "--event-poll-seconds",
        "0.3",
        "--event-webhook-token",
        "s3cret",
    )
    try:
        glue: Any = server.client()
        prefix = f"s3://{s3_bucket}/raw/"
        job = _job_and_trigger(glue, tmp_path, unique_name, prefix, {"BatchSize": 2})
        s3_server.put_objects(s3_bucket, {"raw/a.csv": "id\n1\n", "raw/b.csv": "id\n2\n"})
        [run] = wait_for_runs(glue, job, 1)
        assert run["TriggerName"] == unique_name
        fires = private_call(glue, "GetTriggerFires", {"Name": unique_name})["Fires"]
        assert sorted(fires[0]["Objects"]) == [prefix + "a.csv", prefix + "b.csv"]
        # The webhook on this server wants its token.
        record = _minio_record(s3_bucket, "raw/c.csv", "e3")
        status, answer = _post(server.url, {"Records": [record]})
        assert status == 401 and "--event-webhook-token" in answer["error"]
        assert _post(server.url, {"Records": [record]}, "wrong")[0] == 401
        assert _post(server.url, {"Records": [record]}, "s3cret") == (
            200,
            {"objects": 1, "events": 1},
        )
    finally:
        server.stop()


def test_openglue_triggers_create_an_event_trigger(
    server: RunningServer, glue: Any, tmp_path: Path, unique_name: str
) -> None:
    from tests.test_cli_jobs import _ok, openglue

    script = write_script(tmp_path, "echo.py", ECHO)
    glue.create_job(Name=unique_name + "-job", **shell_job(script))
    prefix = f"s3://{unique_name}/landing/"
    done = openglue(
        tmp_path, "triggers", "create", unique_name, "--type", "event", "--on-new", prefix,
        "--batch-size", "1", "--batch-window", "60", "--job", unique_name + "-job", "--start",
        endpoint=server.url,
    )  # fmt: skip
    assert _ok(done) == f"created trigger {unique_name} (EVENT, ACTIVATED)\n"
    trigger = glue.get_trigger(Name=unique_name)["Trigger"]
    assert trigger["EventBatchingCondition"] == {"BatchSize": 1, "BatchWindow": 60}
    folder = server.data_dir / "buckets" / unique_name / "landing"
    folder.mkdir(parents=True)
    (folder / "file.json").write_text('{"id": 1}\n')
    wait_for_runs(glue, unique_name + "-job", 1)
    shown = _ok(openglue(tmp_path, "triggers", "show", unique_name, endpoint=server.url))
    assert "when:      new objects, 1 at a time or within 60 s" in shown
    assert f"new: {prefix}file.json" in shown


def test_new_orders_start_the_crawler_that_catalogs_them(
    server: RunningServer, glue: Any, unique_name: str
) -> None:
    """The seed pipeline's first step: new objects under s3://…/orders/ start orders_crawler."""
    bucket = unique_name
    glue.create_database(DatabaseInput={"Name": unique_name})
    glue.create_crawler(
        Name=unique_name,
        Role="r",
        DatabaseName=unique_name,
        Targets={"S3Targets": [{"Path": f"s3://{bucket}/orders/"}]},
    )
    glue.create_trigger(
        Name=unique_name,
        Type="EVENT",
        StartOnCreation=True,
        Actions=[{"CrawlerName": unique_name}],
        Tags={SOURCE_TAG: f"s3://{bucket}/orders/"},
    )
    folder = server.data_dir / "buckets" / bucket / "orders"
    folder.mkdir(parents=True)
    (folder / "orders.csv").write_text("order_id,amount\n1,9.5\n2,3.0\n")
    deadline = time.monotonic() + 30
    tables: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not tables:
        tables = glue.get_tables(DatabaseName=unique_name)["TableList"]
        time.sleep(0.1)
    assert [t["Name"] for t in tables] == ["orders"]
    columns = tables[0]["StorageDescriptor"]["Columns"]
    assert [c["Name"] for c in columns] == ["order_id", "amount"]
