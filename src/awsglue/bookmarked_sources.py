"""Where file sources meet job bookmarks: the files a bookmarked read takes, and the state it
stages for ``job.commit()``.

A read is bookmarked when the running job tracks bookmarks (``job-bookmark-enable`` or
``-pause`` after ``job.init``) and the read has a ``transformation_ctx``; otherwise it reads
its paths whole, as before (without a ctx ``warn_missing_ctx`` has already said why).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from awsglue import bookmarks, file_bookmarks, file_listing

__all__ = ["choose_files"]

log = logging.getLogger("awsglue.bookmarks")


def choose_files(
    transformation_ctx: str,
    engine_paths: Sequence[str],
    options: Mapping[str, object],
    *,
    recurse: bool = False,
) -> dict[str, list[str]] | None:
    """For each of ``engine_paths`` (files or folders), the files this run reads; None when
    the read is not bookmarked. Stages the ctx's new element in the active bookmark state."""
    state = bookmarks.active()
    if not transformation_ctx or not state.tracking:
        return None
    band = file_bookmarks.max_band_ms(options)
    started = int(time.time() * 1000)  # before listing: a file written meanwhile is in band
    listed = {path: file_listing.list_files(path, recurse=recurse) for path in engine_paths}
    committed = state.get(transformation_ctx)
    upper = state.upper_bound(transformation_ctx)
    chosen = {
        path: [f.engine_path for f in file_bookmarks.select(files, committed, upper)]
        for path, files in listed.items()
    }
    every = [f for files in listed.values() for f in files]
    state.update(transformation_ctx, file_bookmarks.next_element(every, started, band, committed))
    log.info(
        "job bookmark %r: reading %d of %d file(s) (the others were processed by earlier runs)",
        transformation_ctx,
        sum(len(files) for files in chosen.values()),
        len(every),
    )
    return chosen
