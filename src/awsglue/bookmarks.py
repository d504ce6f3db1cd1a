"""Job bookmark state as the runtime sees it: what sources read at start, what ``commit`` saves.

``Job.init`` opens a ``BookmarkState`` for the job (``open_bookmarks``) and makes it the active
one; sources look it up with ``active()``, filter their input with ``get(ctx)`` and record their
new high-water mark with ``update(ctx, element)``; ``Job.commit`` calls ``commit()``, which saves
every updated element at once as one new version. Nothing is saved before ``commit``, so a run
that fails part-way leaves the previous state untouched and the next run reads the same input.

Two implementations live here: ``DisabledBookmarks`` (``job-bookmark-disable``, Glue's default)
and ``InMemoryBookmarks``, which keeps state for the life of the Python process — enough for
local runs and unit tests of scripts. When the process has a Glue endpoint
(``AWS_ENDPOINT_URL_GLUE`` or ``AWS_ENDPOINT_URL``, as every job run by an OpenGlue server
does), ``open_bookmarks`` returns the server-backed state of ``awsglue.server_bookmarks``
instead; sources only ever see the ``BookmarkState`` contract.
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping

__all__ = [
    "BOOKMARK_OPTIONS",
    "DISABLE",
    "ENABLE",
    "PAUSE",
    "BookmarkState",
    "DisabledBookmarks",
    "InMemoryBookmarks",
    "JobStates",
    "StateElement",
    "activate",
    "active",
    "open_bookmarks",
    "warn_missing_ctx",
]

log = logging.getLogger("awsglue.bookmarks")

ENABLE = "job-bookmark-enable"
PAUSE = "job-bookmark-pause"
DISABLE = "job-bookmark-disable"
BOOKMARK_OPTIONS = (ENABLE, PAUSE, DISABLE)

# Glue stores every value of a state element as a string (timestamps, counters, hash lists).
StateElement = Mapping[str, str]
JobStates = dict[str, dict[str, dict[str, str]]]


class BookmarkState(ABC):
    """The bookmark state of one job run, keyed by ``transformation_ctx``.

    Contract for every implementation:

    - ``get(ctx)`` returns the element committed by the last successful run (or the run chosen
      by ``--job-bookmark-from/-to`` under pause), or None when there is none; it never returns
      what this run has only staged with ``update``.
    - ``update(ctx, element)`` stages the new element; repeated calls for a ctx keep the last.
    - ``commit()`` saves all staged elements atomically and clears the stage; under pause and
      disable it saves nothing. Calling it again with nothing staged saves nothing.
    """

    def __init__(self, job_name: str, option: str) -> None:
        if option not in BOOKMARK_OPTIONS:
            raise ValueError(
                f"unknown job bookmark option {option!r}; expected one of {BOOKMARK_OPTIONS}"
            )
        self.job_name = job_name
        self.option = option

    @property
    def tracking(self) -> bool:
        """True when sources must filter their input by bookmark state (enable or pause)."""
        return self.option != DISABLE

    @abstractmethod
    def get(self, transformation_ctx: str) -> StateElement | None:
        """The committed element for ``transformation_ctx``, or None."""

    def upper_bound(self, transformation_ctx: str) -> StateElement | None:
        """Under pause with ``--job-bookmark-from/-to``: the element the ``to`` run committed
        (input it had processed is the most a read may take; ``{}`` when it had none for the
        ctx). None — no upper bound — everywhere else."""
        return None

    @abstractmethod
    def update(self, transformation_ctx: str, element: StateElement) -> None:
        """Stage ``element`` as the new state of ``transformation_ctx``."""

    @abstractmethod
    def commit(self) -> None:
        """Persist every staged element as one new version (enable only)."""


class DisabledBookmarks(BookmarkState):
    """``job-bookmark-disable``: every run reads everything and nothing is remembered."""

    def __init__(self, job_name: str = "") -> None:
        super().__init__(job_name, DISABLE)

    def get(self, transformation_ctx: str) -> StateElement | None:
        return None

    def update(self, transformation_ctx: str, element: StateElement) -> None:
        return None

    def commit(self) -> None:
        return None


# One process-wide store, so that two runs of a job inside one process (a test, a notebook)
# see each other's commits the way runs on the server will.
_MEMORY: JobStates = {}


class InMemoryBookmarks(BookmarkState):
    """Bookmark state kept in this process only (``store`` defaults to a process-wide dict).

    Pause ranges (``--job-bookmark-from/-to``) need the per-run history only the server keeps;
    here pause reads the latest committed state and never writes.
    """

    def __init__(self, job_name: str, option: str, store: JobStates | None = None) -> None:
        super().__init__(job_name, option)
        self._store = _MEMORY if store is None else store
        self._staged: dict[str, dict[str, str]] = {}

    def get(self, transformation_ctx: str) -> StateElement | None:
        element = self._store.get(self.job_name, {}).get(transformation_ctx)
        return None if element is None else dict(element)

    def update(self, transformation_ctx: str, element: StateElement) -> None:
        if self.tracking:
            self._staged[transformation_ctx] = dict(element)

    def commit(self) -> None:
        staged, self._staged = self._staged, {}
        if self.option == ENABLE and staged:
            # Build the new version aside and swap it in, so readers never see half of it.
            committed = dict(self._store.get(self.job_name, {}))
            committed.update(staged)
            self._store[self.job_name] = committed


def open_bookmarks(job_name: str, args: Mapping[str, object]) -> BookmarkState:
    """The bookmark state ``Job.init`` uses for ``job_name`` under the resolved job ``args``."""
    option = args.get("job_bookmark_option") or DISABLE
    if not isinstance(option, str):
        raise TypeError(f"job_bookmark_option must be a string, got {option!r}")
    if option == DISABLE:
        return DisabledBookmarks(job_name)
    if os.environ.get("AWS_ENDPOINT_URL_GLUE") or os.environ.get("AWS_ENDPOINT_URL"):
        from awsglue.server_bookmarks import open_server_bookmarks

        found = open_server_bookmarks(job_name, option, args)
        if found is not None:
            return found
    state = InMemoryBookmarks(job_name, option)
    log.warning(
        "Job bookmarks (%s) for job %r are kept in this process only (no Glue endpoint"
        " holds them): they last as long as this Python process",
        option,
        job_name,
    )
    return state


_active: BookmarkState = DisabledBookmarks()


def activate(state: BookmarkState) -> None:
    """Make ``state`` the one sources consult (``Job.init`` calls this)."""
    global _active
    _active = state


def active() -> BookmarkState:
    """The bookmark state of the running job; disabled until a ``Job`` is initialised."""
    return _active


def warn_missing_ctx(source_description: str, transformation_ctx: str = "") -> bool:
    """Log a warning when a source is read under bookmarks without a ``transformation_ctx``.

    Sources call this on every read, passing what they were given; it warns only when the
    active job tracks bookmarks and the ctx is empty, because such a read is silently
    re-processed in full on every run — the commonest bookmark surprise. Returns whether it
    warned.
    """
    state = active()
    if not state.tracking or transformation_ctx:
        return False
    log.warning(
        "Job bookmarks are on (%s) but the read of %s has no transformation_ctx, so it is not"
        " bookmarked and reads all of its input on every run; pass"
        ' transformation_ctx="<a name unique in the job>" to track it',
        state.option,
        source_description,
    )
    return True
