"""The catalog as a crawl sees it: read through the catalog services, changed only by applying
the ``Change`` records that ``reconcile`` decided (so every write has a reason on record)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openglue.catalog.partitions import PartitionService
from openglue.catalog.tables import TableService, to_aws
from openglue.crawler.reconcile import Change
from openglue.crawler.table_input import UPDATED_BY
from openglue.errors import EntityNotFoundException

_PAGE = 100
# Partitions per BatchCreatePartition-sized write: bounded memory, few transactions.
_PARTITION_BATCH = 500


class ServiceCatalog:
    def __init__(self, tables: TableService, partitions: PartitionService) -> None:
        self.tables = tables
        self.partitions = partitions

    def get_table(self, database: str, name: str) -> dict[str, Any] | None:
        try:
            return to_aws(self.tables.get(database, name), self.tables.catalog_id)
        except EntityNotFoundException:
            return None

    def tables_of_crawler(self, database: str, crawler: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            page = self.tables.list_tables(database, None, after, _PAGE)
            found.extend(
                to_aws(r, self.tables.catalog_id)
                for r in page
                if (r.spec.get("Parameters") or {}).get(UPDATED_BY) == crawler
            )
            if len(page) < _PAGE:
                return found
            after = page[-1].name

    def partition_values(self, database: str, table: str) -> set[tuple[str, ...]]:
        values: set[tuple[str, ...]] = set()
        after: int | None = None
        while True:
            records, after = self.partitions.page(
                database, table, expression=None, segment=None, after=after, limit=1000
            )
            values.update(tuple(r.values) for r in records)
            if after is None:
                return values

    def apply(self, change: Change) -> int:
        """Write one change; the number of partitions it added or deleted."""
        database, table = change.database, change.table
        if change.action == "create_table":
            assert change.table_input is not None
            self.tables.create(database, change.table_input)
        elif change.action in ("update_table", "deprecate_table"):
            assert change.table_input is not None
            self.tables.update(database, change.table_input)
        elif change.action == "delete_table":
            self.tables.delete(database, table)
        elif change.action == "add_partitions":
            return self._in_batches(change.partitions, database, table, add=True)
        elif change.action == "delete_partitions":
            return self._in_batches(change.partition_values, database, table, add=False)
        return 0

    def _in_batches(self, items: Sequence[Any], database: str, table: str, *, add: bool) -> int:
        done = 0
        for start in range(0, len(items), _PARTITION_BATCH):
            chunk = list(items[start : start + _PARTITION_BATCH])
            if add:
                failures = self.partitions.batch_create(database, table, chunk)
            else:
                failures = self.partitions.batch_delete(database, table, chunk)
            done += len(chunk) - len(failures)
        return done
