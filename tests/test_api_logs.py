"""CloudWatch Logs through boto3 against a real server whose jobs really run: the run logs
as log groups and streams, events with per-line timestamps, paging, filter patterns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.jobs import log_file, shell_job, wait_for_run, wait_for_text, write_script
from tests.support.server import RunningServer, start_server

OUTPUT = "/aws-glue/python-jobs/output"
ERROR = "/aws-glue/python-jobs/error"

CHATTY = """\
import sys, time
print("starting job")
print("ERROR: cannot parse row 7", file=sys.stderr)
time.sleep(0.3)
print("loaded 10 rows")
print("")
print("WARN slow partition")
time.sleep(0.3)
print("Failed to process batch 3")
print("done")
"""
CHATTY_LINES = [
    "starting job",
    "loaded 10 rows",
    "WARN slow partition",
    "Failed to process batch 3",
    "done",
]

# Prints a line and half of another, then waits for the test to create a file.
LIVE = """\
import os, sys, time
flag = sys.argv[sys.argv.index("--flag") + 1]
print("first")
sys.stdout.write("part")
sys.stdout.flush()
while not os.path.exists(flag):
    time.sleep(0.02)
print("ial")
print("second")
"""


@pytest.fixture(scope="module")
def logs_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    running = start_server(tmp_path_factory.mktemp("logs"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def chatty(logs_server: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A finished run of CHATTY (GetJobRun's view of it)."""
    glue = logs_server.client()
    folder = tmp_path_factory.mktemp("scripts")
    glue.create_job(Name="chatty", **shell_job(write_script(folder, "chatty.py", CHATTY)))
    run_id = glue.start_job_run(JobName="chatty")["JobRunId"]
    run = wait_for_run(glue, "chatty", run_id)
    assert run["JobRunState"] == "SUCCEEDED"
    return run


@pytest.fixture
def logs(logs_server: RunningServer) -> Any:
    return logs_server.client("logs")


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _millis(value: Any) -> int:
    return int(value.timestamp() * 1000)


def test_get_log_events_serves_lines_with_their_own_timestamps(
    logs: Any, chatty: dict[str, Any]
) -> None:
    page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=chatty["Id"], startFromHead=True)
    events = page["events"]
    assert [e["message"] for e in events] == CHATTY_LINES  # the empty line is no event
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    # Each line carries the time it was printed: the script slept 0.3 s twice.
    assert stamps[1] - stamps[0] >= 250 and stamps[3] - stamps[2] >= 250
    assert stamps[2] - stamps[1] < 250
    assert _millis(chatty["StartedOn"]) - 1000 <= stamps[0]
    assert stamps[-1] <= _millis(chatty["CompletedOn"]) + 1000
    assert all(e["ingestionTime"] == e["timestamp"] for e in events)

    errors = logs.get_log_events(logGroupName=ERROR, logStreamName=chatty["Id"])["events"]
    assert [e["message"] for e in errors] == ["ERROR: cannot parse row 7"]
    assert stamps[0] <= errors[0]["timestamp"] < stamps[1]


def test_paging_forward_and_backward_until_the_token_repeats(
    logs: Any, chatty: dict[str, Any]
) -> None:
    stream = {"logGroupName": OUTPUT, "logStreamName": chatty["Id"]}
    seen, token, pages = [], None, 0
    while True:
        extra = {"nextToken": token} if token else {}
        page = logs.get_log_events(**stream, startFromHead=True, limit=2, **extra)
        seen += [e["message"] for e in page["events"]]
        pages += 1
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == CHATTY_LINES and pages == 4  # 2 + 2 + 1, then one that repeats the token

    # Without startFromHead the first page is the end of the stream; then backwards.
    page = logs.get_log_events(**stream, limit=2)
    backwards = [e["message"] for e in page["events"]]
    token = page["nextBackwardToken"]
    while True:
        page = logs.get_log_events(**stream, limit=2, nextToken=token)
        backwards = [e["message"] for e in page["events"]] + backwards
        if page["nextBackwardToken"] == token:
            break
        token = page["nextBackwardToken"]
    assert backwards == CHATTY_LINES


def test_time_range(logs: Any, chatty: dict[str, Any]) -> None:
    stream = {"logGroupName": OUTPUT, "logStreamName": chatty["Id"], "startFromHead": True}
    stamps = [e["timestamp"] for e in logs.get_log_events(**stream)["events"]]
    # GetLogEvents: [startTime, endTime).
    middle = logs.get_log_events(**stream, startTime=stamps[1], endTime=stamps[3])["events"]
    assert [e["message"] for e in middle] == CHATTY_LINES[1:3]
    # FilterLogEvents: [startTime, endTime].
    found = logs.filter_log_events(
        logGroupName=OUTPUT,
        logStreamNames=[chatty["Id"]],
        startTime=stamps[1],
        endTime=stamps[3],
    )["events"]
    assert [e["message"] for e in found] == CHATTY_LINES[1:]
    assert logs.get_log_events(**stream, startTime=stamps[-1] + 1)["events"] == []


def test_a_live_stream(logs_server: RunningServer, logs: Any, tmp_path: Path) -> None:
    glue = logs_server.client()
    glue.create_job(Name="live", **shell_job(write_script(tmp_path, "live.py", LIVE)))
    flag = tmp_path / "go"
    run_id = glue.start_job_run(JobName="live", Arguments={"--flag": str(flag)})["JobRunId"]
    wait_for_text(log_file(logs_server.data_dir, run_id), "part")
    stream = {"logGroupName": OUTPUT, "logStreamName": run_id}

    page = logs.get_log_events(**stream, startFromHead=True)
    # "part" is not a line yet: served now, it would be served again once it is one.
    assert [e["message"] for e in page["events"]] == ["first"]
    token = page["nextForwardToken"]
    assert logs.get_log_events(**stream, nextToken=token)["nextForwardToken"] == token

    flag.touch()
    assert wait_for_run(glue, "live", run_id)["JobRunState"] == "SUCCEEDED"
    page = logs.get_log_events(**stream, nextToken=token)
    assert [e["message"] for e in page["events"]] == ["partial", "second"]
    last = page["nextForwardToken"]
    assert logs.get_log_events(**stream, nextToken=last)["events"] == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", CHATTY_LINES),
        ('""', CHATTY_LINES),
        ("rows", ["loaded 10 rows"]),
        ("process batch", ["Failed to process batch 3"]),
        ("batch process", ["Failed to process batch 3"]),
        ('"Failed to process"', ["Failed to process batch 3"]),
        ('"to Failed"', []),
        ("?WARN ?done", ["WARN slow partition", "done"]),
        ("o -WARN -done", ["starting job", "loaded 10 rows", "Failed to process batch 3"]),
        ('-"slow partition" -o', []),
        ("%[0-9]+ rows%", ["loaded 10 rows"]),
        ("%^[a-z]+$%", ["done"]),
        ("warn", []),  # case-sensitive
    ],
)
def test_filter_patterns(
    logs: Any, chatty: dict[str, Any], pattern: str, expected: list[str]
) -> None:
    found = logs.filter_log_events(
        logGroupName=OUTPUT, logStreamNames=[chatty["Id"]], filterPattern=pattern
    )
    assert [e["message"] for e in found["events"]] == expected


@pytest.mark.parametrize(
    "pattern", ['{ $.level = "ERROR" }', "[ip, user, status=404]", '"open', "%[%", "-"]
)
def test_patterns_that_are_refused(logs: Any, chatty: dict[str, Any], pattern: str) -> None:
    with pytest.raises(ClientError) as exc:
        logs.filter_log_events(logGroupName=OUTPUT, filterPattern=pattern)
    assert _code(exc) == "InvalidParameterException"
    assert "filter pattern" in exc.value.response["Error"]["Message"]


def test_filter_across_streams_pages_in_time_order(
    logs_server: RunningServer, logs: Any, chatty: dict[str, Any]
) -> None:
    glue = logs_server.client()
    second = glue.start_job_run(JobName="chatty")["JobRunId"]
    wait_for_run(glue, "chatty", second)
    streams = [chatty["Id"], second]

    whole = logs.filter_log_events(logGroupName=OUTPUT, logStreamNames=streams)
    assert "nextToken" not in whole
    events = whole["events"]
    assert sorted(e["message"] for e in events) == sorted(CHATTY_LINES * 2)
    keys = [(e["timestamp"], e["logStreamName"]) for e in events]
    assert keys == sorted(keys)
    assert {s["logStreamName"] for s in whole["searchedLogStreams"]} == set(streams)

    paginator = logs.get_paginator("filter_log_events")
    pages = list(
        paginator.paginate(
            logGroupName=OUTPUT,
            logStreamNames=streams,
            interleaved=True,
            PaginationConfig={"PageSize": 3},
        )
    )
    assert len(pages) == 4
    paged = [e for page in pages for e in page["events"]]
    assert paged == events  # same events, same ids
    assert len({e["eventId"] for e in events}) == len(events)

    by_prefix = logs.filter_log_events(logGroupName=OUTPUT, logStreamNamePrefix=second[:40])
    assert {e["logStreamName"] for e in by_prefix["events"]} == {second}


def test_following_like_aws_logs_tail(
    logs_server: RunningServer, logs: Any, tmp_path: Path
) -> None:
    """`aws logs tail --follow` (AWS CLI v2) polls FilterLogEvents with startTime set to the
    newest timestamp it has seen, and drops events whose eventId it has printed already."""
    script = (
        "import time\nfor i in range(12):\n    print('line', i, flush=True)\n    time.sleep(0.05)\n"
    )
    glue = logs_server.client()
    glue.create_job(Name="ticker", **shell_job(write_script(tmp_path, "ticker.py", script)))
    started = int(time.time() * 1000) - 1000
    run_id = glue.start_job_run(JobName="ticker")["JobRunId"]
    request: dict[str, Any] = {"logGroupName": OUTPUT, "interleaved": True, "startTime": started}
    printed: list[str] = []
    seen: dict[int, set[str]] = {}
    ended = False
    while True:
        response = logs.filter_log_events(**request, logStreamNames=[run_id])
        for event in response["events"]:
            if event["eventId"] not in seen.setdefault(event["timestamp"], set()):
                seen[event["timestamp"]].add(event["eventId"])
                printed.append(event["message"])
        if "nextToken" in response:
            request["nextToken"] = response["nextToken"]
            continue
        request.pop("nextToken", None)
        if seen:
            request["startTime"] = max(seen)
        if ended:
            break
        state = glue.get_job_run(JobName="ticker", RunId=run_id)["JobRun"]["JobRunState"]
        ended = state == "SUCCEEDED"
        time.sleep(0.1)
    assert printed == [f"line {i}" for i in range(12)]


def test_describe_log_streams(
    logs_server: RunningServer, logs: Any, chatty: dict[str, Any]
) -> None:
    streams = logs.describe_log_streams(logGroupName=OUTPUT)["logStreams"]
    names = [s["logStreamName"] for s in streams]
    assert names == sorted(names) and chatty["Id"] in names
    mine = next(s for s in streams if s["logStreamName"] == chatty["Id"])
    events = logs.get_log_events(logGroupName=OUTPUT, logStreamName=chatty["Id"])["events"]
    assert mine["firstEventTimestamp"] == events[0]["timestamp"]
    assert mine["lastEventTimestamp"] == events[-1]["timestamp"]
    assert mine["creationTime"] <= mine["firstEventTimestamp"]
    assert mine["storedBytes"] == log_file(logs_server.data_dir, chatty["Id"]).stat().st_size
    assert mine["arn"].endswith(f":log-group:{OUTPUT}:log-stream:{chatty['Id']}")

    newest = logs.describe_log_streams(
        logGroupName=OUTPUT, orderBy="LastEventTime", descending=True
    )["logStreams"]
    last = [s.get("lastEventTimestamp", s["creationTime"]) for s in newest]
    assert last == sorted(last, reverse=True)

    paged = [
        s["logStreamName"]
        for page in logs.get_paginator("describe_log_streams").paginate(
            logGroupName=OUTPUT, PaginationConfig={"PageSize": 1}
        )
        for s in page["logStreams"]
    ]
    assert paged == names
    prefixed = logs.describe_log_streams(logGroupName=OUTPUT, logStreamNamePrefix=chatty["Id"])
    assert [s["logStreamName"] for s in prefixed["logStreams"]] == [chatty["Id"]]
    with pytest.raises(ClientError) as exc:
        logs.describe_log_streams(
            logGroupName=OUTPUT, logStreamNamePrefix="jr_", orderBy="LastEventTime"
        )
    assert _code(exc) == "InvalidParameterException"


def test_describe_log_groups(logs: Any, chatty: dict[str, Any]) -> None:
    groups = logs.describe_log_groups()["logGroups"]
    # Only the Python shell groups: no Spark job has run on this server.
    assert [g["logGroupName"] for g in groups] == [ERROR, OUTPUT]
    assert groups[1]["arn"].endswith(f":log-group:{OUTPUT}:*")
    assert groups[1]["creationTime"] <= _millis(chatty["StartedOn"]) + 1000
    assert [g["logGroupName"] for g in logs.describe_log_groups(limit=1)["logGroups"]] == [ERROR]
    paged = [
        g["logGroupName"]
        for page in logs.get_paginator("describe_log_groups").paginate(
            PaginationConfig={"PageSize": 1}
        )
        for g in page["logGroups"]
    ]
    assert paged == [ERROR, OUTPUT]
    named = logs.describe_log_groups(logGroupNamePrefix="/aws-glue/python-jobs/o")
    assert [g["logGroupName"] for g in named["logGroups"]] == [OUTPUT]
    assert [
        g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePattern="ERR")["logGroups"]
    ] == [ERROR]
    assert logs.describe_log_groups(logGroupNamePrefix="/aws-glue/jobs")["logGroups"] == []


def test_a_group_by_its_arn(logs: Any, chatty: dict[str, Any]) -> None:
    arn = logs.describe_log_groups(logGroupNamePrefix=OUTPUT)["logGroups"][0]["logGroupArn"]
    page = logs.get_log_events(logGroupIdentifier=arn, logStreamName=chatty["Id"])
    assert [e["message"] for e in page["events"]] == CHATTY_LINES


def test_errors(logs: Any, chatty: dict[str, Any]) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        (
            "get_log_events",
            {"logGroupName": "/aws-glue/nope", "logStreamName": "x"},
            "ResourceNotFoundException",
        ),
        (
            "get_log_events",
            {"logGroupName": "/aws-glue/jobs/output", "logStreamName": "x"},
            "ResourceNotFoundException",
        ),  # no Spark run yet: the group does not exist
        (
            "get_log_events",
            {"logGroupName": OUTPUT, "logStreamName": "jr_missing"},
            "ResourceNotFoundException",
        ),
        (
            "get_log_events",
            {"logGroupName": OUTPUT, "logStreamName": "../../catalog.db"},
            "ResourceNotFoundException",
        ),
        ("get_log_events", {"logStreamName": chatty["Id"]}, "InvalidParameterException"),
        (
            "get_log_events",
            {"logGroupName": OUTPUT, "logStreamName": chatty["Id"], "nextToken": "nonsense"},
            "InvalidParameterException",
        ),
        (
            "get_log_events",
            {"logGroupName": OUTPUT, "logStreamName": chatty["Id"], "limit": 10001},
            "InvalidParameterException",
        ),  # the model's max
        (
            "filter_log_events",
            {"logGroupName": OUTPUT, "nextToken": "nonsense"},
            "InvalidParameterException",
        ),
        (
            "filter_log_events",
            {"logGroupName": OUTPUT, "logStreamNames": ["a"], "logStreamNamePrefix": "a"},
            "InvalidParameterException",
        ),
        ("describe_log_streams", {"logGroupName": "/nope"}, "ResourceNotFoundException"),
        (
            "describe_log_groups",
            {"logGroupNamePrefix": "/a", "logGroupNamePattern": "b"},
            "InvalidParameterException",
        ),
    ]
    for method, params, code in cases:
        with pytest.raises(ClientError) as exc:
            getattr(logs, method)(**params)
        assert _code(exc) == code, (method, params)
        assert exc.value.response["Error"]["Message"]
    # A token of one listing is not accepted by another.
    token = logs.describe_log_streams(logGroupName=OUTPUT, limit=1).get("nextToken")
    if token:
        with pytest.raises(ClientError) as exc:
            logs.filter_log_events(logGroupName=OUTPUT, nextToken=token)
        assert _code(exc) == "InvalidParameterException"


def test_a_spark_job_writes_to_the_jobs_groups(tmp_path: Path) -> None:
    # A server of its own: the other tests check that these groups do not exist yet.
    server = start_server(tmp_path / "data")
    try:
        _run_glueetl(server, tmp_path)
    finally:
        server.stop()


def _run_glueetl(server: RunningServer, tmp_path: Path) -> None:
    glue, logs = server.client(), server.client("logs")
    script = write_script(tmp_path, "etl.py", "print('etl says hi')\n")
    glue.create_job(Name="etl", Role="r", Command={"Name": "glueetl", "ScriptLocation": script})
    run_id = glue.start_job_run(JobName="etl")["JobRunId"]
    assert wait_for_run(glue, "etl", run_id)["JobRunState"] == "SUCCEEDED"
    page = logs.get_log_events(logGroupName="/aws-glue/jobs/output", logStreamName=run_id)
    assert [e["message"] for e in page["events"]] == ["etl says hi"]


def test_logs_calls_are_signed_like_glue_calls(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--access-keys", "AKIDLOGS:logs-secret")
    try:
        good = server.client(
            "logs", aws_access_key_id="AKIDLOGS", aws_secret_access_key="logs-secret"
        )
        assert good.describe_log_groups()["logGroups"] == []
        bad = server.client("logs", aws_access_key_id="AKIDLOGS", aws_secret_access_key="wrong")
        with pytest.raises(ClientError) as exc:
            bad.describe_log_groups()
        assert _code(exc) == "InvalidSignatureException"
    finally:
        server.stop()
