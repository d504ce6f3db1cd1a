"""Databases as Glue has them: names folded to lowercase, full-replace updates, deletes that
take every child along."""

from __future__ import annotations

from typing import Any

from openglue.catalog.names import fold, now
from openglue.errors import EntityNotFoundException
from openglue.store.databases import DatabaseRecord, DatabaseStore


def to_aws(record: DatabaseRecord, catalog_id: str) -> dict[str, Any]:
    """The ``Database`` shape."""
    return {
        **record.spec,
        "Name": record.name,
        "CreateTime": record.create_time,
        "CatalogId": catalog_id,
    }


def _spec(database_input: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in database_input.items() if k != "Name"}


class DatabaseService:
    def __init__(self, store: DatabaseStore, catalog_id: str) -> None:
        self.store = store
        self.catalog_id = catalog_id

    def create(self, database_input: dict[str, Any]) -> None:
        self.store.create(
            DatabaseRecord(fold(database_input["Name"]), _spec(database_input), now())
        )

    def get(self, name: str) -> DatabaseRecord:
        record = self.store.get(fold(name))
        if record is None:
            raise EntityNotFoundException(f"Database {fold(name)} not found.")
        return record

    def list(self, after: str | None, limit: int) -> list[DatabaseRecord]:
        return self.store.list(after, limit)

    def update(self, name: str, database_input: dict[str, Any]) -> None:
        current = self.get(name)
        self.store.replace(
            current.name,
            DatabaseRecord(
                fold(database_input["Name"]), _spec(database_input), current.create_time
            ),
        )

    def delete(self, name: str) -> None:
        if not self.store.delete(fold(name)):
            raise EntityNotFoundException(f"Database {fold(name)} not found.")
