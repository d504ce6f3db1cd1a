"""JSON-lines copies of multi-line JSON files, for engines that read JSON lines only.

Sail 0.7 ignores ``multiLine``: it expects one record per line. For such engines the local
input files are parsed here and written to a temporary folder as JSON lines — one record per
line; a top-level array gives one record per element, as Spark's multi-line reader does — with
the same relative layout, so Hive-style partition folders still work. The copies live until the
process exits. Addresses that are not local (``s3://`` on a real endpoint) are left alone.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["as_json_lines"]

_folders: list[str] = []


def _cleanup() -> None:
    while _folders:
        shutil.rmtree(_folders.pop(), ignore_errors=True)


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in sorted(names):
            if not name.startswith(("_", ".")):
                yield Path(folder) / name


def _records(path: Path) -> Iterator[object]:
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        return
    document = json.loads(text)
    if isinstance(document, list):
        yield from document
    else:
        yield document


def as_json_lines(paths: Sequence[str]) -> list[str]:
    """Paths to read instead of ``paths``: JSON-lines copies of the local ones."""
    if not _folders:
        atexit.register(_cleanup)
    result: list[str] = []
    for address in paths:
        root = Path(address.removeprefix("file://"))
        if "://" in address.removeprefix("file://") or not root.exists():
            result.append(address)
            continue
        target = Path(tempfile.mkdtemp(prefix="openglue-jsonl-"))
        _folders.append(str(target))
        for source in _files(root):
            copy = target / (source.relative_to(root) if root.is_dir() else source.name)
            copy = copy.with_name(copy.name.removesuffix(".json") + ".json")
            copy.parent.mkdir(parents=True, exist_ok=True)
            with copy.open("w", encoding="utf-8") as out:
                for record in _records(source):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        result.append(str(target) if root.is_dir() else str(target / root.name))
    return result
