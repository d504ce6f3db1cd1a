"""Contract suite for the connection store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.connections import ConnectionRecord, SqlConnectionStore
from openglue.store.sql import SqlStore


def _record(name: str, created: float = 1.0, **spec: object) -> ConnectionRecord:
    return ConnectionRecord(name, {"ConnectionType": "JDBC", **spec}, created, created)


def test_create_get_list_replace_delete(sql_store: SqlStore) -> None:
    store = SqlConnectionStore(sql_store)
    for name in ("b", "a", "c"):
        store.create(_record(name, Description=name))
    assert store.get("a") == _record("a", Description="a")
    assert [r.name for r in store.list(None, 2)] == ["a", "b"]
    assert [r.name for r in store.list("b", 10)] == ["c"]

    renamed = ConnectionRecord("z", {"ConnectionType": "KAFKA"}, 1.0, 2.0)
    store.replace("a", renamed)
    assert store.get("a") is None
    assert store.get("z") == renamed
    assert store.delete("z") is True
    assert store.delete("z") is False


def test_names_keep_case_and_list_in_code_point_order(sql_store: SqlStore) -> None:
    store = SqlConnectionStore(sql_store)
    for name in ("b_x", "B", "a", "bx", "A"):
        store.create(_record(name))
    assert store.get("A") == _record("A")
    assert store.get("a") == _record("a")
    assert [r.name for r in store.list(None, 10)] == ["A", "B", "a", "b_x", "bx"]
    assert [r.name for r in store.list("a", 10)] == ["b_x", "bx"]


def test_conflicts(sql_store: SqlStore) -> None:
    store = SqlConnectionStore(sql_store)
    store.create(_record("a"))
    store.create(_record("b"))
    with pytest.raises(AlreadyExistsException, match="Connection a already exists"):
        store.create(_record("a", 2.0))
    with pytest.raises(AlreadyExistsException):
        store.replace("a", _record("b"))
    with pytest.raises(EntityNotFoundException, match="Connection missing not found"):
        store.replace("missing", _record("m"))
    assert store.get("a") == _record("a")
