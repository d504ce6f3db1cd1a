"""Partition indexes as Glue has them: up to three per table, each over partition keys of the
table, reported with the keys' types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openglue.catalog.names import fold, now
from openglue.errors import EntityNotFoundException, InvalidInputException
from openglue.store.partition_indexes import PartitionIndexRecord, PartitionIndexStore
from openglue.store.partitioned_tables import PartitionedTable, PartitionKey
from openglue.store.partitions import PartitionStore

# Glue's documented quota: "a maximum of 3 partition indexes per table".
MAX_INDEXES_PER_TABLE = 3


@dataclass(frozen=True)
class PartitionIndex:
    name: str
    keys: tuple[PartitionKey, ...]


def to_aws(index: PartitionIndex) -> dict[str, Any]:
    """The ``PartitionIndexDescriptor`` shape. Every partition key is indexed by the store
    already, so an index is usable (ACTIVE) from the moment it is created."""
    return {
        "IndexName": index.name,
        "Keys": [{"Name": key.name, "Type": key.type} for key in index.keys],
        "IndexStatus": "ACTIVE",
    }


def _index_keys(table: PartitionedTable, names: Sequence[str]) -> tuple[str, ...]:
    """The table's spelling of each requested key; every one must be a partition key."""
    by_name = {fold(key.name): key.name for key in table.keys}
    unknown = [name for name in names if fold(name) not in by_name]
    if unknown:
        known = ", ".join(key.name for key in table.keys) or "(none)"
        raise InvalidInputException(
            f"Partition index keys {unknown} are not partition keys of table "
            f"{table.database}.{table.name}; its partition keys are: {known}"
        )
    keys = tuple(by_name[fold(name)] for name in names)
    if len(set(keys)) != len(keys):
        raise InvalidInputException(f"Partition index keys {list(names)} name a key twice")
    return keys


class PartitionIndexService:
    def __init__(self, store: PartitionIndexStore, partitions: PartitionStore) -> None:
        self.store = store
        self.partitions = partitions

    def create(self, database: str, table: str, partition_index: dict[str, Any]) -> None:
        target = self.partitions.table(fold(database), fold(table))
        keys = _index_keys(target, partition_index["Keys"])
        record = PartitionIndexRecord(partition_index["IndexName"], keys, now())
        self.store.create(target, record, MAX_INDEXES_PER_TABLE)

    def list(self, database: str, table: str) -> list[PartitionIndex]:
        target = self.partitions.table(fold(database), fold(table))
        types = {key.name: key.type for key in target.keys}
        # A key dropped from the table since (UpdateTable) still shows, typed as string.
        return [
            PartitionIndex(
                record.name,
                tuple(PartitionKey(name, types.get(name, "string")) for name in record.keys),
            )
            for record in self.store.list(target)
        ]

    def delete(self, database: str, table: str, name: str) -> None:
        target = self.partitions.table(fold(database), fold(table))
        if not self.store.delete(target, name):
            raise EntityNotFoundException(
                f"Partition index {name} not found on table {target.database}.{target.name}."
            )
