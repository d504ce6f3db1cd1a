"""A run's command line: the job's arguments merged, and the ones Glue injects.

Precedence follows Glue: NonOverridableArguments > the run's Arguments > DefaultArguments.
Glue passes each argument to the script as ``KEY VALUE``; a key with an empty value (the
documented key-only flags such as ``--enable-metrics``) goes as just ``KEY``.
"""

from __future__ import annotations

from collections.abc import Mapping

BOOKMARK_OPTION = "--job-bookmark-option"
BOOKMARK_DEFAULT = "job-bookmark-disable"
TEMP_DIR = "--TempDir"
# Set by the service for every run; the same keys in a job's arguments are ignored.
INJECTED = ("--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID")


def merge_arguments(
    default: Mapping[str, str] | None,
    run: Mapping[str, str] | None,
    non_overridable: Mapping[str, str] | None,
) -> dict[str, str]:
    return {**(default or {}), **(run or {}), **(non_overridable or {})}


def command_line(
    python: str,
    script: str,
    *,
    job_name: str,
    job_id: str,
    run_id: str,
    arguments: Mapping[str, str],
) -> list[str]:
    """``python script --JOB_NAME … --JOB_ID … --JOB_RUN_ID … --job-bookmark-option …
    [--TempDir …] <the other arguments, in their order>``."""
    rest = {k: v for k, v in arguments.items() if k not in INJECTED}
    bookmark = rest.pop(BOOKMARK_OPTION, "") or BOOKMARK_DEFAULT
    line = [python, script, "--JOB_NAME", job_name, "--JOB_ID", job_id, "--JOB_RUN_ID", run_id]
    line += [BOOKMARK_OPTION, bookmark]
    if TEMP_DIR in rest:
        line += _pair(TEMP_DIR, rest.pop(TEMP_DIR))
    for key, value in rest.items():
        line += _pair(key, value)
    return line


def _pair(key: str, value: str) -> list[str]:
    return [key] if value == "" else [key, value]
