"""The rules of a job definition: what OpenGlue runs, and Glue's defaults filled in.

A definition is stored with its defaults resolved (Timeout, MaxRetries, capacity, …), like
Glue reports them, so a later change of a default never changes an existing job.

Choices where Glue is unclear or differs by version:
- GlueVersion defaults to ``6.0`` for ``glueetl`` (the Job shape's documentation in the model we
  ship; its Spark 4 is also the engine OpenGlue runs) and to ``3.0`` for ``pythonshell`` (the
  newest Python shell version). ``auto`` counts as the newest version.
- Timeout defaults to 2880 minutes up to Glue 4.0 and to 480 from 5.0; above 10080 is refused.
- Capacity is recorded and reported, not enforced: with a ``local[*]`` engine a run uses the
  machine's cores whatever it asks for. Reported MaxCapacity is workers × DPU per worker
  (G.1X = 1, G.2X = 2, …), or the MaxCapacity given (glueetl: 2..100 whole DPUs, default 10;
  pythonshell: 0.0625 or 1, default 0.0625). A later engine phase maps NumberOfWorkers to
  executors and the worker type to executor cores and memory (G.1X: 4 cores, 16 GB).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openglue.errors import InvalidInputException

SUPPORTED_COMMANDS = ("glueetl", "pythonshell")
DEFAULT_GLUE_VERSION = {"glueetl": "6.0", "pythonshell": "3.0"}
MAX_TIMEOUT_MINUTES = 10080

# DPUs per worker (M-DPUs for the R types), from the WorkerType documentation in the model.
WORKER_DPUS = {
    "Standard": 1.0,
    "G.025X": 0.25,
    "G.1X": 1.0,
    "G.2X": 2.0,
    "G.4X": 4.0,
    "G.8X": 8.0,
    "G.12X": 12.0,
    "G.16X": 16.0,
    "R.1X": 1.0,
    "R.2X": 2.0,
    "R.4X": 4.0,
    "R.8X": 8.0,
    "Z.2X": 2.0,
}
_NOT_FOR_GLUEETL = {"G.025X": "streaming jobs", "Z.2X": "Ray jobs"}
_PYTHONSHELL_CAPACITIES = (0.0625, 1.0)
CAPACITY_MEMBERS = ("MaxCapacity", "AllocatedCapacity", "WorkerType", "NumberOfWorkers")


def _version_number(glue_version: str) -> tuple[int, ...]:
    if glue_version == "auto":
        return (99,)
    try:
        return tuple(int(part) for part in glue_version.split("."))
    except ValueError:
        raise InvalidInputException(
            f"GlueVersion {glue_version!r} is not a Glue version such as 4.0, 5.0 or 6.0"
        ) from None


def default_timeout(glue_version: str) -> int:
    return 480 if _version_number(glue_version) >= (5, 0) else 2880


def check_timeout(timeout: int | None) -> None:
    if timeout is not None and timeout > MAX_TIMEOUT_MINUTES:
        raise InvalidInputException(
            f"Timeout {timeout} is more than {MAX_TIMEOUT_MINUTES} minutes (7 days), the "
            "longest a job run may take"
        )


def capacity(command: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The capacity members to report, from the ones ``given`` (a job definition or a run's
    overrides); refuses combinations Glue refuses."""
    worker_type, workers = given.get("WorkerType"), given.get("NumberOfWorkers")
    max_capacity = given.get("MaxCapacity")
    if max_capacity is None and given.get("AllocatedCapacity") is not None:
        max_capacity = float(given["AllocatedCapacity"])  # the deprecated spelling
    if command == "pythonshell":
        if worker_type is not None or workers is not None:
            raise InvalidInputException(
                "pythonshell jobs take MaxCapacity (0.0625 or 1), not WorkerType/NumberOfWorkers"
            )
        dpus = 0.0625 if max_capacity is None else float(max_capacity)
        if dpus not in _PYTHONSHELL_CAPACITIES:
            raise InvalidInputException(
                f"MaxCapacity {max_capacity} is not valid for a pythonshell job: use 0.0625 or 1"
            )
        return {"MaxCapacity": dpus, "AllocatedCapacity": 0}
    if (worker_type is None) != (workers is None):
        raise InvalidInputException("Set both WorkerType and NumberOfWorkers, or neither")
    if worker_type is not None and workers is not None:
        if max_capacity is not None:
            raise InvalidInputException(
                "Do not set MaxCapacity together with WorkerType and NumberOfWorkers"
            )
        if worker_type in _NOT_FOR_GLUEETL:
            raise InvalidInputException(
                f"WorkerType {worker_type} is only for {_NOT_FOR_GLUEETL[worker_type]}"
            )
        if workers < 2:
            raise InvalidInputException(
                f"NumberOfWorkers must be at least 2 for a glueetl job; got {workers}"
            )
        dpus = workers * WORKER_DPUS[worker_type]
        return {
            "WorkerType": worker_type,
            "NumberOfWorkers": workers,
            "MaxCapacity": dpus,
            "AllocatedCapacity": int(dpus),
        }
    dpus = 10.0 if max_capacity is None else float(max_capacity)
    if not dpus.is_integer() or not 2 <= dpus <= 100:
        raise InvalidInputException(
            f"MaxCapacity {max_capacity} is not valid for a glueetl job: use a whole number "
            "of DPUs from 2 to 100, or WorkerType and NumberOfWorkers"
        )
    return {"MaxCapacity": dpus, "AllocatedCapacity": int(dpus)}


def _command(given: Mapping[str, Any]) -> dict[str, Any]:
    command = dict(given)
    name = command.get("Name")
    if name not in SUPPORTED_COMMANDS:
        raise InvalidInputException(
            f"Command.Name {name!r} is not supported: OpenGlue runs "
            + " and ".join(SUPPORTED_COMMANDS)
            + " jobs"
        )
    if not command.get("ScriptLocation"):
        raise InvalidInputException(
            "Command.ScriptLocation is required: the s3:// address or local path of the script"
        )
    if command.get("PythonVersion") == "2":
        raise InvalidInputException("PythonVersion 2 is not supported: use 3 (or 3.9)")
    command.setdefault("PythonVersion", "3.9" if name == "pythonshell" else "3")
    return command


def job_spec(given: Mapping[str, Any], previous_glue_version: str | None = None) -> dict[str, Any]:
    """The stored definition from CreateJob's members or a JobUpdate (which replaces every
    member, except that an omitted GlueVersion keeps ``previous_glue_version``, as the
    JobUpdate documentation says)."""
    spec = {k: v for k, v in given.items() if k not in ("Name", "Tags", *CAPACITY_MEMBERS)}
    if not spec.get("Role"):
        raise InvalidInputException("Role is required")
    if not spec.get("Command"):
        raise InvalidInputException("Command is required")
    command = _command(spec["Command"])
    name = command["Name"]
    spec["Command"] = command
    glue_version = given.get("GlueVersion") or previous_glue_version or DEFAULT_GLUE_VERSION[name]
    spec["GlueVersion"] = glue_version
    check_timeout(given.get("Timeout"))
    spec["Timeout"] = given.get("Timeout") or default_timeout(glue_version)
    spec["MaxRetries"] = given.get("MaxRetries") or 0
    if spec["MaxRetries"] < 0:
        raise InvalidInputException(f"MaxRetries must not be negative; got {spec['MaxRetries']}")
    execution = dict(given.get("ExecutionProperty") or {})
    execution.setdefault("MaxConcurrentRuns", 1)
    if execution["MaxConcurrentRuns"] < 1:
        raise InvalidInputException(
            "ExecutionProperty.MaxConcurrentRuns must be at least 1; got "
            f"{execution['MaxConcurrentRuns']}"
        )
    spec["ExecutionProperty"] = execution
    spec.setdefault("JobMode", "SCRIPT")
    check_execution_class(given.get("ExecutionClass"), name, glue_version)
    spec.update(capacity(name, given))
    return spec


def check_execution_class(execution_class: str | None, command: str, glue_version: str) -> None:
    if execution_class == "FLEX" and (
        command != "glueetl" or _version_number(glue_version) < (3, 0)
    ):
        raise InvalidInputException(
            "ExecutionClass FLEX is only for glueetl jobs of GlueVersion 3.0 or later"
        )
