"""Job bookmarks for file sources (S3, the embedded buckets, local paths): which files a run
reads, and the state element it leaves for the next run.

The element, per ``transformation_ctx`` (all values strings, as in Glue's
``HadoopDataSourceJobBookmarkState``)::

    CURR_RUN_START_TIME  when the run listed the files (ISO 8601, UTC, milliseconds)
    HIGH_BAND            maxBand, in milliseconds (default 900000 = 15 minutes)
    INCLUDE_LIST         md5 of (address, mtime) of every file modified within HIGH_BAND
                         before CURR_RUN_START_TIME (or later), comma-separated
    RUN                  how many runs have committed this element

A file counts as processed by a state when it was modified before ``start - band``, or when
its hash is in the include list. A run reads the files *not* processed by the committed state
(and, under pause with ``--job-bookmark-to``, processed by the ``to`` run's state). Why the
band: a file listed late — written just before the previous listing but not visible to it —
has an mtime older than that run's start and would be lost by a plain high-water mark; files
inside the band are remembered one by one instead. The hash includes the mtime, so a file
rewritten since (newer mtime) is read again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from awsglue.file_listing import ListedFile

__all__ = ["DEFAULT_MAX_BAND_MS", "ProcessedFiles", "max_band_ms", "next_element", "select"]

DEFAULT_MAX_BAND_MS = 900_000
JSON_CLASS = "HadoopDataSourceJobBookmarkState"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def digest(file: ListedFile) -> str:
    return hashlib.md5(
        f"{file.address}|{file.mtime_ms}".encode(), usedforsecurity=False
    ).hexdigest()


def format_time(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return moment.strftime(_TIME_FORMAT)[:-3] + "Z"


def parse_time(text: str) -> int:
    moment = datetime.strptime(text.rstrip("Z"), _TIME_FORMAT).replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def max_band_ms(options: Mapping[str, object]) -> int:
    """The ``maxBand`` connection option (milliseconds), or Glue's default."""
    raw = options.get("maxBand")
    if raw is None or raw == "":
        return DEFAULT_MAX_BAND_MS
    try:
        band = int(str(raw))
    except ValueError:
        raise ValueError(f"maxBand must be a whole number of milliseconds, got {raw!r}") from None
    if band < 0:
        raise ValueError(f"maxBand must not be negative, got {raw!r}")
    return band


@dataclass(frozen=True)
class ProcessedFiles:
    """The files a committed state element says were read."""

    before_ms: int | None  # everything modified at or before this; None: nothing
    hashes: frozenset[str]

    @classmethod
    def of(cls, element: Mapping[str, str] | None) -> ProcessedFiles:
        if not element or "CURR_RUN_START_TIME" not in element:
            return cls(None, frozenset())
        start = parse_time(element["CURR_RUN_START_TIME"])
        band = int(element.get("HIGH_BAND") or DEFAULT_MAX_BAND_MS)
        listed = element.get("INCLUDE_LIST", "")
        return cls(start - band, frozenset(h for h in listed.split(",") if h))

    def __contains__(self, file: object) -> bool:
        if not isinstance(file, ListedFile):
            return False
        if self.before_ms is not None and file.mtime_ms <= self.before_ms:
            return True
        return digest(file) in self.hashes


def select(
    files: Iterable[ListedFile],
    committed: Mapping[str, str] | None,
    upper: Mapping[str, str] | None = None,
) -> list[ListedFile]:
    """The files to read: not processed by ``committed``, and processed by ``upper`` (the
    ``--job-bookmark-to`` run's element) when there is one."""
    done = ProcessedFiles.of(committed)
    ceiling = None if upper is None else ProcessedFiles.of(upper)
    return [f for f in files if f not in done and (ceiling is None or f in ceiling)]


def next_element(
    files: Sequence[ListedFile],
    started_ms: int,
    band_ms: int,
    previous: Mapping[str, str] | None,
) -> dict[str, str]:
    """The element to commit after reading at ``started_ms``: every listed file is now
    processed, the ones inside the band by their hash."""
    horizon = started_ms - band_ms
    recent = sorted({digest(f) for f in files if f.mtime_ms > horizon})
    run = int((previous or {}).get("RUN", "0") or "0") + 1
    return {
        "jsonClass": JSON_CLASS,
        "CURR_RUN_START_TIME": format_time(started_ms),
        "HIGH_BAND": str(band_ms),
        "INCLUDE_LIST": ",".join(recent),
        "RUN": str(run),
    }
