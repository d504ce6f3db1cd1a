"""Contract suite for the job bookmark store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from openglue.errors import ConcurrentModificationException, EntityNotFoundException
from openglue.store.job_bookmarks import BookmarkEntry, SqlJobBookmarkStore
from openglue.store.jobs import JobRecord, SqlJobStore
from openglue.store.sql import SqlStore


def _entry(version: int, run_id: str, files: str, job: str = "etl") -> BookmarkEntry:
    state = {"source": {"INCLUDE_LIST": files}}
    return BookmarkEntry(job, version, version, 0, run_id, None, float(version), state)


def test_versions_append_in_order_and_runs_find_theirs(sql_store: SqlStore) -> None:
    SqlJobStore(sql_store).create(JobRecord("etl", {"Role": "r"}, 1.0, 1.0))
    store = SqlJobBookmarkStore(sql_store)
    assert store.latest("etl") is None
    store.append(_entry(1, "jr_1", "a"), 0)
    store.append(_entry(2, "jr_2", "a,b"), 1)
    assert store.latest("etl") == _entry(2, "jr_2", "a,b")
    assert store.of_run("etl", "jr_1") == _entry(1, "jr_1", "a")
    assert store.of_run("etl", "jr_9") is None
    # A writer that read version 1 lost to the one that wrote version 2: nothing changes.
    with pytest.raises(ConcurrentModificationException, match="at version 2, not 1"):
        store.append(_entry(2, "jr_3", "x"), 1)
    assert store.latest("etl") == _entry(2, "jr_2", "a,b")
    with pytest.raises(EntityNotFoundException, match="Job other not found"):
        store.latest("other")
    with pytest.raises(EntityNotFoundException, match="Job other not found"):
        store.append(_entry(1, "jr_1", "a", job="other"), 0)


def test_deleting_the_job_deletes_its_bookmark(sql_store: SqlStore) -> None:
    jobs = SqlJobStore(sql_store)
    jobs.create(JobRecord("etl", {"Role": "r"}, 1.0, 1.0))
    store = SqlJobBookmarkStore(sql_store)
    store.append(_entry(1, "jr_1", "a"), 0)
    jobs.delete("etl")
    jobs.create(JobRecord("etl", {"Role": "r"}, 2.0, 2.0))
    assert store.latest("etl") is None


def test_racing_writers_of_one_version_one_wins(sql_store: SqlStore) -> None:
    SqlJobStore(sql_store).create(JobRecord("etl", {"Role": "r"}, 1.0, 1.0))
    store = SqlJobBookmarkStore(sql_store)
    store.append(_entry(1, "jr_0", "a"), 0)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def commit(index: int) -> None:
        barrier.wait()
        try:
            store.append(_entry(2, f"jr_{index}", f"w{index}"), 1)
            outcomes.append(f"jr_{index}")
        except ConcurrentModificationException:
            outcomes.append("lost")

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "lost"]
    assert len(winners) == 1 and len(outcomes) == 8
    latest = store.latest("etl")
    assert latest is not None and latest.version == 2 and latest.run_id == winners[0]
