"""Unit tests of the jobs' pure rules: the run state machine, argument merging and the command
line, job definition defaults and checks, and how a failure's ErrorMessage is found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openglue.errors import InvalidInputException
from openglue.jobs.arguments import command_line, merge_arguments
from openglue.jobs.job_spec import capacity, job_spec
from openglue.jobs.processes import failure_message
from openglue.jobs.states import (
    LIVE,
    SLOT_HOLDERS,
    TERMINAL,
    TRANSITIONS,
    Event,
    RunState,
    exit_event,
    is_terminal,
    next_state,
    sources,
)

S = RunState


@pytest.mark.parametrize(
    ("state", "event", "expected"),
    [
        (S.WAITING, Event.SLOT_FREED, S.STARTING),
        (S.STARTING, Event.SPAWNED, S.RUNNING),
        (S.STARTING, Event.SPAWN_FAILED, S.FAILED),
        (S.RUNNING, Event.EXITED_OK, S.SUCCEEDED),
        (S.RUNNING, Event.EXITED_WITH_ERROR, S.FAILED),
        (S.RUNNING, Event.TIMED_OUT, S.TIMEOUT),
        (S.RUNNING, Event.STOP_REQUESTED, S.STOPPING),
        (S.STARTING, Event.STOP_REQUESTED, S.STOPPING),
        (S.WAITING, Event.STOP_REQUESTED, S.STOPPED),
        (S.STOPPING, Event.STOP_REQUESTED, S.STOPPING),
        (S.STOPPING, Event.PROCESS_ENDED, S.STOPPED),
        (S.RUNNING, Event.SERVER_LOST, S.FAILED),
        (S.STOPPING, Event.SERVER_LOST, S.STOPPED),
        # Events that mean nothing in a state change nothing.
        (S.SUCCEEDED, Event.STOP_REQUESTED, None),
        (S.STOPPING, Event.EXITED_OK, None),
        (S.WAITING, Event.SPAWNED, None),
        (S.FAILED, Event.EXITED_WITH_ERROR, None),
    ],
)
def test_transitions(state: RunState, event: Event, expected: RunState | None) -> None:
    assert next_state(state, event) == expected


def test_the_machine_is_consistent() -> None:
    for event, moves in TRANSITIONS.items():
        assert set(sources(event)) == set(moves)
        assert not TERMINAL & set(moves), f"{event} leaves a terminal state"
    # Every non-terminal state can still end, and the store counts exactly these.
    reachable_ends = {t for moves in TRANSITIONS.values() for t in moves.values()} & TERMINAL
    assert {S.SUCCEEDED, S.FAILED, S.TIMEOUT, S.STOPPED} <= reachable_ends
    assert set(RunState) - TERMINAL == LIVE
    assert LIVE - {S.WAITING} == SLOT_HOLDERS
    assert is_terminal("TIMEOUT") and not is_terminal("STOPPING")
    assert exit_event(0) == Event.EXITED_OK and exit_event(3) == Event.EXITED_WITH_ERROR


def test_argument_precedence() -> None:
    merged = merge_arguments(
        {"--a": "default", "--b": "default", "--c": "default"},
        {"--b": "run", "--c": "run"},
        {"--c": "fixed"},
    )
    assert merged == {"--a": "default", "--b": "run", "--c": "fixed"}
    assert merge_arguments(None, None, None) == {}


def test_command_line() -> None:
    line = command_line(
        "/py",
        "/s.py",
        job_name="nightly",
        job_id="j_1",
        run_id="jr_1",
        arguments={
            "--day": "mon",
            "--enable-metrics": "",
            "--TempDir": "s3://tmp/",
            "--JOB_NAME": "ignored",
            "--job-bookmark-option": "job-bookmark-enable",
        },
    )
    assert line == [
        "/py", "/s.py",
        "--JOB_NAME", "nightly", "--JOB_ID", "j_1", "--JOB_RUN_ID", "jr_1",
        "--job-bookmark-option", "job-bookmark-enable",
        "--TempDir", "s3://tmp/",
        "--day", "mon",
        "--enable-metrics",
    ]  # fmt: skip
    plain = command_line("/py", "/s.py", job_name="n", job_id="j", run_id="r", arguments={})
    assert plain[-2:] == ["--job-bookmark-option", "job-bookmark-disable"]


def _job(**given: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Name": "n",
        "Role": "r",
        "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/s.py"},
    }
    return job_spec({**base, **given})


def test_defaults_follow_glue() -> None:
    spec = _job()
    assert spec["GlueVersion"] == "6.0" and spec["Timeout"] == 480
    assert spec["MaxRetries"] == 0 and spec["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert spec["JobMode"] == "SCRIPT" and spec["Command"]["PythonVersion"] == "3"
    assert (spec["MaxCapacity"], spec["AllocatedCapacity"]) == (10.0, 10)
    assert _job(GlueVersion="4.0")["Timeout"] == 2880
    assert _job(GlueVersion="5.0")["Timeout"] == 480
    shell = _job(Command={"Name": "pythonshell", "ScriptLocation": "/x.py"})
    assert (shell["GlueVersion"], shell["Timeout"], shell["MaxCapacity"]) == ("3.0", 2880, 0.0625)
    assert "Name" not in spec and "Tags" not in _job(Tags={"a": "b"})


def test_worker_capacity_is_reported_in_dpus() -> None:
    assert capacity("glueetl", {"WorkerType": "G.2X", "NumberOfWorkers": 5}) == {
        "WorkerType": "G.2X",
        "NumberOfWorkers": 5,
        "MaxCapacity": 10.0,
        "AllocatedCapacity": 10,
    }
    assert capacity("glueetl", {"AllocatedCapacity": 4})["MaxCapacity"] == 4.0
    assert capacity("pythonshell", {"MaxCapacity": 1})["MaxCapacity"] == 1.0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"Command": {"Name": "gluestreaming", "ScriptLocation": "x"}}, "runs glueetl and"),
        ({"Command": {"Name": "glueetl"}}, "ScriptLocation is required"),
        ({"Command": {"Name": "glueetl", "ScriptLocation": "x", "PythonVersion": "2"}}, "2"),
        ({"Timeout": 10081}, "10080"),
        ({"MaxRetries": -1}, "MaxRetries"),
        ({"ExecutionProperty": {"MaxConcurrentRuns": 0}}, "at least 1"),
        ({"WorkerType": "G.1X"}, "both WorkerType and NumberOfWorkers"),
        ({"WorkerType": "G.1X", "NumberOfWorkers": 2, "MaxCapacity": 2.0}, "Do not set"),
        ({"WorkerType": "G.1X", "NumberOfWorkers": 1}, "at least 2"),
        ({"WorkerType": "Z.2X", "NumberOfWorkers": 2}, "Ray"),
        ({"MaxCapacity": 2.5}, "whole number"),
        ({"MaxCapacity": 101.0}, "2 to 100"),
        ({"ExecutionClass": "FLEX", "GlueVersion": "2.0"}, "FLEX"),
        ({"GlueVersion": "x.y"}, "not a Glue version"),
    ],
)
def test_invalid_definitions(given: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputException, match=message):
        _job(**given)


def test_pythonshell_capacity_rules() -> None:
    shell = {"Name": "pythonshell", "ScriptLocation": "/x.py"}
    with pytest.raises(InvalidInputException, match=r"0\.0625 or 1"):
        _job(Command=shell, MaxCapacity=2.0)
    with pytest.raises(InvalidInputException, match="not WorkerType"):
        _job(Command=shell, WorkerType="G.1X", NumberOfWorkers=2)
    with pytest.raises(InvalidInputException, match="FLEX"):
        _job(Command=shell, ExecutionClass="FLEX")


def test_update_keeps_the_glue_version_when_omitted() -> None:
    given = {"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "x"}}
    assert job_spec(given, previous_glue_version="4.0")["GlueVersion"] == "4.0"
    assert job_spec({**given, "GlueVersion": "5.0"}, "4.0")["GlueVersion"] == "5.0"


TRACEBACK = """\
some output
Traceback (most recent call last):
  File "/x.py", line 1, in <module>
    raise KeyError("first")
KeyError: 'first'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/x.py", line 3, in <module>
    raise ValueError("bad input")
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
ValueError: bad input
"""


@pytest.mark.parametrize(
    ("stderr", "status", "expected"),
    [
        (TRACEBACK, 1, "ValueError: bad input"),
        ("warming up\nno space left\n\n", 3, "Command failed with exit code 3: no space left"),
        ("", 137, "Command failed with exit code 137"),
        (None, 2, "Command failed with exit code 2"),
    ],
)
def test_failure_message(tmp_path: Path, stderr: str | None, status: int, expected: str) -> None:
    path = tmp_path / "error"
    if stderr is not None:
        path.write_text(stderr)
    assert failure_message(path, status) == expected
