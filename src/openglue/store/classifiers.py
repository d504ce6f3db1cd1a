"""Custom classifiers (Grok, CSV, JSON, XML): the store contract and its SQL implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from openglue.errors import (
    AlreadyExistsException,
    EntityNotFoundException,
    VersionMismatchException,
)
from openglue.store import schema
from openglue.store.connections import code_point_order
from openglue.store.sql import SqlStore

_k = schema.classifiers


@dataclass(frozen=True)
class ClassifierRecord:
    name: str
    kind: str  # grok | csv | json | xml
    spec: dict[str, Any]  # the members of its shape other than Name and the timestamps
    creation_time: float
    last_updated: float
    version: int


def classifier_not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Classifier {name} not found.")


class ClassifierStore(ABC):
    """Classifiers keyed by their exact name; one namespace for all four kinds."""

    @abstractmethod
    def create(self, record: ClassifierRecord) -> None:
        """Insert; ``AlreadyExistsException`` if the name is taken (by any kind)."""

    @abstractmethod
    def get(self, name: str) -> ClassifierRecord | None:
        """The classifier, or ``None``."""

    @abstractmethod
    def get_many(self, names: Sequence[str]) -> dict[str, ClassifierRecord]:
        """The classifiers of these names that exist, by name."""

    @abstractmethod
    def list(self, after: str | None, limit: int) -> list[ClassifierRecord]:
        """Up to ``limit`` classifiers in code-point order of name, after ``after``."""

    @abstractmethod
    def replace(self, record: ClassifierRecord, expected_version: int) -> None:
        """Overwrite a classifier still at ``expected_version``; ``EntityNotFoundException``
        if missing, ``VersionMismatchException`` if another update came first."""

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Delete; ``False`` if there was no such classifier."""


def _record(row: Any) -> ClassifierRecord:
    return ClassifierRecord(
        row.name, row.kind, row.spec, row.creation_time, row.last_updated, int(row.version)
    )


class SqlClassifierStore(ClassifierStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def create(self, record: ClassifierRecord) -> None:
        try:
            with self.sql.write() as conn:
                conn.execute(
                    insert(_k).values(
                        name=record.name,
                        kind=record.kind,
                        spec=record.spec,
                        creation_time=record.creation_time,
                        last_updated=record.last_updated,
                        version=record.version,
                    )
                )
        except IntegrityError:
            raise AlreadyExistsException(f"Classifier {record.name} already exists.") from None

    def get(self, name: str) -> ClassifierRecord | None:
        with self.sql.read() as conn:
            row = conn.execute(select(_k).where(_k.c.name == name)).first()
        return None if row is None else _record(row)

    def get_many(self, names: Sequence[str]) -> dict[str, ClassifierRecord]:
        if not names:
            return {}
        with self.sql.read() as conn:
            rows = conn.execute(select(_k).where(_k.c.name.in_(list(set(names))))).all()
        return {row.name: _record(row) for row in rows}

    def list(self, after: str | None, limit: int) -> list[ClassifierRecord]:
        name = code_point_order(self.sql, _k.c.name)
        query = select(_k).order_by(name).limit(limit)
        if after is not None:
            query = query.where(name > after)
        with self.sql.read() as conn:
            return [_record(r) for r in conn.execute(query).all()]

    def replace(self, record: ClassifierRecord, expected_version: int) -> None:
        with self.sql.write() as conn:
            changed = conn.execute(
                update(_k)
                .where(_k.c.name == record.name, _k.c.version == expected_version)
                .values(
                    kind=record.kind,
                    spec=record.spec,
                    last_updated=record.last_updated,
                    version=record.version,
                )
            ).rowcount
            if changed:
                return
            if conn.execute(select(_k.c.name).where(_k.c.name == record.name)).first() is None:
                raise classifier_not_found(record.name)
            raise VersionMismatchException(
                f"Classifier {record.name} was changed by another request; read it again and "
                "retry the update"
            )

    def delete(self, name: str) -> bool:
        with self.sql.write() as conn:
            return bool(conn.execute(delete(_k).where(_k.c.name == name)).rowcount)
