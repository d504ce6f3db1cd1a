"""A Delta Lake table's state from its transaction log, without reading any data file.

The log (``_delta_log/``) holds one JSON file per commit, ``00000000000000000012.json``, each
line one action (``protocol``, ``metaData``, ``add``, ``remove``, ``commitInfo``…), and every so
often a Parquet checkpoint (``…12.checkpoint.parquet``, possibly in parts) holding the state up
to that version, named by ``_last_checkpoint``. The state is the latest checkpoint plus the
commits after it, replayed in order: the last ``metaData`` gives the schema and partition
columns, ``add`` minus ``remove`` the live files.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from openglue.crawler.plan import ObjectSource

__all__ = ["DeltaLogError", "DeltaState", "read_delta_log"]

LOG = "_delta_log/"
_COMMIT = re.compile(r"(\d{20})\.json")
_CHECKPOINT = re.compile(r"(\d{20})\.checkpoint(?:\.(\d{10})\.(\d{10}))?\.parquet")


class DeltaLogError(ValueError):
    """The log cannot be read as a Delta table; the message says which file and why."""


@dataclass
class DeltaState:
    version: int
    metadata: dict[str, Any]
    protocol: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # path → size, rows

    @property
    def partition_columns(self) -> list[str]:
        return list(self.metadata.get("partitionColumns") or [])

    def schema(self) -> dict[str, Any]:
        text = self.metadata.get("schemaString")
        if not text:
            raise DeltaLogError("the table's metaData action has no schemaString")
        schema: dict[str, Any] = json.loads(text)
        return schema


def read_delta_log(source: ObjectSource, table: str, keys: Sequence[str]) -> DeltaState:
    """The state of the Delta table at folder ``table`` ('' or ending in '/') of ``source``;
    ``keys`` are the source's keys under ``table + "_delta_log/"``."""
    log = table + LOG
    commits: dict[int, str] = {}
    checkpoints: dict[int, dict[int, str]] = {}
    for key in keys:
        name = key[len(log) :]
        if (match := _COMMIT.fullmatch(name)) is not None:
            commits[int(match[1])] = key
        elif (match := _CHECKPOINT.fullmatch(name)) is not None:
            part = int(match[2] or 1)
            checkpoints.setdefault(int(match[1]), {})[part] = key
    complete = [v for v, parts in checkpoints.items() if _complete(parts, keys, log)]
    start = max(complete, default=-1)
    state = DeltaState(start, {})
    if start >= 0:
        for key in sorted(checkpoints[start].values()):
            _apply_all(state, _checkpoint_actions(source, key), key)
    for version in sorted(v for v in commits if v > start):
        if version != state.version + 1:
            after = f"version {state.version}" if state.version >= 0 else "no checkpoint"
            raise DeltaLogError(f"commit {version} follows {after}: the log has a gap")
        _apply_all(state, _commit_actions(source, commits[version]), commits[version])
        state.version = version
    if state.version < 0:
        raise DeltaLogError(f"{log} holds no commit (NNNNNNNNNNNNNNNNNNNN.json) or checkpoint")
    if not state.metadata:
        raise DeltaLogError(f"{log} has no metaData action: the table has no schema")
    return state


def _complete(parts: Mapping[int, str], keys: Sequence[str], log: str) -> bool:
    """A multi-part checkpoint counts only when all its parts are there."""
    match = _CHECKPOINT.fullmatch(next(iter(parts.values()))[len(log) :])
    total = int(match[3]) if match and match[3] else 1
    return len(parts) == total


def _apply_all(state: DeltaState, actions: Iterable[Mapping[str, Any]], where: str) -> None:
    for action in actions:
        if "metaData" in action:
            state.metadata = dict(action["metaData"])
        elif "protocol" in action:
            state.protocol = dict(action["protocol"])
        elif "add" in action:
            add = action["add"]
            try:
                state.files[add["path"]] = (int(add.get("size") or 0), _rows(add.get("stats")))
            except (KeyError, TypeError, ValueError):
                raise DeltaLogError(f"{where}: an add action without a path or size") from None
        elif "remove" in action:
            state.files.pop(str((action["remove"] or {}).get("path")), None)


def _rows(stats: object) -> int | None:
    """``numRecords`` from an add action's statistics (a JSON string), when written."""
    if not isinstance(stats, str):
        return None
    try:
        rows = json.loads(stats).get("numRecords")
    except (ValueError, AttributeError):
        return None
    return rows if isinstance(rows, int) else None


def _commit_actions(source: ObjectSource, key: str) -> Iterable[Mapping[str, Any]]:
    with source.open(key) as stream:
        text = stream.read().decode("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            action = json.loads(line)
        except ValueError as exc:
            raise DeltaLogError(f"{key} line {number} is not JSON ({exc})") from None
        if not isinstance(action, dict):
            raise DeltaLogError(f"{key} line {number} is not an action object")
        yield action


def _checkpoint_actions(source: ObjectSource, key: str) -> Iterable[Mapping[str, Any]]:
    import pyarrow.parquet as pq  # imported when a checkpoint is read, as classify does

    with source.open(key) as raw:
        # Parquet is read from its footer: an object that cannot seek (an HTTP body) is held
        # in memory, as checkpoints are small next to the data they describe.
        stream: BinaryIO = raw if raw.seekable() else io.BytesIO(raw.read())
        try:
            columns = _present_columns(pq.read_schema(stream))
            stream.seek(0)
            table = pq.read_table(stream, columns=columns)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise DeltaLogError(f"{key} is not a readable Parquet checkpoint ({exc})") from None
    for row in table.to_pylist():
        for kind in ("protocol", "metaData", "add", "remove"):
            value = row.get(kind)
            if value is not None:
                if kind == "add" and isinstance(value.get("partitionValues"), list):
                    value["partitionValues"] = dict(value["partitionValues"])
                yield {kind: value}


def _present_columns(schema: Any) -> list[str]:
    return [name for name in ("protocol", "metaData", "add", "remove") if name in schema.names]
