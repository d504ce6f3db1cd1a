"""``--additional-python-modules``: checked against what is installed, never downloaded.

Glue pip-installs the listed packages for each run. OpenGlue runs offline and does not reach
out to a package index from inside a run: it checks that each requirement (``pkg``,
``pkg==1.2``, ``pkg>=1``) is already installed in the server's Python environment, and fails
the run before it starts, naming the command to run, when one is not. A run thus never
imports something other than what it asked for. (``--python-modules-installer-option`` is
accepted and ignored, since nothing is installed.)
"""

from __future__ import annotations

from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement

from openglue.jobs.extra_files import split_locations
from openglue.jobs.locations import ScriptError

ADDITIONAL_MODULES = "--additional-python-modules"


def check_python_modules(value: str | None) -> None:
    """``ScriptError`` naming every listed requirement that the environment does not meet."""
    missing = []
    for entry in split_locations(value):
        if entry.lower().endswith((".whl", ".tar.gz", ".zip")) or "://" in entry:
            raise ScriptError(
                f"{ADDITIONAL_MODULES} entry {entry}: packages given as files are not installed "
                "by OpenGlue; list them in --extra-py-files (pure-Python wheels import from "
                "there) or install them into OpenGlue's environment with pip"
            )
        try:
            requirement = Requirement(entry)
        except InvalidRequirement:
            raise ScriptError(
                f"{ADDITIONAL_MODULES} entry {entry!r} is not a requirement such as "
                "pandas==2.2.2 or pyyaml>=6"
            ) from None
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            missing.append((entry, "not installed"))
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            missing.append((entry, f"{installed} is installed"))
    if missing:
        listed = "; ".join(f"{entry} ({why})" for entry, why in missing)
        wanted = " ".join(f"'{entry}'" for entry, _ in missing)
        raise ScriptError(
            f"{ADDITIONAL_MODULES}: {listed}. OpenGlue does not download packages for a run; "
            f"install them into its Python environment (pip install {wanted}) and start the "
            "run again"
        )
