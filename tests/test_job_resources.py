"""The documented mapping from Glue's worker sizes to engine resources (docs/jobs.md)."""

from __future__ import annotations

import pytest

from openglue.jobs.resources import run_resources

# WorkerType: (DPUs, vCPUs, GB), from the WorkerType documentation in botocore's Glue model.
DOCUMENTED = {
    "G.025X": (0.25, 2, 4),
    "G.1X": (1, 4, 16),
    "G.2X": (2, 8, 32),
    "G.4X": (4, 16, 64),
    "G.8X": (8, 32, 128),
    "G.12X": (12, 48, 192),
    "G.16X": (16, 64, 256),
    "R.1X": (1, 4, 32),
    "R.2X": (2, 8, 64),
    "R.4X": (4, 16, 128),
    "R.8X": (8, 32, 256),
}


@pytest.mark.parametrize("worker_type", sorted(DOCUMENTED))
def test_each_worker_type_on_a_cluster(worker_type: str) -> None:
    dpus, vcpus, memory_gb = DOCUMENTED[worker_type]
    spec = {"WorkerType": worker_type, "NumberOfWorkers": 5, "MaxCapacity": 5 * dpus}
    resources = run_resources("glueetl", spec, machine_cores=2, memory_mb=8192)
    assert resources is not None
    heap = f"{memory_gb * 1024 * 5 // 8}m"
    assert resources.spark_confs("spark://cluster:7077") == {
        "spark.executor.instances": "4",
        "spark.executor.cores": str(vcpus),
        "spark.executor.memory": heap,
        "spark.driver.cores": str(vcpus),
        "spark.driver.memory": heap,
    }
    assert resources.environment({})["OPENGLUE_DPUS"] == f"{5 * dpus:g}"


@pytest.mark.parametrize(
    ("workers", "cores", "memory_mb", "threads", "heap_mb"),
    [
        (2, 64, 65536, 4, 10240),  # one G.1X executor: 4 threads, a 10 GB heap
        (10, 64, 65536, 36, 32768),  # 9 executors: heap capped at half the machine
        (10, 2, 65536, 2, 32768),  # threads capped by the machine's cores
        (2, 8, 1024, 4, 1024),  # never below 1 GB
    ],
)
def test_one_machine_is_shared_out(
    workers: int, cores: int, memory_mb: int, threads: int, heap_mb: int
) -> None:
    spec = {"WorkerType": "G.1X", "NumberOfWorkers": workers}
    resources = run_resources("glueetl", spec, machine_cores=cores, memory_mb=memory_mb)
    assert resources is not None
    assert resources.environment({})["OPENGLUE_SPARK_MASTER"] == f"local[{threads}]"
    assert resources.spark_confs(f"local[{threads}]") == {"spark.driver.memory": f"{heap_mb}m"}


def test_explicit_choices_win_and_python_shell_is_not_sized() -> None:
    resources = run_resources("glueetl", {"MaxCapacity": 10.0}, machine_cores=4, memory_mb=8192)
    assert resources is not None and resources.worker_type == "Standard"
    environ = {"OPENGLUE_SPARK_MASTER": "local[1]", "SAIL_EXECUTION__DEFAULT_PARALLELISM": "3"}
    env = resources.environment(environ)
    assert "OPENGLUE_SPARK_MASTER" not in env and "SAIL_EXECUTION__DEFAULT_PARALLELISM" not in env
    assert run_resources("pythonshell", {"MaxCapacity": 1.0}) is None
