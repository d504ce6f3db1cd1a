"""Contract suite for the table store: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from dataclasses import replace

import pytest
from sqlalchemy import insert, select

from openglue.errors import (
    AlreadyExistsException,
    ConcurrentModificationException,
    EntityNotFoundException,
)
from openglue.store import schema
from openglue.store.databases import DatabaseRecord, SqlDatabaseStore
from openglue.store.partition_indexes import PartitionIndexRecord
from openglue.store.sql import SqlStore
from openglue.store.tables import SqlTableStore, TableRecord


def _table(name: str, database: str = "db", **spec: object) -> TableRecord:
    return TableRecord(database, name, dict(spec), 10.0, 10.0, 1)


@pytest.fixture
def store(sql_store: SqlStore) -> SqlTableStore:
    databases = SqlDatabaseStore(sql_store)
    databases.create(DatabaseRecord("db", {}, 1.0))
    databases.create(DatabaseRecord("other", {}, 1.0))
    return SqlTableStore(sql_store)


def test_create_get_list(store: SqlTableStore) -> None:
    for name in ("b", "a", "c"):
        store.create(_table(name, Description=name), [])
    store.create(_table("z", database="other"), [])
    assert store.get("db", "a") == _table("a", Description="a")
    assert store.get("db", "missing") is None
    assert [r.name for r in store.list_tables("db", None, 2, None)] == ["a", "b"]
    assert [r.name for r in store.list_tables("db", "b", 10, None)] == ["c"]
    assert store.list_tables("other", None, 10, None) == [_table("z", database="other")]


def test_list_with_pattern_pages_past_non_matching_names(store: SqlTableStore) -> None:
    # More names than one scan batch, so the pattern has to be applied across batches.
    db_id = _database_row_id(store)
    rows = [
        {
            "database_id": db_id,
            "name": f"t{i:04d}",
            "spec": {},
            "create_time": 1.0,
            "update_time": 1.0,
            "version_id": 1,
        }
        for i in range(2500)
    ]
    with store.sql.write() as conn:
        conn.execute(insert(schema.tables), rows)
    pattern = re.compile(r"t(0007|1500|2499|2200)")
    page = store.list_tables("db", None, 3, pattern)
    assert [r.name for r in page] == ["t0007", "t1500", "t2200"]
    assert [r.name for r in store.list_tables("db", "t2200", 3, pattern)] == ["t2499"]
    assert store.list_tables("db", None, 5, re.compile("nothing")) == []


def _database_row_id(store: SqlTableStore) -> int:
    with store.sql.read() as conn:
        found = conn.execute(
            select(schema.databases.c.id).where(schema.databases.c.name == "db")
        ).scalar_one()
    return int(found)


def test_conflicts_and_missing_database(store: SqlTableStore) -> None:
    store.create(_table("a"), [])
    with pytest.raises(AlreadyExistsException, match="Table a already exists"):
        store.create(_table("a"), [])
    with pytest.raises(EntityNotFoundException, match="Database nope not found"):
        store.create(_table("a", database="nope"), [])
    with pytest.raises(EntityNotFoundException, match="Database nope not found"):
        store.get("nope", "a")
    with pytest.raises(EntityNotFoundException, match="Database nope not found"):
        store.list_tables("nope", None, 10, None)
    with pytest.raises(EntityNotFoundException, match="Table b not found"):
        store.update("db", "b", {}, 2.0, expected_version=None, archive=True)


def test_update_archives_and_keeps_the_row(store: SqlTableStore) -> None:
    store.create(_table("t", Description="one"), [])
    before = _row_id(store, "t")
    new = store.update("db", "t", {"Description": "two"}, 20.0, expected_version="1", archive=True)
    assert new == TableRecord("db", "t", {"Description": "two"}, 10.0, 20.0, 2)
    assert store.get("db", "t") == new
    assert _row_id(store, "t") == before  # partitions hang off this id
    assert store.get_version("db", "t", 1) == _table("t", Description="one")
    assert store.get_version("db", "t", 2) == new
    assert store.get_version("db", "t", 3) is None

    # SkipArchive: the version number still moves on, but version 2 is not kept.
    store.update("db", "t", {"Description": "three"}, 30.0, expected_version=None, archive=False)
    assert [r.version_id for r in store.list_versions("db", "t", None, 10)] == [3, 1]
    assert store.get_version("db", "t", 2) is None

    with pytest.raises(ConcurrentModificationException, match="not the current version 3"):
        store.update("db", "t", {}, 40.0, expected_version="2", archive=True)
    assert store.get("db", "t") == TableRecord("db", "t", {"Description": "three"}, 10.0, 30.0, 3)


def _row_id(store: SqlTableStore, name: str) -> int:
    with store.sql.read() as conn:
        return int(
            conn.execute(select(schema.tables.c.id).where(schema.tables.c.name == name)).scalar()
            or 0
        )


def test_versions_page_newest_first_and_delete(store: SqlTableStore) -> None:
    store.create(_table("t"), [])
    for n in range(2, 6):
        store.update("db", "t", {"n": n}, float(n), expected_version=None, archive=True)
    assert [r.version_id for r in store.list_versions("db", "t", None, 2)] == [5, 4]
    assert [r.version_id for r in store.list_versions("db", "t", 4, 2)] == [3, 2]
    assert [r.version_id for r in store.list_versions("db", "t", 2, 2)] == [1]
    assert store.delete_versions("db", "t", [2, 3, 5, 99]) == {2, 3}  # 5 is current
    assert [r.version_id for r in store.list_versions("db", "t", None, 10)] == [5, 4, 1]
    with pytest.raises(EntityNotFoundException, match="Table x not found"):
        store.list_versions("db", "x", None, 10)
    with pytest.raises(EntityNotFoundException, match="Table x not found"):
        store.delete_versions("db", "x", [1])


def test_delete_takes_versions_and_indexes(store: SqlTableStore) -> None:
    store.create(_table("a"), [PartitionIndexRecord("ix", ("year",), 10.0)])
    store.create(_table("b"), [])
    store.update("db", "a", {}, 11.0, expected_version=None, archive=True)
    assert store.delete("db", ["a", "nope", "b"]) == {"a", "b"}
    assert store.delete("db", ["a"]) == set()
    with store.sql.read() as conn:
        assert conn.execute(select(schema.table_versions)).all() == []
        assert conn.execute(select(schema.partition_indexes)).all() == []
    with pytest.raises(EntityNotFoundException, match="Database nope not found"):
        store.delete("nope", ["a"])


def test_scan_crosses_databases_in_order(store: SqlTableStore) -> None:
    for database, name in [("other", "a"), ("db", "b"), ("db", "a")]:
        store.create(_table(name, database=database), [])
    assert [(r.database, r.name) for r in store.scan(None, 10)] == [
        ("db", "a"),
        ("db", "b"),
        ("other", "a"),
    ]
    assert [(r.database, r.name) for r in store.scan(("db", "b"), 10)] == [("other", "a")]


def test_concurrent_updates_lose_nothing(store: SqlTableStore) -> None:
    store.create(_table("hot"), [])
    errors: list[BaseException] = []

    def writer(thread: int) -> None:
        try:
            for step in range(5):
                store.update(
                    "db",
                    "hot",
                    {"Parameters": {"writer": f"{thread}.{step}"}},
                    100.0,
                    expected_version=None,
                    archive=True,
                )
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    current = store.get("db", "hot")
    assert current is not None and current.version_id == 41
    versions = store.list_versions("db", "hot", None, 100)
    assert sorted(r.version_id for r in versions) == list(range(1, 42))
    # Every write is kept exactly once: 40 distinct writers' specs plus the original.
    specs = {str(r.spec.get("Parameters")) for r in versions}
    assert len(specs) == 41
    assert replace(current, spec={}) == TableRecord("db", "hot", {}, 10.0, 100.0, 41)
