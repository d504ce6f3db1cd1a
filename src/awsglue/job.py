"""``Job``: the run's lifecycle as a Glue script sees it — ``init`` at the start, ``commit`` at
the end — and the names of the arguments the service passes to every run.

Bookmarks do nothing without both calls: ``init`` loads the job's bookmark state and makes it
the one sources consult; ``commit`` saves what the sources recorded. The state itself is a
``BookmarkState`` (``awsglue.bookmarks``), so the server-backed store can replace the
in-process one without touching this class.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from awsglue import bookmarks
from awsglue.bookmarks import BookmarkState

__all__ = ["Job"]

log = logging.getLogger("awsglue.job")


class Job:
    """A Glue job run. ``glue_context`` may be a ``GlueContext`` or a ``SparkSession``.

    The context is only kept, not used: the run's state lives in its ``BookmarkState``, so a
    ``Job`` needs no running Spark of its own.
    """

    def __init__(self, glue_context: object) -> None:
        self._glue_context = glue_context
        self._job_name: str | None = None
        self._args: dict[str, Any] = {}
        self._bookmarks: BookmarkState = bookmarks.DisabledBookmarks()

    # The flag lists below are Glue's own: ``getResolvedOptions`` builds its parser from them
    # (element 0 is the flag, any further elements are its allowed values).

    @classmethod
    def continuation_options(cls) -> list[str]:
        """The legacy bookmark flag; its values map in order onto ``job_bookmark_options``."""
        return [
            "--continuation-option",
            "continuation-enabled",
            "continuation-readonly",
            "continuation-ignore",
        ]

    @classmethod
    def job_bookmark_options(cls) -> list[str]:
        return ["--job-bookmark-option", bookmarks.ENABLE, bookmarks.PAUSE, bookmarks.DISABLE]

    @classmethod
    def job_bookmark_range_options(cls) -> list[str]:
        return ["--job-bookmark-from", "--job-bookmark-to"]

    @classmethod
    def id_params(cls) -> list[str]:
        return ["--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID", "--SECURITY_CONFIGURATION"]

    @classmethod
    def encryption_type_options(cls) -> list[str]:
        return ["--encryption-type", "sse-s3"]

    @classmethod
    def data_lineage_options(cls) -> list[str]:
        return ["--enable-data-lineage"]

    def init(self, job_name: str, args: Mapping[str, Any] | None = None) -> None:
        """Start the run: load the bookmark state for ``job_name`` as ``args`` ask.

        ``args`` is normally the dict from ``getResolvedOptions``; its ``job_bookmark_option``
        (default ``job-bookmark-disable``) and ``job_bookmark_from``/``_to`` choose the state.
        """
        if not isinstance(job_name, str) or not job_name:
            raise ValueError(f"Job.init needs the job name, got {job_name!r}")
        self._job_name = job_name
        self._args = dict(args or {})
        self._bookmarks = bookmarks.open_bookmarks(job_name, self._args)
        bookmarks.activate(self._bookmarks)

    def isInitialized(self) -> bool:
        return self._job_name is not None

    def commit(self) -> None:
        """End the run: save the bookmark state recorded since ``init``, all at once."""
        if self._job_name is None:
            # Glue scripts that drop ``job.init`` still run; say why bookmarks did nothing.
            log.warning("Job.commit() called before Job.init(): no bookmark state is saved")
            return
        self._bookmarks.commit()

    @property
    def bookmarks(self) -> BookmarkState:
        """The run's bookmark state (disabled until ``init``)."""
        return self._bookmarks
