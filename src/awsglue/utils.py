"""Job-argument parsing for Glue scripts: ``getResolvedOptions`` and its argparse parser.

Glue starts a script as ``script.py --KEY value --KEY2 value …``: the service injects its own
arguments (``--JOB_ID``, ``--JOB_RUN_ID``, ``--job-bookmark-option``, ``--TempDir`` …) next to
the job's DefaultArguments and the run's Arguments. A script asks only for the keys it needs;
everything else on the command line is ignored.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from awsglue.job import Job

__all__ = [
    "GlueArgumentError",
    "GlueArgumentParser",
    "getResolvedOptions",
    "makeOptions",
]

# Relationalize defaults its staging path to --TempDir from here, so the last resolved arguments
# stay reachable without threading them through every call (Glue keeps the same global).
_global_args: dict[str, Any] = {}

_TEMP_DIRS = ("TempDir", "RedshiftTempDir")
_DISABLE = "job-bookmark-disable"
_PAUSE = "job-bookmark-pause"


class GlueArgumentError(Exception):
    """A requested job argument is missing, or an argument has a value it cannot take."""


class GlueArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises ``GlueArgumentError`` instead of exiting the process.

    ``add_help`` defaults to False: a job run must never print usage and exit 0 because some
    argument happened to be ``-h``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise GlueArgumentError(message)


def getResolvedOptions(
    args: Sequence[str], options: Sequence[str], allow_abbrev: bool = False
) -> dict[str, Any]:
    """Resolve the job arguments named in ``options`` from ``args`` (normally ``sys.argv``).

    Rules (Glue's): ``args[0]`` is the script and is skipped; unknown arguments are ignored;
    each name in ``options`` is required and given as ``--name value`` or ``--name=value``;
    result keys are argparse destinations (``--my-param`` → ``my_param``); ``JOB_NAME`` is
    returned only when requested. The result also always holds ``job_bookmark_option``
    (default ``job-bookmark-disable``), ``job_bookmark_from``/``job_bookmark_to``, ``JOB_ID``,
    ``JOB_RUN_ID``, ``SECURITY_CONFIGURATION``, ``encryption_type``, ``enable_data_lineage``,
    ``TempDir`` and ``RedshiftTempDir`` (``None`` when absent). Values are strings.

    ``allow_abbrev`` is False by default, as in Glue 6.0; earlier Glue versions accepted
    unambiguous prefixes (``--my-p`` for ``--my-param``) — pass True to get that back.

    Raises ``GlueArgumentError`` for a missing or malformed argument and ``RuntimeError`` when
    ``options`` names a reserved argument or the bookmark range options contradict each other.
    """
    _reject_reserved(options)
    parser = GlueArgumentParser(allow_abbrev=allow_abbrev)
    _add_service_arguments(parser)
    for name in options:
        # TempDir is optional and added above: Glue drops it from the required list rather than
        # fail jobs that were configured without one.
        if name not in _TEMP_DIRS:
            parser.add_argument("--" + name, required=True)
    parsed, _unknown = parser.parse_known_args(list(args[1:]))
    resolved: dict[str, Any] = vars(parsed)

    _mirror_temp_dirs(resolved)
    _resolve_bookmark_option(resolved)
    _check_bookmark_range(resolved)
    _global_args.update(resolved)
    return resolved


def makeOptions(sc: object, py_obj: Mapping[str, Any] | str) -> dict[str, Any]:
    """Normalise connection/format options the way Glue's ``JsonOptions`` sees them.

    Glue serialises the dict to JSON for the JVM; there is no JVM here, so the JSON round trip
    is kept only as validation (a non-serialisable option fails early, as it would in Glue).
    ``sc`` is accepted for signature compatibility and unused.
    """
    text = py_obj if isinstance(py_obj, str) else json.dumps(dict(py_obj))
    loaded = json.loads(text)
    if not isinstance(loaded, dict):
        raise TypeError(f"options must be a JSON object, got {type(loaded).__name__}")
    return loaded


def _reserved_names() -> list[str]:
    names = [Job.job_bookmark_options()[0], Job.continuation_options()[0]]
    names += Job.job_bookmark_range_options()
    names += Job.id_params()[1:]  # JOB_NAME is not reserved: scripts request it explicitly
    names += [Job.encryption_type_options()[0], *Job.data_lineage_options()]
    return [name[2:] for name in names]


def _reject_reserved(options: Sequence[str]) -> None:
    reserved = set(_reserved_names())
    clashes = [name for name in options if name in reserved]
    if clashes:
        raise RuntimeError(
            f"Using reserved arguments {', '.join(clashes)}: Glue supplies these itself and adds"
            " them to every result; remove them from the requested options"
        )


def _add_service_arguments(parser: GlueArgumentParser) -> None:
    # nargs="?" because the service may pass any of these as a key-only flag; a missing value
    # must not consume the next argument or fail the whole parse.
    choice_options = (
        Job.job_bookmark_options(),
        Job.continuation_options(),
        Job.encryption_type_options(),
    )
    for flag, *choices in choice_options:
        parser.add_argument(flag, choices=choices, nargs="?", required=False)
    plain = [
        *Job.job_bookmark_range_options(),
        *Job.id_params()[1:],
        "--TempDir",
        "--RedshiftTempDir",
    ]
    for flag in plain:
        parser.add_argument(flag, nargs="?", required=False)
    # Lineage is switched on by its mere presence when Glue passes it without a value.
    parser.add_argument(*Job.data_lineage_options(), nargs="?", const="true", required=False)


def _mirror_temp_dirs(resolved: dict[str, Any]) -> None:
    # Older jobs only had RedshiftTempDir; code reading either name must see the same folder.
    if resolved.get("TempDir") is not None:
        resolved["RedshiftTempDir"] = resolved["TempDir"]
    elif resolved.get("RedshiftTempDir") is not None:
        resolved["TempDir"] = resolved["RedshiftTempDir"]


def _resolve_bookmark_option(resolved: dict[str, Any]) -> None:
    continuation = resolved.pop("continuation_option", None)
    if resolved.get("job_bookmark_option") is not None:
        return  # the current option wins over the legacy one
    if continuation is not None:
        legacy = Job.continuation_options()[1:]
        resolved["job_bookmark_option"] = Job.job_bookmark_options()[1:][legacy.index(continuation)]
    else:
        resolved["job_bookmark_option"] = _DISABLE


def _check_bookmark_range(resolved: dict[str, Any]) -> None:
    start, end = resolved.get("job_bookmark_from"), resolved.get("job_bookmark_to")
    if resolved["job_bookmark_option"] == _PAUSE:
        if (start is None) != (end is None):
            raise RuntimeError(
                "Invalid option(s): job-bookmark-pause needs both --job-bookmark-from and"
                " --job-bookmark-to, or neither"
            )
    elif start is not None and end is not None:
        raise RuntimeError(
            "Invalid option(s): --job-bookmark-from and --job-bookmark-to are only valid with"
            f" --job-bookmark-option {_PAUSE}, not {resolved['job_bookmark_option']}"
        )
