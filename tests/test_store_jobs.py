"""Contract suite for the job store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.jobs import JobRecord, SqlJobStore
from openglue.store.sql import SqlStore


def _job(name: str, **spec: object) -> JobRecord:
    return JobRecord(name, {"Role": "r", **spec}, 1.5, 2.5)


def test_create_get_list_replace_delete(sql_store: SqlStore) -> None:
    store = SqlJobStore(sql_store)
    for name in ("b", "a", "B", "c"):
        store.create(_job(name, Description=name))
    assert store.get("a") == _job("a", Description="a")
    assert store.get("A") is None  # job names keep their case
    # Code-point order on both backends: upper case before lower case.
    assert [r.name for r in store.list(None, 3)] == ["B", "a", "b"]
    assert [r.name for r in store.list("a", 10)] == ["b", "c"]
    assert sorted(store.get_many(["a", "missing", "c", "a"])) == ["a", "c"]
    assert store.get_many([]) == {}

    store.replace(JobRecord("a", {"Role": "new"}, 1.5, 9.0))
    assert store.get("a") == JobRecord("a", {"Role": "new"}, 1.5, 9.0)
    assert store.delete("a") is True
    assert store.delete("a") is False
    assert store.get("a") is None


def test_conflicts(sql_store: SqlStore) -> None:
    store = SqlJobStore(sql_store)
    store.create(_job("a"))
    with pytest.raises(AlreadyExistsException, match="Job a already exists"):
        store.create(_job("a", Description="other"))
    with pytest.raises(EntityNotFoundException, match="Job missing not found"):
        store.replace(_job("missing"))
    assert store.get("a") == _job("a")
