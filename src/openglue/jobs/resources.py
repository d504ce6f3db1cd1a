"""WorkerType, NumberOfWorkers and MaxCapacity turned into what a run's engine gets.

Glue runs one Spark executor per worker, and one of the workers is the driver. OpenGlue maps:

- a worker type to cores and memory (the WorkerType documentation: G.1X = 1 DPU = 4 vCPU and
  16 GB, G.2X twice that, …; R types have twice the memory); a job sized by MaxCapacity alone
  gets that many 1-DPU workers of G.1X's size (reported as ``Standard``);
- on a cluster master (``OPENGLUE_SPARK_MASTER`` or ``--conf spark.master``):
  ``spark.executor.instances`` = workers − 1, ``spark.executor.cores`` = the worker's vCPUs,
  ``spark.executor.memory`` and ``spark.driver.memory`` = 5/8 of the worker's memory (the rest
  is left to the JVM and the OS, as Glue's G.1X runs 10 GB heaps);
- on one machine (``local``, the default): ``local[N]`` with N = (workers − 1) × vCPUs, capped
  by the machine's cores, and one heap for all executors (at most half the machine's memory);
- on Sail: N threads of parallelism (``SAIL_EXECUTION__DEFAULT_PARALLELISM``).

An explicit choice wins: the server's own ``OPENGLUE_SPARK_MASTER`` or
``SAIL_EXECUTION__DEFAULT_PARALLELISM``, and the job's ``--conf`` arguments. Python shell jobs
(0.0625 or 1 DPU) run as plain processes: they are told their size, nothing is enforced.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# vCPUs and GB of memory per worker.
WORKER_SHAPES: dict[str, tuple[int, int]] = {
    "Standard": (4, 16),
    "G.025X": (2, 4),
    "G.1X": (4, 16),
    "G.2X": (8, 32),
    "G.4X": (16, 64),
    "G.8X": (32, 128),
    "G.12X": (48, 192),
    "G.16X": (64, 256),
    "R.1X": (4, 32),
    "R.2X": (8, 64),
    "R.4X": (16, 128),
    "R.8X": (32, 256),
    "Z.2X": (8, 64),
}
HEAP_SHARE = 5 / 8
# Read by the run's awsglue.engine (its MASTER_ENV and RUN_CONFS_ENV); named here so that the
# server does not import the runtime.
MASTER_ENV = "OPENGLUE_SPARK_MASTER"
RUN_CONFS_ENV = "OPENGLUE_RUN_SPARK_CONFS"
SAIL_PARALLELISM_ENV = "SAIL_EXECUTION__DEFAULT_PARALLELISM"


@dataclass(frozen=True)
class RunResources:
    worker_type: str
    workers: int
    dpus: float
    executors: int
    cores: int  # per executor
    heap_mb: int  # per executor, and for the driver
    machine_cores: int
    machine_memory_mb: int

    @property
    def local_threads(self) -> int:
        return max(1, min(self.executors * self.cores, self.machine_cores))

    @property
    def local_heap_mb(self) -> int:
        return max(1024, min(self.executors * self.heap_mb, self.machine_memory_mb // 2))

    def spark_confs(self, master: str) -> dict[str, str]:
        """Resource settings for classic Spark on ``master``."""
        if master.startswith("local"):
            return {"spark.driver.memory": f"{self.local_heap_mb}m"}
        return {
            "spark.executor.instances": str(self.executors),
            "spark.executor.cores": str(self.cores),
            "spark.executor.memory": f"{self.heap_mb}m",
            "spark.driver.cores": str(self.cores),
            "spark.driver.memory": f"{self.heap_mb}m",
        }

    def environment(self, environ: Mapping[str, str]) -> dict[str, str]:
        """Variables for the run's process (what it may read, and what the engine uses)."""
        env = {
            "OPENGLUE_WORKER_TYPE": self.worker_type,
            "OPENGLUE_NUMBER_OF_WORKERS": str(self.workers),
            "OPENGLUE_DPUS": f"{self.dpus:g}",
        }
        if not environ.get(MASTER_ENV):
            env[MASTER_ENV] = f"local[{self.local_threads}]"
        if not environ.get(SAIL_PARALLELISM_ENV):
            env[SAIL_PARALLELISM_ENV] = str(self.local_threads)
        return env


def machine_memory_mb() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return 4096


def run_resources(
    command: str,
    spec: Mapping[str, Any],
    machine_cores: int | None = None,
    memory_mb: int | None = None,
) -> RunResources | None:
    """The resources of a run from its JobRun members; ``None`` for Python shell jobs."""
    if command != "glueetl":
        return None
    worker_type = spec.get("WorkerType")
    if worker_type in WORKER_SHAPES and spec.get("NumberOfWorkers"):
        workers = int(spec["NumberOfWorkers"])
    else:
        worker_type, workers = "Standard", max(2, int(float(spec.get("MaxCapacity") or 10)))
    cores, memory_gb = WORKER_SHAPES[worker_type]
    return RunResources(
        worker_type=worker_type,
        workers=workers,
        dpus=float(spec.get("MaxCapacity") or workers),
        executors=max(1, workers - 1),
        cores=cores,
        heap_mb=int(memory_gb * 1024 * HEAP_SHARE),
        machine_cores=machine_cores or os.cpu_count() or 1,
        machine_memory_mb=memory_mb or machine_memory_mb(),
    )


def job_master(arguments: Mapping[str, str]) -> str:
    """The ``spark.master`` a job sets in its ``--conf`` argument (``a=1 --conf b=2``), if any."""
    master = ""
    for part in (arguments.get("--conf") or "").split("--conf "):
        key, _, value = part.strip().partition("=")
        if key.strip() == "spark.master":
            master = value.strip()
    return master
