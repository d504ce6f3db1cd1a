"""What a run's process gets: its script, command line and environment.

The environment is the server's own, with boto3 pointed back at this server (endpoint,
credentials, region), ``OPENGLUE_HOME`` for the embedded buckets and Spark's Python set to
the server's interpreter. The server's own settings are not passed on: a job is a client,
and the store URL or the full list of access keys are not its business.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openglue.jobs.arguments import command_line, merge_arguments
from openglue.jobs.extra_files import StagedFiles, stage
from openglue.jobs.layout import RunFiles
from openglue.jobs.locations import is_s3, local_source
from openglue.jobs.python_modules import ADDITIONAL_MODULES, check_python_modules
from openglue.jobs.resources import MASTER_ENV, RUN_CONFS_ENV, job_master, run_resources
from openglue.jobs.s3_fetch import fetch_from_endpoint
from openglue.settings import SETTINGS
from openglue.storage.job_s3 import JobS3, s3_environment
from openglue.store.job_runs import JobRunRecord

SCRIPT_LOCATION_ARGUMENT = "--scriptLocation"  # Glue's override of Command.ScriptLocation
_NOT_PASSED_ON = {
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    RUN_CONFS_ENV,  # made for each run, never inherited from the server's own environment
    # Written by awsglue.engine for the process that starts a classic session; a server that
    # ran one itself (tests, notebooks) must not hand its master and settings to every run.
    "PYSPARK_SUBMIT_ARGS",
    *(setting.env for setting in SETTINGS),
}


@dataclass(frozen=True)
class RunContext:
    """What every run needs to know about the server that starts it."""

    data_dir: Path  # absolute
    endpoint_url: str
    region: str
    access_key: tuple[str, str]
    python: str = sys.executable
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    s3: JobS3 | None = None  # the S3 endpoint s3:// addresses live on; None: embedded


@dataclass(frozen=True)
class Launch:
    command: list[str]
    env: dict[str, str]


def script_path(location: str, context: RunContext, workdir: Path) -> Path:
    """The local file to run: an embedded-bucket ``s3://`` script is copied into the run's
    working directory (as Glue downloads it), a local path is run where it is."""
    if is_s3(location) and context.s3 is not None:
        return fetch_from_endpoint(location, context.s3.endpoint, workdir)
    source = local_source(location, context.data_dir)
    if not is_s3(location):
        return source
    target = workdir / source.name
    shutil.copyfile(source, target)
    return target


def run_environment(context: RunContext) -> dict[str, str]:
    env = {k: v for k, v in context.environ.items() if k not in _NOT_PASSED_ON}
    key_id, secret = context.access_key
    env.update(
        AWS_ENDPOINT_URL=context.endpoint_url,
        AWS_ENDPOINT_URL_GLUE=context.endpoint_url,
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_REGION=context.region,
        AWS_DEFAULT_REGION=context.region,
        OPENGLUE_HOME=str(context.data_dir),
        PYSPARK_PYTHON=context.python,
        # Output reaches the log files as it is printed (openglue logs --follow), not at exit.
        PYTHONUNBUFFERED="1",
    )
    env.update(s3_environment(context.s3))
    return env


def prepare(run: JobRunRecord, files: RunFiles, context: RunContext) -> Launch:
    """Create the run's working directory and return how to start it; ``ScriptError`` when
    the script, or a file or module it needs, cannot be had."""
    launch = run.launch
    arguments = merge_arguments(
        launch.get("DefaultArguments"),
        run.spec.get("Arguments"),
        launch.get("NonOverridableArguments"),
    )
    files.workdir.mkdir(parents=True, exist_ok=True)
    location = arguments.get(SCRIPT_LOCATION_ARGUMENT) or launch["Command"]["ScriptLocation"]
    script = script_path(location, context, files.workdir)
    command = command_line(
        context.python,
        str(script),
        job_name=run.job_name,
        job_id="j_" + secrets.token_hex(32),
        run_id=run.id,
        arguments=arguments,
    )
    endpoint = context.s3.endpoint if context.s3 is not None else None
    staged = stage(arguments, files.workdir, context.data_dir, endpoint)
    check_python_modules(arguments.get(ADDITIONAL_MODULES))
    env = run_environment(context)
    _add_files_and_resources(env, run, arguments, staged)
    return Launch(command, env)


def _add_files_and_resources(
    env: dict[str, str], run: JobRunRecord, arguments: Mapping[str, str], staged: StagedFiles
) -> None:
    """The run's extra Python files on its PYTHONPATH, and its engine's settings: its worker
    resources and (classic Spark) the files to ship to executors; see ``resources``."""
    if staged.python_path:
        paths = [str(path) for path in staged.python_path]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
    confs: dict[str, str] = {}
    if staged.py_files:
        confs["spark.submit.pyFiles"] = ",".join(str(path) for path in staged.py_files)
    resources = run_resources(run.launch["Command"]["Name"], run.spec)
    if resources is not None:
        env.update(resources.environment(env))
        confs.update(resources.spark_confs(job_master(arguments) or env[MASTER_ENV]))
    if confs:
        env[RUN_CONFS_ENV] = json.dumps(confs)
