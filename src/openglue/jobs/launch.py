"""What a run's process gets: its script, command line and environment.

The environment is the server's own, with boto3 pointed back at this server (endpoint,
credentials, region), ``OPENGLUE_HOME`` for the embedded buckets and Spark's Python set to
the server's interpreter. The server's own settings are not passed on: a job is a client,
and the store URL or the full list of access keys are not its business.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openglue.jobs.arguments import command_line, merge_arguments
from openglue.jobs.layout import RunFiles
from openglue.settings import SETTINGS
from openglue.store.job_runs import JobRunRecord

_S3_SCHEMES = ("s3://", "s3a://", "s3n://")
SCRIPT_LOCATION_ARGUMENT = "--scriptLocation"  # Glue's override of Command.ScriptLocation
_NOT_PASSED_ON = {
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    *(setting.env for setting in SETTINGS),
}


class ScriptError(Exception):
    """The script cannot be run; the message says why and what to do."""


@dataclass(frozen=True)
class RunContext:
    """What every run needs to know about the server that starts it."""

    data_dir: Path  # absolute
    endpoint_url: str
    region: str
    access_key: tuple[str, str]
    python: str = sys.executable
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass(frozen=True)
class Launch:
    command: list[str]
    env: dict[str, str]


def script_path(location: str, context: RunContext, workdir: Path) -> Path:
    """The local file to run: an embedded-bucket ``s3://`` script is copied into the run's
    working directory (as Glue downloads it), a local path is run where it is."""
    if location.lower().startswith(_S3_SCHEMES):
        if context.environ.get("AWS_ENDPOINT_URL_S3"):
            raise ScriptError(
                f"Script {location}: fetching scripts from an S3-compatible store "
                "(AWS_ENDPOINT_URL_S3) is not supported yet; use the embedded buckets "
                f"({context.data_dir / 'buckets'}) or a local path"
            )
        bucket, _, key = location.split("://", 1)[1].partition("/")
        if not bucket or not key or ".." in key.split("/"):
            raise ScriptError(f"Script location {location!r} is not s3://bucket/key")
        source = context.data_dir / "buckets" / bucket / key
        if not source.is_file():
            raise ScriptError(
                f"Script {location} not found: OpenGlue's embedded bucket keeps it at {source}"
            )
        target = workdir / Path(key).name
        shutil.copyfile(source, target)
        return target
    path = Path(location.removeprefix("file://")).expanduser().absolute()
    if not path.is_file():
        raise ScriptError(f"Script {location} not found (looked for {path})")
    return path


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
    return env


def prepare(run: JobRunRecord, files: RunFiles, context: RunContext) -> Launch:
    """Create the run's working directory and return how to start it; ``ScriptError`` when
    the script cannot be found."""
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
    return Launch(command, run_environment(context))
