"""Conditional chains survive a server crash: a watched run that ends while no server runs is
found by the next server, which fires the dependent trigger once."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from tests.support.jobs import (
    log_file,
    shell_job,
    wait_for_run,
    wait_for_runs,
    wait_for_text,
    write_script,
)
from tests.support.server import RunningServer, start_server

SLOW = """\
import time
time.sleep(1.5)
print("done", flush=True)
"""


def _crash(server: RunningServer) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    server.stop()


def test_a_run_that_ends_while_the_server_is_down_still_fires_its_trigger(
    tmp_path: Path,
) -> None:
    first = start_server(tmp_path / "data")
    glue: Any = first.client()
    script = write_script(tmp_path, "slow.py", SLOW)
    glue.create_job(Name="extract", **shell_job(script))
    glue.create_job(Name="load", **shell_job(script))
    glue.create_trigger(Name="go", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    glue.create_trigger(
        Name="then-load",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"JobName": "extract", "State": "SUCCEEDED"}]},
        Actions=[{"JobName": "load"}],
    )
    glue.start_trigger(Name="go")
    extract = glue.get_job_runs(JobName="extract")["JobRuns"][0]["Id"]
    wait_for_run(glue, "extract", extract, ("RUNNING",))
    _crash(first)  # extract goes on, and ends while no server runs
    wait_for_text(log_file(tmp_path / "data", extract), "done")
    time.sleep(0.5)  # for its exit status to be written

    second = start_server(tmp_path / "data")
    try:
        glue = second.client()
        assert wait_for_run(glue, "extract", extract)["JobRunState"] == "SUCCEEDED"
        (load,) = wait_for_runs(glue, "load", 1)
        assert load["TriggerName"] == "then-load"
        assert load["PredecessorRuns"] == [{"JobName": "extract", "RunId": extract}]
        assert wait_for_run(glue, "load", load["Id"])["JobRunState"] == "SUCCEEDED"
    finally:
        second.stop()

    third = start_server(tmp_path / "data")  # a clean restart repeats nothing
    try:
        glue = third.client()
        time.sleep(0.5)  # room for a wrong second fire to happen
        assert len(glue.get_job_runs(JobName="extract")["JobRuns"]) == 1
        assert len(glue.get_job_runs(JobName="load")["JobRuns"]) == 1
    finally:
        third.stop()
