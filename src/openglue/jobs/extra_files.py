"""Files a run brings along: ``--extra-py-files`` and ``--extra-files`` (reference §2.9).

Both take comma-separated ``s3://`` addresses (on the configured S3 endpoint, else the
embedded buckets) or local paths, and only files, as in Glue. Before the run starts they are
copied into its working directory:

- ``--extra-files`` land in the working directory itself, where the script finds them by name;
- ``--extra-py-files`` land in ``<working dir>/extra-py-files/`` and go on the run's
  ``PYTHONPATH``: that folder for ``.py`` modules, each archive (``.zip``, ``.whl``,
  ``.egg``) by itself. For classic Spark they are also listed in ``spark.submit.pyFiles``, so
  Spark ships them to executors on other machines (local Python workers inherit
  ``PYTHONPATH`` anyway).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from openglue.jobs.locations import ScriptError, is_s3, local_source
from openglue.jobs.s3_fetch import fetch_from_endpoint
from openglue.storage.s3_objects import S3Endpoint

EXTRA_PY_FILES = "--extra-py-files"
EXTRA_FILES = "--extra-files"
PY_FILES_DIR = "extra-py-files"
PY_FILE_SUFFIXES = (".py", ".zip", ".whl", ".egg")


@dataclass(frozen=True)
class StagedFiles:
    python_path: list[Path] = field(default_factory=list)  # PYTHONPATH entries, in order
    py_files: list[Path] = field(default_factory=list)  # for spark.submit.pyFiles


def split_locations(value: str | None) -> list[str]:
    """Glue's comma-separated list of paths (blanks around commas ignored)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class _Sources:
    data_dir: Path
    endpoint: S3Endpoint | None  # where s3:// files live; None: the embedded buckets


def _copy_all(locations: list[str], target: Path, sources: _Sources, what: str) -> list[Path]:
    copied: dict[str, str] = {}
    paths = []
    for location in locations:
        name = PurePosixPath(location.split("://", 1)[-1]).name
        if name in copied:
            raise ScriptError(
                f"{what}: {copied[name]} and {location} are both named {name}; "
                "they would land on the same file in the run's working directory"
            )
        copied[name] = location
        if is_s3(location) and sources.endpoint is not None:
            fetched = fetch_from_endpoint(location, sources.endpoint, target, f"{what} entry")
            paths.append(fetched)
            continue
        source = local_source(location, sources.data_dir, f"{what} entry")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / source.name)
        paths.append(target / source.name)
    return paths


def stage(
    arguments: Mapping[str, str],
    workdir: Path,
    data_dir: Path,
    endpoint: S3Endpoint | None = None,
) -> StagedFiles:
    """Copy the run's extra files into ``workdir`` (``s3://`` ones from ``endpoint`` when
    one is configured, as the run's script is); ``ScriptError`` if one cannot be had."""
    sources = _Sources(data_dir, endpoint)
    _copy_all(split_locations(arguments.get(EXTRA_FILES)), workdir, sources, EXTRA_FILES)
    py_locations = split_locations(arguments.get(EXTRA_PY_FILES))
    for location in py_locations:
        if not location.lower().endswith(PY_FILE_SUFFIXES):
            raise ScriptError(
                f"{EXTRA_PY_FILES} entry {location} is not a Python file: give .py modules or "
                ".zip, .whl or .egg archives (folders are not supported, as in Glue)"
            )
    folder = workdir / PY_FILES_DIR
    py_files = _copy_all(py_locations, folder, sources, EXTRA_PY_FILES)
    python_path: list[Path] = []
    if any(path.suffix == ".py" for path in py_files):
        python_path.append(folder)
    python_path += [path for path in py_files if path.suffix != ".py"]
    return StagedFiles(python_path, py_files)
