"""``spigot``: write a sample of a frame's records to a path, for a look at the data mid-job.

Glue writes JSON lines; ``options`` ``topk`` keeps the first k records (default 100) and
``prob`` keeps each record with that probability (default 1). The frame passes through
unchanged; the sample is written when ``spigot`` is called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from awsglue import formats, storage
from awsglue.engine import is_connect_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["write_sample"]


def write_sample(frame: DataFrame, path: str, options: Mapping[str, Any] | None) -> None:
    options = dict(options or {})
    unknown = set(options) - {"topk", "prob"}
    if unknown:
        raise ValueError(f"spigot options are topk and prob, not {sorted(unknown)}")
    try:
        topk = int(options.get("topk", 100))
        prob = float(options.get("prob", 1.0))
    except (TypeError, ValueError):
        raise ValueError(f"spigot: topk must be an integer and prob a number: {options}") from None
    if not 0.0 <= prob <= 1.0:
        raise ValueError(f"spigot: prob must be between 0 and 1, got {prob}")
    sample = frame.sample(fraction=prob) if prob < 1.0 else frame
    target = storage.resolve(path, connect=is_connect_session(frame.sparkSession))
    formats.write_files(sample.limit(topk).coalesce(1), target, "json")
