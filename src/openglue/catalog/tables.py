"""Tables as Glue has them: names and column names folded to lowercase, full-replace updates
that archive the previous definition as a numbered version, and per-item batch errors."""

from __future__ import annotations

import re
from typing import Any

from openglue.api.validation import parse_timestamp
from openglue.catalog import table_search
from openglue.catalog.names import fold, now
from openglue.catalog.partition_indexes import MAX_INDEXES_PER_TABLE
from openglue.errors import (
    EntityNotFoundException,
    GlueError,
    InvalidInputException,
    ResourceNumberLimitExceededException,
)
from openglue.store.partition_indexes import PartitionIndexRecord
from openglue.store.tables import TableRecord, TableStore, table_not_found

# A new table is version "1" and every UpdateTable adds one. (Real Glue has been observed to
# start at "0"; clients only echo the id back, so nothing depends on the first number.)
INITIAL_VERSION = 0

_TIMESTAMP_MEMBERS = ("LastAccessTime", "LastAnalyzedTime")


def to_aws(record: TableRecord, catalog_id: str) -> dict[str, Any]:
    """The ``Table`` shape."""
    return {
        **record.spec,
        "Name": record.name,
        "DatabaseName": record.database,
        "CreateTime": record.create_time,
        "UpdateTime": record.update_time,
        "VersionId": str(record.version_id),
        "CatalogId": catalog_id,
        "IsRegisteredWithLakeFormation": False,
        # Athena refuses a table without PartitionKeys, so an absent list is sent as [].
        "PartitionKeys": record.spec.get("PartitionKeys", []),
    }


def version_to_aws(record: TableRecord, catalog_id: str) -> dict[str, Any]:
    """The ``TableVersion`` shape."""
    return {"VersionId": str(record.version_id), "Table": to_aws(record, catalog_id)}


def error_detail(error: GlueError) -> dict[str, str]:
    return {"ErrorCode": error.code, "ErrorMessage": error.message}


def name_pattern(expression: str | None) -> re.Pattern[str] | None:
    """GetTables' ``Expression``: a regex on the whole name where, as in Hive, ``*`` means
    ``.*``; case-insensitive. ``None`` when there is nothing to filter on."""
    if not expression:
        return None
    parts: list[str] = []
    index = 0
    while index < len(expression):
        char = expression[index]
        if char == "\\":
            parts.append(expression[index : index + 2])
            index += 2
            continue
        # A "*" already written as ".*" stays as it is; a bare one is Hive's wildcard.
        parts.append(".*" if char == "*" and parts[-1:] != ["."] else char)
        index += 1
    try:
        return re.compile("".join(parts), re.IGNORECASE)
    except re.error as exc:
        raise InvalidInputException(
            f"Expression {expression!r} is not a valid regular expression: {exc}"
        ) from None


def _fold_columns(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**column, "Name": fold(column["Name"])} for column in columns]


def _spec(table_input: dict[str, Any]) -> dict[str, Any]:
    """What is stored of a TableInput: everything but the name, with column names folded
    and timestamps as epoch seconds (the wire may carry ISO 8601 text)."""
    spec = {k: v for k, v in table_input.items() if k != "Name" and v is not None}
    if "PartitionKeys" in spec:
        spec["PartitionKeys"] = _fold_columns(spec["PartitionKeys"])
    descriptor = spec.get("StorageDescriptor")
    if descriptor and "Columns" in descriptor:
        spec["StorageDescriptor"] = {
            **descriptor,
            "Columns": _fold_columns(descriptor["Columns"]),
        }
    for member in _TIMESTAMP_MEMBERS:
        if member in spec:
            spec[member] = parse_timestamp(spec[member])
    return spec


def _require_input(operation: str, table_input: dict[str, Any] | None) -> dict[str, Any]:
    # The model makes TableInput optional only for open-table-format requests.
    if table_input is None:
        raise InvalidInputException(
            f"{operation} needs a TableInput: OpenGlue does not support open table format "
            "input (OpenTableFormatInput / UpdateOpenTableFormatInput)"
        )
    return table_input


def _table_name(name: str | None, table_input: dict[str, Any]) -> str:
    """The folded name of the table an operation acts on: ``TableInput.Name``, which must
    agree with the top-level ``Name`` when both are sent (Glue cannot rename a table)."""
    folded = fold(table_input["Name"])
    if name is not None and fold(name) != folded:
        raise InvalidInputException(
            f"Name {name!r} and TableInput.Name {table_input['Name']!r} differ; a table "
            "cannot be renamed: create the new table and delete the old one"
        )
    return folded


def _version_number(version_id: str) -> int:
    # Version ids are stored as 32-bit integers; a larger one cannot name any version.
    if not re.fullmatch(r"[0-9]{1,9}", version_id):
        raise InvalidInputException(
            f"VersionId {version_id!r} is not valid: a table VersionId is a whole number "
            "as returned by GetTable or GetTableVersions"
        )
    return int(version_id)


def _partition_indexes(
    spec: dict[str, Any], indexes: list[dict[str, Any]], created: float
) -> list[PartitionIndexRecord]:
    """CreateTable's PartitionIndexes, checked the way CreatePartitionIndex checks them."""
    if len(indexes) > MAX_INDEXES_PER_TABLE:
        raise ResourceNumberLimitExceededException(
            f"{len(indexes)} partition indexes were given; a table can have at most "
            f"{MAX_INDEXES_PER_TABLE}"
        )
    keys = {column["Name"] for column in spec.get("PartitionKeys", [])}
    records: list[PartitionIndexRecord] = []
    for index in indexes:
        name, index_keys = index["IndexName"], tuple(fold(k) for k in index["Keys"])
        unknown = [k for k in index_keys if k not in keys]
        if unknown:
            raise InvalidInputException(
                f"Partition index {name} uses {', '.join(unknown)}, which are not partition "
                f"keys of the table; its partition keys are: {', '.join(keys) or '(none)'}"
            )
        if len(set(index_keys)) != len(index_keys):
            raise InvalidInputException(f"Partition index {name} names a key twice")
        if any(r.name == name for r in records):
            raise InvalidInputException(f"Partition index {name} is given twice")
        records.append(PartitionIndexRecord(name, index_keys, created))
    return records


class TableService:
    def __init__(self, store: TableStore, catalog_id: str) -> None:
        self.store = store
        self.catalog_id = catalog_id

    def create(
        self,
        database: str,
        table_input: dict[str, Any] | None,
        name: str | None = None,
        partition_indexes: list[dict[str, Any]] | None = None,
    ) -> None:
        table_input = _require_input("CreateTable", table_input)
        table_name = _table_name(name, table_input)
        spec = _spec(table_input)
        created = now()
        indexes = _partition_indexes(spec, partition_indexes or [], created)
        record = TableRecord(fold(database), table_name, spec, created, created, INITIAL_VERSION)
        self.store.create(record, indexes)

    def get(self, database: str, name: str) -> TableRecord:
        record = self.store.get(fold(database), fold(name))
        if record is None:
            raise table_not_found(fold(name))
        return record

    def list_tables(
        self, database: str, expression: str | None, after: str | None, limit: int
    ) -> list[TableRecord]:
        return self.store.list_tables(fold(database), after, limit, name_pattern(expression))

    def update(
        self,
        database: str,
        table_input: dict[str, Any] | None,
        *,
        name: str | None = None,
        skip_archive: bool = False,
        version_id: str | None = None,
    ) -> TableRecord:
        table_input = _require_input("UpdateTable", table_input)
        return self.store.update(
            fold(database),
            _table_name(name, table_input),
            _spec(table_input),
            now(),
            expected_version=version_id,
            archive=not skip_archive,
        )

    def delete(self, database: str, name: str) -> None:
        if not self.store.delete(fold(database), [fold(name)]):
            raise table_not_found(fold(name))

    def batch_delete(self, database: str, names: list[str]) -> list[dict[str, Any]]:
        """BatchDeleteTable's ``Errors``: one entry per name that was not deleted."""
        deleted = self.store.delete(fold(database), [fold(n) for n in names])
        return [
            {"TableName": fold(n), "ErrorDetail": error_detail(table_not_found(fold(n)))}
            for n in names
            if fold(n) not in deleted
        ]

    def get_version(self, database: str, name: str, version_id: str | None) -> TableRecord:
        if version_id is None:
            return self.get(database, name)
        number = _version_number(version_id)
        record = self.store.get_version(fold(database), fold(name), number)
        if record is None:
            raise _version_not_found(fold(name), version_id)
        return record

    def list_versions(
        self, database: str, name: str, before: int | None, limit: int
    ) -> list[TableRecord]:
        return self.store.list_versions(fold(database), fold(name), before, limit)

    def delete_version(self, database: str, name: str, version_id: str) -> None:
        for _, error in self._delete_versions(database, name, [version_id]):
            raise error

    def batch_delete_versions(
        self, database: str, name: str, version_ids: list[str]
    ) -> list[dict[str, Any]]:
        """BatchDeleteTableVersion's ``Errors``: one entry per version not deleted."""
        return [
            {"TableName": fold(name), "VersionId": version_id, "ErrorDetail": error_detail(error)}
            for version_id, error in self._delete_versions(database, name, version_ids)
        ]

    def _delete_versions(
        self, database: str, name: str, version_ids: list[str]
    ) -> list[tuple[str, GlueError]]:
        """The versions that could not be deleted, each with the reason."""
        current = self.get(database, name)
        failed: list[tuple[str, GlueError]] = []
        wanted: dict[int, str] = {}
        for version_id in version_ids:
            try:
                number = _version_number(version_id)
            except InvalidInputException as exc:
                failed.append((version_id, exc))
                continue
            if number == current.version_id:
                failed.append((version_id, _current_version(current.name, version_id)))
            else:
                wanted[number] = version_id
        deleted = self.store.delete_versions(current.database, current.name, list(wanted))
        failed.extend(
            (version_id, _version_not_found(current.name, version_id))
            for number, version_id in wanted.items()
            if number not in deleted
        )
        return failed

    def search(
        self,
        search_text: str | None,
        filters: list[dict[str, Any]],
        sort_criteria: list[dict[str, Any]],
        resource_share_type: str | None = None,
    ) -> list[TableRecord]:
        if resource_share_type == "FOREIGN":
            return []  # no table is shared into this catalog from another account
        return table_search.search(self.store, search_text, filters, sort_criteria)


def _version_not_found(table: str, version_id: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Version {version_id} of table {table} not found.")


def _current_version(table: str, version_id: str) -> InvalidInputException:
    return InvalidInputException(
        f"Version {version_id} is the current version of table {table} and cannot be "
        "deleted; delete the table instead, or update it first"
    )
