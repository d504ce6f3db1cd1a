"""Contract suite for the database store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.databases import DatabaseRecord, SqlDatabaseStore
from openglue.store.sql import SqlStore


def test_create_get_list_replace_delete(sql_store: SqlStore) -> None:
    store = SqlDatabaseStore(sql_store)
    for name in ("b", "a", "c"):
        store.create(DatabaseRecord(name, {"Description": name}, 1.5))
    got = store.get("a")
    assert got == DatabaseRecord("a", {"Description": "a"}, 1.5)
    assert [r.name for r in store.list(None, 2)] == ["a", "b"]
    assert [r.name for r in store.list("b", 10)] == ["c"]
    store.replace("a", DatabaseRecord("z", {"LocationUri": "s3://x/"}, 1.5))
    assert store.get("a") is None
    assert store.get("z") == DatabaseRecord("z", {"LocationUri": "s3://x/"}, 1.5)
    assert store.delete("z") is True
    assert store.delete("z") is False


def test_conflicts(sql_store: SqlStore) -> None:
    store = SqlDatabaseStore(sql_store)
    store.create(DatabaseRecord("a", {}, 1.0))
    store.create(DatabaseRecord("b", {}, 1.0))
    with pytest.raises(AlreadyExistsException):
        store.create(DatabaseRecord("a", {}, 2.0))
    with pytest.raises(AlreadyExistsException):
        store.replace("a", DatabaseRecord("b", {}, 1.0))
    with pytest.raises(EntityNotFoundException):
        store.replace("missing", DatabaseRecord("m", {}, 1.0))
    assert store.get("a") == DatabaseRecord("a", {}, 1.0)
