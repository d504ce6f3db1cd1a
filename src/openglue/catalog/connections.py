"""Connections as Glue has them: names keep their case, updates replace the whole definition
(and may rename), and a connection is READY as soon as it is created."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from openglue.catalog.filtered_listing import filtered_page
from openglue.catalog.names import now
from openglue.catalog.tags import TagService, check_tags
from openglue.errors import EntityNotFoundException, GlueError, InvalidInputException
from openglue.store.connections import ConnectionRecord, ConnectionStore

# OpenGlue validates nothing against a remote system, so there is no IN_PROGRESS phase.
READY = "READY"

# Properties that only Spark, Athena or Python compute environments read; their presence is
# what "version 2 connection schema" means in the model's documentation.
_COMPUTE_PROPERTIES = ("SparkProperties", "AthenaProperties", "PythonProperties")


def schema_version(spec: Mapping[str, Any]) -> int:
    return 2 if any(spec.get(member) for member in _COMPUTE_PROPERTIES) else 1


def _is_secret(key: str) -> bool:
    # HidePassword drops every password-bearing property, not only PASSWORD: the model's
    # ConnectionPropertyKey enum also has ENCRYPTED_PASSWORD and the Kafka keystore, key and
    # SASL passwords (plain and encrypted), all named *PASSWORD.
    return key.endswith("PASSWORD")


def to_aws(record: ConnectionRecord, hide_password: bool = False) -> dict[str, Any]:
    """The ``Connection`` shape."""
    properties = dict(record.spec.get("ConnectionProperties") or {})
    if hide_password:
        properties = {k: v for k, v in properties.items() if not _is_secret(k)}
    return {
        **record.spec,
        "Name": record.name,
        "ConnectionProperties": properties,
        "CreationTime": record.creation_time,
        "LastUpdatedTime": record.last_updated_time,
        "Status": READY,
        "ConnectionSchemaVersion": schema_version(record.spec),
    }


def _spec(connection_input: Mapping[str, Any]) -> dict[str, Any]:
    if connection_input.get("ConnectionType") == "SFTP":
        raise InvalidInputException("ConnectionType SFTP is not supported by Glue connections")
    return {k: v for k, v in connection_input.items() if k != "Name"}


def _matches(record: ConnectionRecord, flt: Mapping[str, Any]) -> bool:
    spec = record.spec
    wanted_type = flt.get("ConnectionType")
    if wanted_type and spec.get("ConnectionType") != wanted_type:
        return False
    wanted_version = flt.get("ConnectionSchemaVersion")
    if wanted_version and schema_version(spec) != wanted_version:
        return False
    # Every criterion asked for must be among the connection's own MatchCriteria.
    return set(flt.get("MatchCriteria") or ()) <= set(spec.get("MatchCriteria") or ())


# The names deleted, and an ``ErrorDetail`` for each name that could not be.
BatchDeleteResult = tuple[list[str], dict[str, dict[str, str]]]


def _not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Connection {name} not found.")


class ConnectionService:
    def __init__(self, store: ConnectionStore, tags: TagService) -> None:
        self.store = store
        self.tags = tags

    def create(
        self, connection_input: Mapping[str, Any], tags: Mapping[str, str] | None = None
    ) -> str:
        """Create the connection and return its status."""
        check_tags(tags or {})
        stamp = now()
        name = connection_input["Name"]
        self.store.create(ConnectionRecord(name, _spec(connection_input), stamp, stamp))
        self.tags.tag_new_resource("connection", name, tags)
        return READY

    def get(self, name: str) -> ConnectionRecord:
        record = self.store.get(name)
        if record is None:
            raise _not_found(name)
        return record

    def list(
        self, after: str | None, limit: int, flt: Mapping[str, Any] | None = None
    ) -> list[ConnectionRecord]:
        """Up to ``limit`` connections passing the ``GetConnectionsFilter``, after ``after``."""
        return filtered_page(
            self.store.list, lambda r: r.name, lambda r: _matches(r, flt or {}), after, limit
        )

    def update(self, name: str, connection_input: Mapping[str, Any]) -> None:
        current = self.get(name)
        new_name = connection_input["Name"]
        record = ConnectionRecord(new_name, _spec(connection_input), current.creation_time, now())
        self.store.replace(current.name, record)
        if new_name != current.name:
            self.tags.renamed("connection", current.name, new_name)

    def delete(self, name: str) -> None:
        if not self.store.delete(name):
            raise _not_found(name)
        self.tags.forget("connection", name)

    def delete_many(self, names: Iterable[str]) -> BatchDeleteResult:
        """Delete each name, carrying on past the ones that fail."""
        succeeded: list[str] = []
        errors: dict[str, dict[str, str]] = {}
        for name in names:
            try:
                self.delete(name)
            except GlueError as exc:
                errors[name] = {"ErrorCode": exc.code, "ErrorMessage": exc.message}
            else:
                succeeded.append(name)
        return succeeded, errors
