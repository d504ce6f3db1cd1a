"""OpenGlue's private operations: what a job's process needs and Glue's API has no call for.

They travel like Glue's own (``POST /``, AWS JSON 1.1, SigV4 when auth is on, errors as
``{"__type", "Message"}``) under ``X-Amz-Target: OpenGlue.<Operation>``. botocore's model does
not know them, so each has its input checked here by hand and answers plain JSON.

``CommitJobBookmark`` — sent by the ``awsglue`` runtime at ``job.commit()``::

    {"JobName": "orders",              # required, 1-255 characters
     "RunId": "jr_…",                  # the run committing; omitted for a script run by hand
     "ExpectedVersion": 3,             # the bookmark Version read at job.init (0: none)
     "JobBookmark": {"ctx": {"k": "v"}}}  # the elements this run staged, all values strings

It answers ``{"JobBookmarkEntry": {…}}`` like GetJobBookmark.

``GetTriggerFires`` — why a trigger fired, or did not (``openglue triggers show``)::

    {"Name": "nightly",                # required, 1-255 characters
     "MaxResults": 20}                 # optional, 1-100 (default 20)

It answers ``{"Fires": [{"FireKey", "Reason", "FiredOn", "DueOn", "Owner", "Outcome"}, …]}``,
newest first; ``Outcome`` lists what each action started (or why it could not).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openglue.errors import InvalidInputException, UnknownOperationException

TARGET_PREFIX = "OpenGlue"
SERVICE = "openglue"
MAX_NAME = 255


def _text(payload: Mapping[str, Any], key: str, *, required: bool) -> None:
    value = payload.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_NAME:
        raise InvalidInputException(f"{key} must be a string of 1 to {MAX_NAME} characters")


def _commit_job_bookmark(payload: Mapping[str, Any]) -> None:
    _text(payload, "JobName", required=True)
    _text(payload, "RunId", required=False)
    version = payload.get("ExpectedVersion")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise InvalidInputException(
            "ExpectedVersion must be the non-negative integer Version read at job.init"
        )
    elements = payload.get("JobBookmark")
    if not isinstance(elements, dict):
        raise InvalidInputException(
            "JobBookmark must be an object of {transformation_ctx: {name: value}}"
        )
    for ctx, element in elements.items():
        if not ctx or not isinstance(element, dict):
            raise InvalidInputException(
                f"JobBookmark[{ctx!r}] must be an object under a non-empty transformation_ctx"
            )
        if not all(isinstance(v, str) for v in element.values()):
            raise InvalidInputException(f"JobBookmark[{ctx!r}]: every value must be a string")


def _get_trigger_fires(payload: Mapping[str, Any]) -> None:
    _text(payload, "Name", required=True)
    limit = payload.get("MaxResults", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidInputException("MaxResults must be an integer from 1 to 100")


VALIDATORS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "CommitJobBookmark": _commit_job_bookmark,
    "GetTriggerFires": _get_trigger_fires,
}


def resolve(name: str) -> tuple[str, str]:
    """``(service, operation)`` for ``OpenGlue.<name>``."""
    if name not in VALIDATORS:
        raise UnknownOperationException(
            f"{name} is not an OpenGlue operation (known: {', '.join(sorted(VALIDATORS))})"
        )
    return SERVICE, name


def validate(name: str, payload: Mapping[str, Any]) -> None:
    VALIDATORS[name](payload)
