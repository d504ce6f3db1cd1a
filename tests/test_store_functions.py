"""Contract suite for the user-defined function store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import AlreadyExistsException, EntityNotFoundException
from openglue.store.databases import DatabaseRecord, SqlDatabaseStore
from openglue.store.functions import FunctionRecord, SqlFunctionStore
from openglue.store.sql import SqlStore


def _fn(database: str, name: str, cls: str = "com.example.F") -> FunctionRecord:
    return FunctionRecord(database, name, {"ClassName": cls}, 1.5)


@pytest.fixture
def store(sql_store: SqlStore) -> SqlFunctionStore:
    databases = SqlDatabaseStore(sql_store)
    for name in ("db1", "db2", "db3"):
        databases.create(DatabaseRecord(name, {}, 1.0))
    return SqlFunctionStore(sql_store)


def test_create_get_replace_delete(store: SqlFunctionStore) -> None:
    store.create(_fn("db1", "f"))
    assert store.get("db1", "f") == _fn("db1", "f")
    assert store.get("db2", "f") is None

    store.replace("db1", "f", _fn("db1", "g", "com.example.G"))
    assert store.get("db1", "f") is None
    assert store.get("db1", "g") == _fn("db1", "g", "com.example.G")
    assert store.delete("db1", "g") is True
    assert store.delete("db1", "g") is False


def test_list_one_database_or_all(store: SqlFunctionStore) -> None:
    for database, name in [("db2", "b"), ("db1", "z"), ("db2", "a"), ("db1", "a"), ("db3", "m")]:
        store.create(_fn(database, name))
    assert [r.name for r in store.list("db2", None, 10)] == ["a", "b"]
    everywhere = [(r.database, r.name) for r in store.list(None, None, 10)]
    assert everywhere == [("db1", "a"), ("db1", "z"), ("db2", "a"), ("db2", "b"), ("db3", "m")]
    assert [(r.database, r.name) for r in store.list(None, ("db1", "z"), 2)] == [
        ("db2", "a"),
        ("db2", "b"),
    ]
    assert [r.name for r in store.list("db2", ("db2", "a"), 10)] == ["b"]


def test_missing_database_is_an_error_everywhere(store: SqlFunctionStore) -> None:
    message = "Database nodb not found."
    with pytest.raises(EntityNotFoundException, match=message):
        store.create(_fn("nodb", "f"))
    with pytest.raises(EntityNotFoundException, match=message):
        store.get("nodb", "f")
    with pytest.raises(EntityNotFoundException, match=message):
        store.list("nodb", None, 10)
    with pytest.raises(EntityNotFoundException, match=message):
        store.replace("nodb", "f", _fn("nodb", "f"))
    with pytest.raises(EntityNotFoundException, match=message):
        store.delete("nodb", "f")


def test_conflicts(store: SqlFunctionStore) -> None:
    store.create(_fn("db1", "f"))
    store.create(_fn("db1", "g"))
    store.create(_fn("db2", "f"))  # the same name in another database is fine
    with pytest.raises(AlreadyExistsException, match="Function f already exists"):
        store.create(_fn("db1", "f"))
    with pytest.raises(AlreadyExistsException):
        store.replace("db1", "f", _fn("db1", "g"))
    with pytest.raises(EntityNotFoundException, match="Function h not found"):
        store.replace("db1", "h", _fn("db1", "h"))
    assert store.get("db1", "f") == _fn("db1", "f")


def test_deleting_the_database_deletes_its_functions(
    store: SqlFunctionStore, sql_store: SqlStore
) -> None:
    store.create(_fn("db1", "f"))
    store.create(_fn("db2", "f"))
    SqlDatabaseStore(sql_store).delete("db1")
    SqlDatabaseStore(sql_store).create(DatabaseRecord("db1", {}, 2.0))
    assert store.get("db1", "f") is None
    assert [(r.database, r.name) for r in store.list(None, None, 10)] == [("db2", "f")]
