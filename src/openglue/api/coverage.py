"""How much of the Glue API OpenGlue answers: ``docs/coverage.md``, generated from the model.

The list of operations comes from botocore's service model and the implemented ones from the
handler registry, so the page cannot claim an operation that does not answer (design decision 1).
"""

from __future__ import annotations

import re
from collections import defaultdict

import botocore

from openglue.api import service_model
from openglue.api.dispatch import implemented_operations

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*")


def _words(name: str) -> list[str]:
    return _WORD.findall(name)


def _object_of(operation: str) -> str:
    """``BatchGetPartition`` → ``Partition``: the name without its verb (or Batch + verb)."""
    words = _words(operation)
    skip = 2 if words[0] == "Batch" and len(words) > 2 else 1
    return "".join(words[skip:])


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def resource_groups(operations: frozenset[str]) -> dict[str, list[str]]:
    """Operations filed under the resource they act on.

    The resources are what ``Create…`` operations create; an operation belongs to the shortest
    of them its object starts with (``GetTableVersions`` → Table, ``StartJobRun`` → Job).
    Objects that match none are filed under their first two words (``DataQuality…``).
    """
    resources = sorted(
        {_object_of(op) for op in operations if op.startswith("Create")}, key=lambda r: (len(r), r)
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for op in sorted(operations):
        target = _object_of(op)
        group = next(
            (r for r in resources if target.startswith(r) or _singular(target).startswith(r)),
            None,
        )
        if group is None:
            group = "".join(_words(_singular(target))[:2]) or op
        groups[group].append(op)
    return dict(sorted(groups.items()))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0.0%"


def coverage_markdown(service: str = "glue") -> str:
    """The coverage page: implemented / all operations, overall and per resource."""
    model = service_model.service_model(service)
    every = service_model.operation_names(service)
    done = implemented_operations(service) & every
    lines = [
        "# API coverage",
        "",
        f"Generated from the {model.metadata.get('serviceFullName', service)} model "
        f"(API version {model.api_version}) in botocore {botocore.__version__} by "
        "`openglue docs`; a test keeps this file current.",
        "",
        f"OpenGlue implements **{len(done)} of {len(every)}** operations "
        f"({_percent(len(done), len(every))}). Any other operation answers "
        "`OperationNotSupportedException` with its name, never an empty success.",
        "",
        "| Resource | Implemented | Operations implemented | Not yet |",
        "|---|---|---|---|",
    ]
    for group, ops in resource_groups(every).items():
        have = [op for op in ops if op in done]
        missing = [op for op in ops if op not in done]
        lines.append(
            f"| {group} | {len(have)}/{len(ops)} | {', '.join(have) or '—'} "
            f"| {', '.join(missing) or '—'} |"
        )
    return "\n".join(lines) + "\n"


def logs_coverage_markdown() -> str:
    """The CloudWatch Logs section: the operations that serve the job runs' logs."""
    every = service_model.operation_names("logs")
    done = sorted(implemented_operations("logs") & every)
    model = service_model.service_model("logs")
    lines = [
        "",
        "## CloudWatch Logs",
        "",
        "The job runs' logs are served on the same endpoint by the "
        f"{model.metadata.get('serviceFullName', 'logs')} API (API version "
        f"{model.api_version}, `X-Amz-Target: {model.metadata.get('targetPrefix')}.*`): the "
        "groups `/aws-glue/jobs/output|error` and `/aws-glue/python-jobs/output|error`, one "
        f"stream per run. OpenGlue implements **{len(done)} of {len(every)}** of its operations: "
        f"{', '.join(done)}. The others answer `OperationNotSupportedException`.",
    ]
    return "\n".join(lines) + "\n"
