"""Job bookmarks through real clients: runs of a job commit through the awsglue runtime
(``OpenGlue.CommitJobBookmark``, SigV4-signed: this server requires signatures), boto3 and
the AWS CLI read and reset them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from awsglue.server_bookmarks import (
    BookmarkCommitError,
    ServerBookmarks,
    _post,
    open_server_bookmarks,
)
from tests.support.jobs import log_file, shell_job, wait_for_run, wait_for_text, write_script
from tests.support.server import RunningServer, start_server

KEY, SECRET = "AKIDBOOKMARKS", "b00kmarks"

# Reads the bookmark at init, stages one element, waits for the test to open its gate, then
# commits — or fails before committing.
COMMITTER = """\
import sys, time
from pathlib import Path
from awsglue import bookmarks
from awsglue.job import Job
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "gate", "outcome"])
job = Job(None)
job.init(args["JOB_NAME"], args)
bookmarks.active().update("src", {"RUN_ID": args["JOB_RUN_ID"]})
print("ready", flush=True)
while not Path(args["gate"]).exists():
    time.sleep(0.02)
if args["outcome"] == "fail":
    raise RuntimeError("failed before job.commit()")
job.commit()
print("committed", flush=True)
"""


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("bookmarks"), "--access-keys", f"{KEY}:{SECRET}")
    yield running
    running.stop()


@pytest.fixture
def glue(secured: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The runtime's commit signs with the process's credentials, as a job process does.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return secured.client(aws_access_key_id=KEY, aws_secret_access_key=SECRET)


@pytest.fixture
def job(glue: Any, tmp_path: Path, unique_name: str) -> str:
    script = write_script(tmp_path, "committer.py", COMMITTER)
    glue.create_job(
        Name=unique_name,
        **shell_job(script, ExecutionProperty={"MaxConcurrentRuns": 2}),
        DefaultArguments={"--job-bookmark-option": "job-bookmark-enable"},
    )
    return unique_name


def _start(glue: Any, job: str, gate: Path, outcome: str = "commit") -> str:
    arguments = {"--gate": str(gate), "--outcome": outcome}
    return str(glue.start_job_run(JobName=job, Arguments=arguments)["JobRunId"])


def _run(glue: Any, job: str, tmp_path: Path, outcome: str = "commit") -> dict[str, Any]:
    gate = tmp_path / "open"
    gate.touch()
    run_id = _start(glue, job, gate, outcome)
    return wait_for_run(glue, job, run_id, timeout=60)


def _bookmark(glue: Any, job: str, **extra: str) -> dict[str, Any]:
    entry: dict[str, Any] = glue.get_job_bookmark(JobName=job, **extra)["JobBookmarkEntry"]
    return entry


def _code(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as exc:
        call()
    error = exc.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def test_successful_runs_commit_failed_ones_do_not_and_reset_rewinds(
    glue: Any, job: str, tmp_path: Path
) -> None:
    code, message = _code(lambda: glue.get_job_bookmark(JobName=job))
    assert code == "EntityNotFoundException" and "no job bookmark yet" in message

    first = _run(glue, job, tmp_path)
    assert first["JobRunState"] == "SUCCEEDED", first.get("ErrorMessage")
    r1 = first["Id"]
    assert _bookmark(glue, job) == {
        "JobName": job,
        "Version": 1,
        "Run": 1,
        "Attempt": 0,
        "RunId": r1,
        "JobBookmark": json.dumps({"src": {"RUN_ID": r1}}),
    }
    r2 = _run(glue, job, tmp_path)["Id"]
    second = _bookmark(glue, job)
    assert (second["Version"], second["Run"], second["RunId"]) == (2, 2, r2)
    assert second["PreviousRunId"] == r1

    failed = _run(glue, job, tmp_path, outcome="fail")
    assert failed["JobRunState"] == "FAILED"
    assert _bookmark(glue, job) == second  # the failed run saved nothing

    assert json.loads(_bookmark(glue, job, RunId=r1)["JobBookmark"]) == {"src": {"RUN_ID": r1}}
    code, message = _code(lambda: glue.get_job_bookmark(JobName=job, RunId=failed["Id"]))
    assert code == "EntityNotFoundException" and "committed no job bookmark" in message

    rewound = glue.reset_job_bookmark(JobName=job, RunId=r1)["JobBookmarkEntry"]
    assert (rewound["Version"], rewound["RunId"], rewound["PreviousRunId"]) == (3, r1, r2)
    assert json.loads(rewound["JobBookmark"]) == {"src": {"RUN_ID": r1}}
    assert _bookmark(glue, job) == rewound

    cleared = glue.reset_job_bookmark(JobName=job)["JobBookmarkEntry"]
    assert (cleared["Version"], cleared["JobBookmark"]) == (4, "{}")
    assert "RunId" not in cleared

    third = _run(glue, job, tmp_path)["Id"]
    assert (_bookmark(glue, job)["Version"], _bookmark(glue, job)["Run"]) == (5, 3)
    assert json.loads(_bookmark(glue, job)["JobBookmark"]) == {"src": {"RUN_ID": third}}


def test_pause_with_a_range_reads_the_states_of_those_runs(
    glue: Any, job: str, tmp_path: Path
) -> None:
    r1, r2 = _run(glue, job, tmp_path)["Id"], _run(glue, job, tmp_path)["Id"]
    args = {"job_bookmark_from": r1, "job_bookmark_to": r2, "JOB_RUN_ID": "jr_x"}
    paused = open_server_bookmarks(job, "job-bookmark-pause", args, glue)
    assert paused is not None
    assert paused.get("src") == {"RUN_ID": r1}
    assert paused.upper_bound("src") == {"RUN_ID": r2}
    assert paused.upper_bound("other") == {}
    paused.update("src", {"RUN_ID": "paused"})
    paused.commit()  # pause never saves
    assert _bookmark(glue, job)["Version"] == 2
    enabled = open_server_bookmarks(job, "job-bookmark-enable", {}, glue)
    assert enabled is not None and enabled.get("src") == {"RUN_ID": r2}
    assert enabled.upper_bound("src") is None
    with pytest.raises(ValueError, match=f"run jr_gone of job {job} committed no bookmark"):
        open_server_bookmarks(
            job, "job-bookmark-pause", {**args, "job_bookmark_to": "jr_gone"}, glue
        )
    assert open_server_bookmarks("no_such_job", "job-bookmark-enable", {}, glue) is None


def test_deleting_the_job_deletes_its_bookmark(glue: Any, job: str, tmp_path: Path) -> None:
    _run(glue, job, tmp_path)
    glue.delete_job(JobName=job)
    assert _code(lambda: glue.get_job_bookmark(JobName=job))[1] == f"Job {job} not found."
    assert _code(lambda: glue.reset_job_bookmark(JobName=job))[0] == "EntityNotFoundException"
    glue.create_job(Name=job, **shell_job("/nowhere.py"))
    assert _code(lambda: glue.get_job_bookmark(JobName=job))[0] == "EntityNotFoundException"


def test_of_two_racing_runs_one_commits_and_the_other_fails(
    secured: RunningServer, glue: Any, job: str, tmp_path: Path
) -> None:
    gate = tmp_path / "together"
    runs = [_start(glue, job, gate), _start(glue, job, gate)]
    for run_id in runs:  # both have read the (empty) bookmark before either commits
        wait_for_text(log_file(secured.data_dir, run_id), "ready", timeout=60)
    gate.touch()
    ended = {run_id: wait_for_run(glue, job, run_id, timeout=60) for run_id in runs}
    states = sorted(run["JobRunState"] for run in ended.values())
    assert states == ["FAILED", "SUCCEEDED"]
    (winner,) = [r for r, run in ended.items() if run["JobRunState"] == "SUCCEEDED"]
    (loser,) = [run for run in ended.values() if run["JobRunState"] == "FAILED"]
    assert "ConcurrentModificationException" in loser["ErrorMessage"]
    entry = _bookmark(glue, job)
    assert (entry["Version"], entry["RunId"]) == (1, winner)
    assert json.loads(entry["JobBookmark"]) == {"src": {"RUN_ID": winner}}


def test_commits_refused_for_ended_or_foreign_runs_and_stale_versions(
    glue: Any, job: str, tmp_path: Path
) -> None:
    ended = _run(glue, job, tmp_path)["Id"]

    def commit(run_id: str | None, version: int) -> None:
        state = ServerBookmarks(job, "job-bookmark-enable", glue, None, run_id=run_id)
        state.version = version
        state.update("src", {"BY": "hand"})
        state.commit()

    with pytest.raises(BookmarkCommitError, match=f"InvalidStateException: Job run {ended} is"):
        commit(ended, 1)
    with pytest.raises(BookmarkCommitError, match=f"Job run jr_nope of job {job} not found"):
        commit("jr_nope", 1)
    with pytest.raises(BookmarkCommitError, match="at version 1, not 0"):
        commit(None, 0)
    commit(None, 1)  # a script run by hand (no run id) commits on the current version
    entry = _bookmark(glue, job)
    assert (entry["Version"], "RunId" in entry) == (2, False)
    assert json.loads(entry["JobBookmark"]) == {"src": {"BY": "hand"}}


def test_private_operation_checks_its_input_and_its_name(glue: Any, job: str) -> None:
    with pytest.raises(BookmarkCommitError, match="InvalidInputException: ExpectedVersion"):
        _post(glue, "OpenGlue.CommitJobBookmark", {"JobName": job, "JobBookmark": {}})
    bad = {"JobName": job, "ExpectedVersion": 0, "JobBookmark": {"src": {"n": 1}}}
    with pytest.raises(BookmarkCommitError, match="every value must be a string"):
        _post(glue, "OpenGlue.CommitJobBookmark", bad)
    with pytest.raises(BookmarkCommitError, match="UnknownOperationException: PutJobBookmark"):
        _post(glue, "OpenGlue.PutJobBookmark", {})


def test_unsigned_commits_are_refused(glue: Any, job: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    body = {"JobName": job, "ExpectedVersion": 0, "JobBookmark": {"src": {"n": "1"}}}
    with pytest.raises(BookmarkCommitError, match="InvalidSignatureException"):
        _post(glue, "OpenGlue.CommitJobBookmark", body)
    assert _code(lambda: glue.get_job_bookmark(JobName=job))[0] == "EntityNotFoundException"


def test_aws_cli_reads_and_resets_bookmarks(
    secured: RunningServer, glue: Any, job: str, tmp_path: Path
) -> None:
    executable = Path(sys.executable).parent / "aws"
    if not executable.exists():
        pytest.skip(f"the AWS CLI is not installed next to {sys.executable}; pip install awscli")
    run_id = _run(glue, job, tmp_path)["Id"]
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env = {
        **keep,
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_PAGER": "",
    }

    def aws(*args: str) -> dict[str, Any]:
        result = subprocess.run(
            [str(executable), "glue", *args, "--endpoint-url", secured.url, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        parsed: dict[str, Any] = json.loads(result.stdout)
        return parsed

    entry = aws("get-job-bookmark", "--job-name", job)["JobBookmarkEntry"]
    assert (entry["Version"], entry["RunId"]) == (1, run_id)
    reset = aws("reset-job-bookmark", "--job-name", job)["JobBookmarkEntry"]
    assert (reset["Version"], reset["JobBookmark"]) == (2, "{}")
    again = aws("reset-job-bookmark", "--job-name", job, "--run-id", run_id)["JobBookmarkEntry"]
    assert json.loads(again["JobBookmark"]) == {"src": {"RUN_ID": run_id}}
