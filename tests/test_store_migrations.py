"""Schema versions: fresh stores migrate to the latest, re-running is a no-op, newer is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, update

from openglue.store import schema
from openglue.store.migrations import (
    ADDED_TABLES,
    LATEST,
    SchemaTooNewError,
    current_version,
    migrate,
)
from openglue.store.sql import SqlStore


def test_fresh_store_is_at_latest_and_migrate_is_idempotent(sql_store: SqlStore) -> None:
    with sql_store.read() as conn:
        assert current_version(conn) == LATEST
        names = set(inspect(conn).get_table_names())
    assert {t.name for t in schema.metadata.sorted_tables} <= names
    assert migrate(sql_store) == LATEST
    with sql_store.read() as conn:
        rows = conn.execute(schema.schema_version.select()).all()
    assert [r.version for r in rows] == [LATEST]


def test_store_from_a_newer_openglue_is_refused(sql_store: SqlStore) -> None:
    with sql_store.write() as conn:
        conn.execute(update(schema.schema_version).values(version=LATEST + 1))
    with pytest.raises(SchemaTooNewError, match="upgrade OpenGlue"):
        migrate(sql_store)


@pytest.mark.parametrize("version", sorted(ADDED_TABLES))
def test_each_version_migrates_from_the_one_before(sql_store: SqlStore, version: int) -> None:
    # Make the store look as the previous version left it: without the tables added since.
    later = {t for v, tables in ADDED_TABLES.items() if v >= version for t in tables}
    with sql_store.write() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if table in later:
                table.drop(conn)
        conn.execute(update(schema.schema_version).values(version=version - 1))
    assert migrate(sql_store) == LATEST
    with sql_store.read() as conn:
        names = set(inspect(conn).get_table_names())
        assert current_version(conn) == LATEST
    assert {t.name for t in later} <= names
