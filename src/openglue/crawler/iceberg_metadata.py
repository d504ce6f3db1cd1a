"""An Iceberg table's current metadata file, found and read without touching data or manifests.

A table folder holds ``metadata/``: one metadata JSON per table version — ``vN.metadata.json``
for tables written through a Hadoop (file-system) catalog, with ``version-hint.text`` naming the
current N, or ``NNNNN-<uuid>.metadata.json`` for others — each complete: the schemas with the
current one's id, the partition specs with the default one's id, the table location and the
snapshots, whose summary carries record, file and byte totals.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openglue.crawler.plan import ObjectSource

__all__ = ["IcebergError", "IcebergMetadata", "current_metadata_key", "read_metadata"]

METADATA = "metadata/"
_FILE = re.compile(r"(?:v(\d+)|(\d+)-[0-9a-fA-F-]+)(?:\.gz)?\.metadata\.json(?:\.gz)?")


class IcebergError(ValueError):
    """The metadata cannot be read as an Iceberg table's; the message says which file and why."""


@dataclass(frozen=True)
class IcebergMetadata:
    key: str  # the metadata file read, relative to the source
    location: str
    format_version: int
    schema: dict[str, Any]  # the current schema: {"type": "struct", "fields": […]}
    partition_fields: tuple[dict[str, Any], ...]  # the default spec's fields
    summary: dict[str, str]  # the current snapshot's summary ({} before the first commit)
    previous: str | None  # the metadata file before this one, from the metadata log


def current_metadata_key(source: ObjectSource, table: str, keys: Sequence[str]) -> str:
    """The key of the table's current metadata file; ``keys`` are those under ``metadata/``."""
    folder = table + METADATA
    hint = folder + "version-hint.text"
    if hint in keys:
        with source.open(hint) as stream:
            text = stream.read().decode("utf-8", "replace").strip()
        if text.isdigit():
            for key in keys:
                match = _FILE.fullmatch(key[len(folder) :])
                if match and match[1] is not None and int(match[1]) == int(text):
                    return key
    versions = []
    for key in keys:
        match = _FILE.fullmatch(key[len(folder) :])
        if match:
            versions.append((int(match[1] or match[2]), key))
    if not versions:
        raise IcebergError(f"{folder} holds no metadata file (vN.metadata.json)")
    return max(versions)[1]


def read_metadata(source: ObjectSource, key: str) -> IcebergMetadata:
    with source.open(key) as stream:
        raw = stream.read()
    try:
        document = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (ValueError, OSError) as exc:
        raise IcebergError(f"{key} is not JSON ({exc})") from None
    if not isinstance(document, dict) or "location" not in document:
        raise IcebergError(f"{key} is not Iceberg table metadata (no location)")
    return IcebergMetadata(
        key=key,
        location=str(document["location"]),
        format_version=int(document.get("format-version") or 1),
        schema=_current(document, "schemas", "current-schema-id", "schema-id", "schema", key),
        partition_fields=tuple(_spec(document, key).get("fields") or ()),
        summary=_summary(document),
        previous=_previous(document),
    )


def _current(
    document: dict[str, Any], listed: str, current: str, own_id: str, single: str, key: str
) -> dict[str, Any]:
    """The entry of ``listed`` whose ``own_id`` is ``document[current]`` (format v2), or the
    single ``document[single]`` of format v1."""
    if listed in document and current in document:
        for entry in document[listed]:
            if entry.get(own_id) == document[current]:
                return dict(entry)
        raise IcebergError(f"{key}: {current} {document[current]} is not in {listed}")
    if single in document:
        return dict(document[single]) if isinstance(document[single], dict) else {}
    raise IcebergError(f"{key} has neither {listed} with {current} nor {single}")


def _spec(document: dict[str, Any], key: str) -> dict[str, Any]:
    if "partition-specs" in document and "default-spec-id" in document:
        return _current(document, "partition-specs", "default-spec-id", "spec-id", "-", key)
    legacy = document.get("partition-spec")  # format v1: a bare list of fields
    return {"fields": legacy} if isinstance(legacy, list) else {}


def _summary(document: dict[str, Any]) -> dict[str, str]:
    current = document.get("current-snapshot-id")
    for snapshot in document.get("snapshots") or []:
        if snapshot.get("snapshot-id") == current:
            return {str(k): str(v) for k, v in (snapshot.get("summary") or {}).items()}
    return {}


def _previous(document: dict[str, Any]) -> str | None:
    log = document.get("metadata-log") or []
    return str(log[-1]["metadata-file"]) if log and "metadata-file" in log[-1] else None
