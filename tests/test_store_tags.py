"""Contract suite for the tag store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import InvalidInputException
from openglue.store.sql import SqlStore
from openglue.store.tags import SqlTagStore

A = "arn:aws:glue:us-east-1:123456789012:database/a"
B = "arn:aws:glue:us-east-1:123456789012:database/b"


def test_add_merges_and_overwrites(sql_store: SqlStore) -> None:
    store = SqlTagStore(sql_store)
    assert store.get(A) == {}
    store.add(A, {"team": "data", "env": "dev"}, 50)
    store.add(A, {"env": "prod", "Env": "x", "empty": ""}, 50)
    assert store.get(A) == {"team": "data", "env": "prod", "Env": "x", "empty": ""}
    assert store.get(B) == {}


def test_add_enforces_the_limit_atomically(sql_store: SqlStore) -> None:
    store = SqlTagStore(sql_store)
    store.add(A, {f"k{i}": "v" for i in range(3)}, 4)
    store.add(A, {"k0": "new", "k3": "v"}, 4)  # overwriting does not count twice
    with pytest.raises(InvalidInputException, match="at most 4"):
        store.add(A, {"k4": "v", "k0": "newer"}, 4)
    assert store.get(A) == {"k0": "new", "k1": "v", "k2": "v", "k3": "v"}


def test_remove_replace_move(sql_store: SqlStore) -> None:
    store = SqlTagStore(sql_store)
    store.add(A, {"a": "1", "b": "2", "c": "3"}, 50)
    store.remove(A, ["a", "missing"])
    assert store.get(A) == {"b": "2", "c": "3"}

    store.replace(A, {"x": "9"})
    assert store.get(A) == {"x": "9"}

    store.add(B, {"stale": "1"}, 50)
    store.move(A, B)
    assert store.get(A) == {}
    assert store.get(B) == {"x": "9"}
    store.move(B, B)
    assert store.get(B) == {"x": "9"}

    store.replace(B, {})
    assert store.get(B) == {}
