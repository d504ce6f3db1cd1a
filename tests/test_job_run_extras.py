"""What a run brings along and how long it may queue, through boto3 against a real server.

``--extra-py-files`` / ``--extra-files`` from the embedded buckets and local paths,
``--additional-python-modules`` checked against the environment, and queued (WAITING) runs
that expire. The server counts one minute of a Timeout as one second.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.jobs import SLEEPER, log_file, shell_job, wait_for_run, write_script
from tests.support.server import RunningServer, start_server

USES_EXTRAS = """\
import json, os, sys
import greeting            # greeting.py from the embedded bucket
import shouting            # shouting.py, a local path
from packed.tools import double   # packed/tools.py inside tools.zip
print(json.dumps({
    "hello": greeting.hello("glue"),
    "loud": shouting.shout("glue"),
    "double": double(21),
    "settings": open("settings.json").read(),      # --extra-files: in the working directory
    "notes": open("notes.txt").read(),
    "greeting_file": greeting.__file__,
    "cwd": os.getcwd(),
}))
"""


@pytest.fixture(scope="module")
def job_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("extras"), "--job-timeout-unit-seconds", "1")
    yield running
    running.stop()


@pytest.fixture
def glue(job_server: RunningServer) -> Any:
    return job_server.client()


def _bucket_file(server: RunningServer, key: str, text: str) -> str:
    path = server.data_dir / "buckets" / "libs" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return f"s3://libs/{key}"


def test_extra_py_files_and_extra_files_reach_the_run(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    greeting = _bucket_file(job_server, "py/greeting.py", "def hello(n):\n    return 'hi ' + n\n")
    settings = _bucket_file(job_server, "conf/settings.json", '{"level": 3}')
    shouting = write_script(tmp_path, "local/shouting.py", "def shout(n):\n    return n.upper()\n")
    notes = write_script(tmp_path, "local/notes.txt", "remember")
    archive = tmp_path / "tools.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("packed/__init__.py", "")
        zf.writestr("packed/tools.py", "def double(x):\n    return 2 * x\n")
    script = write_script(tmp_path, "job.py", USES_EXTRAS)
    glue.create_job(
        Name=unique_name,
        **shell_job(script),
        DefaultArguments={
            "--extra-py-files": f"{greeting}, {shouting},{archive}",
            "--extra-files": f"{settings},{notes}",
        },
    )
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    report = json.loads(log_file(job_server.data_dir, run_id).read_text())
    assert report["hello"] == "hi glue" and report["loud"] == "GLUE" and report["double"] == 42
    assert report["settings"] == '{"level": 3}' and report["notes"] == "remember"
    # Copied into the run's own working directory, as Glue downloads them.
    assert report["greeting_file"].startswith(report["cwd"])


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"--extra-py-files": "s3://libs/nowhere/missing.py"}, "missing.py not found"),
        ({"--extra-py-files": "s3://libs/py/"}, "is not a Python file"),
        ({"--extra-files": "/no/such/file.json"}, "--extra-files entry /no/such/file.json"),
        ({"--extra-py-files": "/tmp/data.csv"}, "give .py modules or .zip, .whl or .egg"),
        (
            {"--additional-python-modules": "boto3<1,no-such-package-here==1.0"},
            "boto3<1 (1.",
        ),
        (
            {"--additional-python-modules": "no-such-package-here==1.0"},
            "pip install 'no-such-package-here==1.0'",
        ),
    ],
)
def test_files_and_modules_that_cannot_be_had_fail_the_run(
    glue: Any,
    tmp_path: Path,
    unique_name: str,
    arguments: dict[str, str],
    expected: str,
) -> None:
    glue.create_job(Name=unique_name, **shell_job(write_script(tmp_path, "j.py", "print(1)")))
    run_id = glue.start_job_run(JobName=unique_name, Arguments=arguments)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "FAILED"
    assert expected in run["ErrorMessage"], run["ErrorMessage"]


def test_installed_additional_python_modules_run(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(tmp_path, "j.py", "import boto3\nprint(boto3.__version__)\n")
    glue.create_job(Name=unique_name, **shell_job(script))
    arguments = {
        "--additional-python-modules": "boto3>=1.44, sqlalchemy",
        "--python-modules-installer-option": "--upgrade",
    }
    run_id = glue.start_job_run(JobName=unique_name, Arguments=arguments)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    assert log_file(job_server.data_dir, run_id).read_text().startswith("1.44")


def test_a_queued_run_expires_after_its_timeout(
    glue: Any, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(tmp_path, "s.py", SLEEPER)
    glue.create_job(Name=unique_name, **shell_job(script), JobRunQueuingEnabled=True)
    busy = glue.start_job_run(JobName=unique_name, Timeout=60)["JobRunId"]
    wait_for_run(glue, unique_name, busy, ("RUNNING",))
    short = glue.start_job_run(JobName=unique_name, Timeout=1)["JobRunId"]
    patient = glue.start_job_run(JobName=unique_name, Timeout=60)["JobRunId"]

    expired = wait_for_run(glue, unique_name, short, timeout=15)
    assert expired["JobRunState"] == "EXPIRED"
    assert "waited in the queue longer than its Timeout of 1 minute" in expired["ErrorMessage"]
    assert expired["CompletedOn"] >= expired["StartedOn"] and expired["ExecutionTime"] == 0
    assert "StateDetail" not in expired
    # Only the run past its time ends; the others keep their slot and their place.
    states = {
        run_id: glue.get_job_run(JobName=unique_name, RunId=run_id)["JobRun"]["JobRunState"]
        for run_id in (busy, patient)
    }
    assert states == {busy: "RUNNING", patient: "WAITING"}
    glue.batch_stop_job_run(JobName=unique_name, JobRunIds=[busy, patient])
    for run_id in (busy, patient):
        assert wait_for_run(glue, unique_name, run_id)["JobRunState"] == "STOPPED"


# What the engine of a glueetl run is set to, without starting it (see awsglue.engine).
SHOWS_ENGINE = """\
import json, os, sys
from awsglue.engine import resolve_engine
spec = resolve_engine(os.environ, sys.argv)
names = ("OPENGLUE_WORKER_TYPE", "OPENGLUE_NUMBER_OF_WORKERS", "OPENGLUE_DPUS",
         "SAIL_EXECUTION__DEFAULT_PARALLELISM")
print(json.dumps({"master": spec.master, "confs": dict(spec.confs),
                  "env": {name: os.environ.get(name) for name in names}}))
"""


def _machine() -> tuple[int, int]:
    """(cores, MB of memory) of this machine, which caps a local engine."""
    import os

    return os.cpu_count() or 1, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def _engine_of(glue: Any, server: RunningServer, job: str, **start: Any) -> tuple[dict, dict]:
    run_id = glue.start_job_run(JobName=job, **start)["JobRunId"]
    run = wait_for_run(glue, job, run_id)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    report = json.loads(log_file(server.data_dir, run_id, shell=False).read_text())
    return run, report


@pytest.mark.parametrize(
    ("sizing", "worker_type", "workers", "dpus"),
    [
        ({"WorkerType": "G.2X", "NumberOfWorkers": 3}, "G.2X", 3, 6.0),
        ({"WorkerType": "R.1X", "NumberOfWorkers": 5}, "R.1X", 5, 5.0),
        ({"MaxCapacity": 4.0}, "Standard", 4, 4.0),
    ],
)
def test_worker_resources_reach_a_local_engine(
    glue: Any,
    job_server: RunningServer,
    tmp_path: Path,
    unique_name: str,
    sizing: dict[str, Any],
    worker_type: str,
    workers: int,
    dpus: float,
) -> None:
    script = write_script(tmp_path, "engine.py", SHOWS_ENGINE)
    command = {"Name": "glueetl", "ScriptLocation": script}
    glue.create_job(Name=unique_name, Role="r", Command=command, GlueVersion="4.0", **sizing)
    run, report = _engine_of(glue, job_server, unique_name)
    assert (run["MaxCapacity"], run["AllocatedCapacity"]) == (dpus, int(dpus))
    vcpus, memory_gb = {"G.2X": (8, 32), "R.1X": (4, 32), "Standard": (4, 16)}[worker_type]
    cores, memory_mb = _machine()
    threads = min((workers - 1) * vcpus, cores)  # one worker is the driver
    heap_mb = min((workers - 1) * memory_gb * 1024 * 5 // 8, memory_mb // 2)
    assert report["master"] == f"local[{threads}]"
    assert report["confs"]["spark.driver.memory"] == f"{max(1024, heap_mb)}m"
    assert report["env"] == {
        "OPENGLUE_WORKER_TYPE": worker_type,
        "OPENGLUE_NUMBER_OF_WORKERS": str(workers),
        "OPENGLUE_DPUS": f"{dpus:g}",
        "SAIL_EXECUTION__DEFAULT_PARALLELISM": str(threads),
    }


def test_run_sizing_overrides_and_cluster_masters(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    script = write_script(tmp_path, "engine.py", SHOWS_ENGINE)
    glue.create_job(
        Name=unique_name,
        Role="r",
        Command={"Name": "glueetl", "ScriptLocation": script},
        WorkerType="G.1X",
        NumberOfWorkers=10,
        DefaultArguments={"--conf": "spark.master=spark://cluster:7077 --conf spark.x=1"},
    )
    run, report = _engine_of(glue, job_server, unique_name, WorkerType="G.4X", NumberOfWorkers=3)
    assert (run["WorkerType"], run["NumberOfWorkers"], run["MaxCapacity"]) == ("G.4X", 3, 12.0)
    assert report["master"] == "spark://cluster:7077"
    heap = f"{64 * 1024 * 5 // 8}m"
    confs = report["confs"]
    assert {k: confs[k] for k in confs if k.startswith(("spark.executor.", "spark.driver."))} == {
        "spark.executor.instances": "2",
        "spark.executor.cores": "16",
        "spark.executor.memory": heap,
        "spark.driver.cores": "16",
        "spark.driver.memory": heap,
    }
    assert confs["spark.x"] == "1"
    # The job's own --conf wins over what its size implies.
    override = {"--conf": "spark.master=spark://cluster:7077 --conf spark.executor.cores=3"}
    _, report = _engine_of(glue, job_server, unique_name, Arguments=override)
    assert report["confs"]["spark.executor.cores"] == "3"
    assert report["confs"]["spark.executor.instances"] == "9"


SPARK_WITH_SHIPPED_CODE = """\
import json
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.transforms import Filter
from pyspark.context import SparkContext
import rules  # from --extra-py-files (rules.zip)

sc = SparkContext()
glue = GlueContext(sc)
frame = DynamicFrame.fromDF(glue.spark_session.range(12), glue, "numbers")
# A function from the shipped module cannot become a column expression: it runs in Spark's
# Python workers, which must import the module too.
kept = Filter.apply(frame=frame, f=lambda row: rules.keep(row["id"]))
print(json.dumps({
    "kept": sorted(row.id for row in kept.toDF().collect()),
    "master": sc.master,
    "parallelism": sc.defaultParallelism,
    "memory": sc.getConf().get("spark.driver.memory"),
    "py_files": sc.getConf().get("spark.submit.pyFiles"),
}))
"""


@pytest.mark.slow
def test_a_spark_run_gets_its_size_and_ships_its_python_files(
    glue: Any, job_server: RunningServer, tmp_path: Path, unique_name: str
) -> None:
    archive = tmp_path / "rules.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("rules.py", "def keep(n):\n    return n % 3 == 0\n")
    script = write_script(tmp_path, "spark_job.py", SPARK_WITH_SHIPPED_CODE)
    glue.create_job(
        Name=unique_name,
        Role="r",
        Command={"Name": "glueetl", "ScriptLocation": script},
        WorkerType="G.1X",
        NumberOfWorkers=2,
        DefaultArguments={"--extra-py-files": str(archive)},
    )
    run_id = glue.start_job_run(JobName=unique_name)["JobRunId"]
    run = wait_for_run(glue, unique_name, run_id, timeout=180)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    line = log_file(job_server.data_dir, run_id, shell=False).read_text().splitlines()[-1]
    report = json.loads(line)
    assert report["kept"] == [0, 3, 6, 9]
    threads = min(4, _machine()[0])
    assert (report["master"], report["parallelism"]) == (f"local[{threads}]", threads)
    assert report["memory"] == f"{max(1024, min(10240, _machine()[1] // 2))}m"
    assert report["py_files"].endswith("/extra-py-files/rules.zip")
