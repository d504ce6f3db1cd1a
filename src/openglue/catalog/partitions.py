"""Partitions as Glue has them: one value per partition key, identity by values, full-replace
updates that may not change the values, and batch writes that report failures per item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openglue.api.validation import parse_timestamp
from openglue.catalog.names import fold, now
from openglue.catalog.partition_expression import compile_expression
from openglue.errors import (
    AlreadyExistsException,
    EntityNotFoundException,
    GlueError,
    InvalidInputException,
)
from openglue.store.partitioned_tables import PartitionedTable
from openglue.store.partitions import PartitionRecord, PartitionStore, Segment

_TIMESTAMP_MEMBERS = ("LastAccessTime", "LastAnalyzedTime")


@dataclass(frozen=True)
class ItemFailure:
    """Why one item of a batch write was not applied; the others were."""

    values: list[str]
    error: GlueError


def to_aws(
    record: PartitionRecord, catalog_id: str, *, exclude_column_schema: bool = False
) -> dict[str, Any]:
    """The ``Partition`` shape; ``exclude_column_schema`` drops StorageDescriptor.Columns."""
    spec = record.spec
    if exclude_column_schema and "StorageDescriptor" in spec:
        descriptor = {k: v for k, v in spec["StorageDescriptor"].items() if k != "Columns"}
        spec = {**spec, "StorageDescriptor": descriptor}
    return {
        **spec,
        "Values": list(record.values),
        "DatabaseName": record.database,
        "TableName": record.table,
        "CreationTime": record.creation_time,
        "CatalogId": catalog_id,
    }


def failure_to_aws(failure: ItemFailure, values_member: str = "PartitionValues") -> dict[str, Any]:
    """A ``PartitionError`` (or, with ``PartitionValueList``, a BatchUpdate failure entry)."""
    return {
        values_member: failure.values,
        "ErrorDetail": {"ErrorCode": failure.error.code, "ErrorMessage": failure.error.message},
    }


def _spec(partition_input: dict[str, Any]) -> dict[str, Any]:
    """What is stored of a PartitionInput: everything but the values, with column names
    folded and timestamps as epoch seconds, exactly as the tables slice stores a TableInput."""
    spec = {k: v for k, v in partition_input.items() if k != "Values" and v is not None}
    descriptor = spec.get("StorageDescriptor")
    if descriptor and "Columns" in descriptor:
        columns = [{**column, "Name": fold(column["Name"])} for column in descriptor["Columns"]]
        spec["StorageDescriptor"] = {**descriptor, "Columns": columns}
    for member in _TIMESTAMP_MEMBERS:
        if member in spec:
            spec[member] = parse_timestamp(spec[member])
    return spec


def _input_values(partition_input: dict[str, Any]) -> list[str]:
    return list(partition_input.get("Values") or [])


def _check_values(table: PartitionedTable, values: Sequence[str]) -> None:
    """Glue stores exactly one value per partition key, in key order."""
    if not table.keys:
        raise InvalidInputException(
            f"Table {table.database}.{table.name} has no partition keys, so it cannot have "
            "partitions; add PartitionKeys to the table first"
        )
    if len(values) != len(table.keys):
        names = ", ".join(key.name for key in table.keys)
        raise InvalidInputException(
            f"Table {table.database}.{table.name} is partitioned by {len(table.keys)} "
            f"key(s) ({names}), but {len(values)} partition value(s) were given: "
            f"{list(values)}; give one value per key, in key order"
        )


def _not_found(values: Sequence[str]) -> EntityNotFoundException:
    return EntityNotFoundException(f"Partition not found: no partition has values {list(values)}.")


def _already_exists(values: Sequence[str]) -> AlreadyExistsException:
    return AlreadyExistsException(f"Partition already exists with values {list(values)}.")


class PartitionService:
    def __init__(self, store: PartitionStore, catalog_id: str) -> None:
        self.store = store
        self.catalog_id = catalog_id

    def table(self, database: str, table: str) -> PartitionedTable:
        return self.store.table(fold(database), fold(table))

    def create(self, database: str, table: str, partition_input: dict[str, Any]) -> None:
        failures = self.batch_create(database, table, [partition_input])
        if failures:
            raise failures[0].error

    def batch_create(
        self, database: str, table: str, partition_inputs: Sequence[dict[str, Any]]
    ) -> list[ItemFailure]:
        target = self.table(database, table)
        failures: list[ItemFailure] = []
        records: list[PartitionRecord] = []
        created_at = now()
        for partition_input in partition_inputs:
            values = _input_values(partition_input)
            try:
                _check_values(target, values)
            except InvalidInputException as exc:
                failures.append(ItemFailure(values, exc))
                continue
            records.append(
                PartitionRecord(
                    target.database, target.name, tuple(values), _spec(partition_input), created_at
                )
            )
        created = self.store.create_many(target, records)
        failures.extend(
            ItemFailure(list(r.values), _already_exists(r.values))
            for r, ok in zip(records, created, strict=True)
            if not ok
        )
        return failures

    def get(self, database: str, table: str, values: Sequence[str]) -> PartitionRecord:
        target = self.table(database, table)
        _check_values(target, values)
        found = self.store.get_many(target, [values])
        if not found:
            raise _not_found(values)
        return found[0]

    def batch_get(
        self, database: str, table: str, values_list: Sequence[Sequence[str]]
    ) -> list[PartitionRecord]:
        """The partitions that exist; a list of the wrong length simply names none."""
        target = self.table(database, table)
        wanted = [values for values in values_list if len(values) == len(target.keys)]
        return self.store.get_many(target, wanted)

    def page(
        self,
        database: str,
        table: str,
        *,
        expression: str | None,
        segment: tuple[int, int] | None,
        after: int | None,
        limit: int,
    ) -> tuple[list[PartitionRecord], int | None]:
        """A page of the partitions matching ``expression`` in ``segment`` (its number and
        the total number of segments), plus the position the next page starts after
        (``None`` on the last page)."""
        target = self.table(database, table)
        part = None
        if segment is not None:
            number, total = segment
            if number >= total:
                raise InvalidInputException(
                    f"Segment.SegmentNumber ({number}) must be less than "
                    f"Segment.TotalSegments ({total}); segments are numbered from 0"
                )
            part = Segment(number, total)
        where = None
        if expression:
            keys = [(key.name, key.type) for key in target.keys]
            where = compile_expression(expression, keys)
        return self.store.page(target, after=after, limit=limit, segment=part, where=where)

    def update(
        self, database: str, table: str, values: Sequence[str], partition_input: dict[str, Any]
    ) -> None:
        failures = self.batch_update(database, table, [(values, partition_input)])
        if failures:
            raise failures[0].error

    def batch_update(
        self,
        database: str,
        table: str,
        entries: Sequence[tuple[Sequence[str], dict[str, Any]]],
    ) -> list[ItemFailure]:
        target = self.table(database, table)
        failures: list[ItemFailure] = []
        specs: list[tuple[Sequence[str], dict[str, Any]]] = []
        for values, partition_input in entries:
            try:
                _check_values(target, values)
                _check_unchanged(values, partition_input)
            except InvalidInputException as exc:
                failures.append(ItemFailure(list(values), exc))
                continue
            specs.append((values, _spec(partition_input)))
        updated = self.store.replace_many(target, specs)
        failures.extend(
            ItemFailure(list(values), _not_found(values))
            for (values, _), ok in zip(specs, updated, strict=True)
            if not ok
        )
        return failures

    def delete(self, database: str, table: str, values: Sequence[str]) -> None:
        failures = self.batch_delete(database, table, [values])
        if failures:
            raise failures[0].error

    def batch_delete(
        self, database: str, table: str, values_list: Sequence[Sequence[str]]
    ) -> list[ItemFailure]:
        target = self.table(database, table)
        failures: list[ItemFailure] = []
        to_delete: list[Sequence[str]] = []
        for values in values_list:
            try:
                _check_values(target, values)
            except InvalidInputException as exc:
                failures.append(ItemFailure(list(values), exc))
                continue
            to_delete.append(values)
        deleted = self.store.delete_many(target, to_delete)
        failures.extend(
            ItemFailure(list(values), _not_found(values))
            for values, ok in zip(to_delete, deleted, strict=True)
            if not ok
        )
        return failures


def _check_unchanged(values: Sequence[str], partition_input: dict[str, Any]) -> None:
    """Glue cannot change a partition's values in place (its identity); it takes delete and
    create. Omitting ``Values`` from the new input keeps them."""
    new_values = partition_input.get("Values")
    if new_values is not None and list(new_values) != list(values):
        raise InvalidInputException(
            f"PartitionInput.Values {list(new_values)} differs from PartitionValueList "
            f"{list(values)}: a partition's values cannot be updated; delete the partition and "
            "create one with the new values"
        )
