"""Two real ``openglue server`` processes on one PostgreSQL store, watching one prefix on an
S3-compatible endpoint: every new object is in exactly one fire, every fire starts its job
once — whichever server hears of the object, however many times, and when one server is
killed in the middle."""

from __future__ import annotations

import hashlib
import json
import random
import socket
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from openglue.cli.private_call import private_call
from openglue.jobs.processes import identify
from openglue.store import schema
from openglue.store.sql import SqlStore
from openglue.store.triggers import FireRecord, SqlTriggerStore
from tests.support.jobs import shell_job, write_script
from tests.support.postgres import PostgresServer
from tests.support.s3_server import S3Server
from tests.support.server import RunningServer, start_server

pytestmark = pytest.mark.postgres

SOURCE_TAG = "openglue:event-source"
POLL_SECONDS = "0.2"
SETTLED = 1.5  # once every object has fired: how long nothing more may happen


@dataclass
class Pair:
    servers: list[RunningServer]
    s3: S3Server
    bucket: str
    prefix: str  # s3://bucket/in/
    store_url: str
    trigger: str
    job: str

    def glue(self, index: int = 0) -> Any:
        return self.servers[index].client()

    def owner_of(self, fire: dict[str, Any]) -> int:
        """Which server (0 or 1) claimed a fire: its Owner is ``host:pid:start``."""
        pid = int(fire["Owner"].rsplit(":", 2)[1])
        return [s.process.pid for s in self.servers].index(pid)

    def upload(self, keys: list[str]) -> list[str]:
        """Put each key under the prefix; their s3:// addresses."""
        self.s3.put_objects(self.bucket, {f"in/{key}": f"id\n{key}\n" for key in keys})
        return [self.prefix + key for key in keys]


def _start(tmp_path: Path, name: str, url: str, s3: S3Server) -> RunningServer:
    return start_server(
        tmp_path / name,
        "--store-url", url,
        "--s3-endpoint-url", s3.endpoint_url,
        "--s3-access-key-id", s3.access_key,
        "--s3-secret-access-key", s3.secret_key,
        "--event-poll-seconds", POLL_SECONDS,
    )  # fmt: skip


@pytest.fixture
def pair(
    tmp_path: Path, postgres: PostgresServer, s3_server: S3Server, s3_bucket: str
) -> Iterator[Pair]:
    """Two servers on a fresh PostgreSQL database, an echo job, and an EVENT trigger
    (batches of 3, or whatever came within 1 s) on ``s3://<bucket>/in/``."""
    url = postgres.create_database("t_" + uuid.uuid4().hex[:12])
    servers = [_start(tmp_path, "a", url, s3_server)]
    servers.append(_start(tmp_path, "b", url, s3_server))  # A has migrated the store
    try:
        prefix = f"s3://{s3_bucket}/in/"
        s3_server.put_objects(s3_bucket, {"in/old.csv": "id\n0\n"})  # there before: not new
        script = write_script(tmp_path, "echo.py", "print('ran', flush=True)\n")
        glue = servers[0].client()
        glue.create_job(
            Name="echo", **shell_job(script, ExecutionProperty={"MaxConcurrentRuns": 200})
        )
        # Created through the other server: both see one store.
        servers[1].client().create_trigger(
            Name="arrivals",
            Type="EVENT",
            EventBatchingCondition={"BatchSize": 3, "BatchWindow": 1},
            StartOnCreation=True,
            Actions=[{"JobName": "echo"}],
            Tags={SOURCE_TAG: prefix},
        )
        yield Pair(servers, s3_server, s3_bucket, prefix, url, "arrivals", "echo")
    finally:
        for server in servers:
            server.stop()


def _fires(glue: Any, trigger: str) -> list[dict[str, Any]]:
    fires: list[dict[str, Any]] = private_call(
        glue, "GetTriggerFires", {"Name": trigger, "MaxResults": 100}
    )["Fires"]
    return fires


def _fired_objects(fires: list[dict[str, Any]]) -> list[str]:
    return sorted(address for fire in fires for address in fire.get("Objects", []))


def _runs(glue: Any, job: str) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for page in glue.get_paginator("get_job_runs").paginate(JobName=job):
        runs.extend(page["JobRuns"])
    return runs


def _settle(
    pair: Pair, expected: list[str], via: int = 0, timeout: float = 30, quiet: float = SETTLED
) -> Any:
    """Wait until every expected object has fired and each fire's run exists, then a little
    longer (nothing more may come); the fires and the job's runs, as then."""
    glue = pair.glue(via)
    deadline = time.monotonic() + timeout
    fires: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        fires = _fires(glue, pair.trigger)
        runs = _runs(glue, pair.job)
        finished = all(fire.get("Outcome") for fire in fires)
        if len(_fired_objects(fires)) >= len(expected) and finished and len(runs) >= len(fires):
            break
        time.sleep(0.1)
    time.sleep(quiet)
    return _fires(glue, pair.trigger), _runs(glue, pair.job)


def _assert_exactly_once(pair: Pair, expected: list[str], fires: Any, runs: Any) -> None:
    fired = _fired_objects(fires)
    doubled = [address for address, times in Counter(fired).items() if times > 1]
    assert not doubled, f"objects in more than one fire: {doubled}"
    assert fired == sorted(expected), f"lost: {sorted(set(expected) - set(fired))}"
    started = [o["JobRunId"] for fire in fires for o in fire["Outcome"]]
    assert len(started) == len(fires) == len(set(started)), fires
    assert sorted(started) == sorted(r["Id"] for r in runs)
    assert {r["TriggerName"] for r in runs} == {pair.trigger}
    for fire in fires:  # full batches of 3; a smaller one only when its window ended
        met = fire["StartingEventBatchCondition"]
        assert met["BatchSize"] == len(fire["Objects"]) <= 3
        assert len(fire["Objects"]) == 3 or met["BatchWindow"] == 1


def _minio_record(bucket: str, key: str, etag: str) -> dict[str, Any]:
    return {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "eventTime": "2026-11-27T10:00:00.000Z",
        "eventName": "s3:ObjectCreated:Put",
        "s3": {
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": key, "size": 7, "eTag": etag, "sequencer": "17A"},
        },
    }


def _post(url: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + "/events/s3", data=json.dumps(payload).encode(), method="POST"
    )
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_bursts_polled_by_two_servers_fire_each_object_once(pair: Pair) -> None:
    expected: list[str] = []
    # Both schedulers fire: a full batch that only one server hears of (a notification) is
    # fired by that one, which it woke, not left to the other's next look.
    for index, server in enumerate(pair.servers):
        keys = [f"only-{index}-{n}.csv" for n in range(3)]
        records = [_minio_record(pair.bucket, f"in/{key}", f"v{index}") for key in keys]
        assert _post(server.url, {"Records": records}) == (200, {"objects": 3, "events": 3})
        expected += [pair.prefix + key for key in keys]
        fires, _ = _settle(pair, expected, via=index, quiet=0.2)
        newest = fires[0]
        assert len(fires) == index + 1 and sorted(newest["Objects"]) == expected[-3:]
        assert pair.owner_of(newest) == index
    rng = random.Random()
    for burst in range(10):
        expected += pair.upload([f"b{burst}-{n}.csv" for n in range(rng.randint(2, 5))])
        time.sleep(rng.uniform(0.1, 0.5))  # bursts land at different points of the polls
    fires, runs = _settle(pair, expected, via=1)
    _assert_exactly_once(pair, expected, fires, runs)
    assert len(_runs(pair.glue(0), pair.job)) == len(runs)  # the other server: the same runs
    by_server = Counter(pair.owner_of(fire) for fire in fires)
    print(f"{len(expected)} objects, {len(fires)} fires, claimed per server: {dict(by_server)}")
    # Which server fires a polled batch is a race (whichever poll hears of it first wakes its
    # own scheduler); both usually do, but only the totals are certain.


def test_one_notification_posted_to_both_servers_fires_once(pair: Pair) -> None:
    bodies = {f"hook-{n}.csv": f"id\n{n}\n".encode() for n in range(3)}
    records = [
        _minio_record(pair.bucket, f"in/{key}", hashlib.md5(body).hexdigest())
        for key, body in bodies.items()
    ]
    payload = {"EventName": "s3:ObjectCreated:Put", "Records": records}
    # The notification reaches both servers (a retry, or two servers behind one name) before
    # any poll has listed the objects: here, before they are even written, so that order is
    # certain. Then the polls find the same versions (same ETags) and hear nothing new.
    answers = [_post(server.url, payload) for server in pair.servers * 2]
    assert (
        answers == [(200, {"objects": 3, "events": 3})] + [(200, {"objects": 3, "events": 0})] * 3
    )
    for key, body in bodies.items():
        pair.s3.client().put_object(Bucket=pair.bucket, Key=f"in/{key}", Body=body)
    expected = [pair.prefix + key for key in bodies]
    fires, runs = _settle(pair, expected)
    _assert_exactly_once(pair, expected, fires, runs)
    [fire] = fires
    assert fire["StartingEventBatchCondition"] == {"BatchSize": 3}


def _identity(server: RunningServer) -> str:
    """The owner a server process writes on what it claims (``host:pid:start time``)."""
    me = identify(server.process.pid)
    return f"{socket.gethostname()}:{me.pid}:{me.start or 0}"


def _leave_half_done(pair: Pair, owner: str) -> list[str]:
    """What a server killed in the middle of firing leaves in the store: a batch of events
    taken but whose fire it never claimed, and a fire it claimed but whose job it never
    started. Written as that server would have; the addresses of the two batches."""
    sql = SqlStore(pair.store_url)
    try:
        now = time.time()
        with sql.write() as conn:
            trigger_id = conn.execute(
                select(schema.triggers.c.id).where(schema.triggers.c.name == pair.trigger)
            ).scalar_one()
            addresses: dict[str, list[str]] = {}
            for key in ("events:taken-by-the-killed", "events:claimed-by-the-killed"):
                addresses[key] = [f"{pair.prefix}{key[7:]}-{n}.csv" for n in range(2)]
                rows = [
                    {
                        "trigger_id": trigger_id,
                        "event_id": f"{address}@lost",
                        "address": address,
                        "received_on": now,
                        "batch_key": key,
                    }
                    for address in addresses[key]
                ]
                conn.execute(insert(schema.trigger_events), rows)
        key = "events:claimed-by-the-killed"
        context = {
            "EventIds": [f"{a}@lost" for a in addresses[key]],
            "Objects": addresses[key],
            "StartingEventBatchCondition": {"BatchSize": 2, "BatchWindow": 1},
        }
        fire = FireRecord(pair.trigger, key, now, owner, "2 new object(s)", context=context)
        assert SqlTriggerStore(sql).claim_fire(fire)
    finally:
        sql.dispose()
    return [a for batch in addresses.values() for a in batch]


def test_a_killed_server_loses_and_doubles_nothing(pair: Pair) -> None:
    rng = random.Random()
    expected: list[str] = []
    after_kill: set[str] = set()
    killed = _identity(pair.servers[0])
    for burst in range(8):
        if burst == 3:
            pair.servers[0].process.kill()  # SIGKILL: no shutdown, whatever it was doing
            assert pair.servers[0].process.wait() == -9
            half_done = _leave_half_done(pair, killed)
            expected += half_done
            after_kill.update(half_done)
        uploaded = pair.upload([f"k{burst}-{n}.csv" for n in range(rng.randint(3, 7))])
        expected += uploaded
        if burst >= 3:
            after_kill.update(uploaded)
        time.sleep(rng.uniform(0.05, 0.4))
    fires, runs = _settle(pair, expected, via=1)
    _assert_exactly_once(pair, expected, fires, runs)
    for fire in fires:  # what came after the kill, the survivor fired or finished
        if after_kill.intersection(fire["Objects"]):
            assert pair.owner_of(fire) == 1, fire
