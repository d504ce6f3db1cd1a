"""Resource tags: the store contract and its SQL implementation.

Tags are keyed by the resource's canonical ARN (see ``openglue.catalog.arns``); the store
neither parses ARNs nor knows whether the resource exists: that is the tag service's job.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, func, insert, select, update

from openglue.errors import InvalidInputException
from openglue.store import schema
from openglue.store.sql import SqlStore

_t = schema.tags
_TAG_LOCKS = 7305100  # advisory-lock namespace for per-resource tag writes


class TagStore(ABC):
    """Key/value tags per resource ARN. Keys are case-sensitive."""

    @abstractmethod
    def get(self, arn: str) -> dict[str, str]:
        """The tags of ``arn`` (empty when it has none)."""

    @abstractmethod
    def add(self, arn: str, tags: Mapping[str, str], limit: int) -> None:
        """Add or overwrite ``tags``, keeping the others. ``InvalidInputException`` (and no
        change) if the resource would end up with more than ``limit`` tags."""

    @abstractmethod
    def remove(self, arn: str, keys: Iterable[str]) -> None:
        """Remove the tags with these keys; keys the resource does not have are ignored."""

    @abstractmethod
    def replace(self, arn: str, tags: Mapping[str, str]) -> None:
        """Make ``tags`` the resource's only tags (an empty mapping clears them)."""

    @abstractmethod
    def move(self, old_arn: str, new_arn: str) -> None:
        """Re-key every tag of ``old_arn`` to ``new_arn`` (a renamed resource keeps its
        tags), replacing any tags ``new_arn`` had."""


class SqlTagStore(TagStore):
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql

    def get(self, arn: str) -> dict[str, str]:
        with self.sql.read() as conn:
            rows = conn.execute(select(_t.c.key, _t.c.value).where(_t.c.resource_arn == arn))
            return {row.key: row.value for row in rows}

    def add(self, arn: str, tags: Mapping[str, str], limit: int) -> None:
        with self.sql.write() as conn:
            self._lock(conn, arn)
            existing = set(conn.execute(select(_t.c.key).where(_t.c.resource_arn == arn)).scalars())
            total = len(existing | set(tags))
            if total > limit:
                raise InvalidInputException(
                    f"Adding these tags would give the resource {total} tags; a resource can "
                    f"have at most {limit}: remove some with UntagResource first"
                )
            conn.execute(delete(_t).where(_t.c.resource_arn == arn, _t.c.key.in_(list(tags))))
            _insert(conn, arn, tags)

    def remove(self, arn: str, keys: Iterable[str]) -> None:
        with self.sql.write() as conn:
            conn.execute(delete(_t).where(_t.c.resource_arn == arn, _t.c.key.in_(list(keys))))

    def replace(self, arn: str, tags: Mapping[str, str]) -> None:
        with self.sql.write() as conn:
            self._lock(conn, arn)
            conn.execute(delete(_t).where(_t.c.resource_arn == arn))
            _insert(conn, arn, tags)

    def move(self, old_arn: str, new_arn: str) -> None:
        if old_arn == new_arn:
            return
        with self.sql.write() as conn:
            self._lock(conn, new_arn)
            conn.execute(delete(_t).where(_t.c.resource_arn == new_arn))
            conn.execute(
                update(_t).where(_t.c.resource_arn == old_arn).values(resource_arn=new_arn)
            )

    def _lock(self, conn: Connection, arn: str) -> None:
        # The tag count is checked over rows that may not exist yet, so row locks cannot guard
        # it on PostgreSQL; a transaction-scoped advisory lock per ARN serializes the writers.
        # SQLite's BEGIN IMMEDIATE already admits one writer at a time. The two-key form keeps
        # these locks apart from the single-key ones other stores take.
        if not self.sql.is_sqlite:
            conn.execute(select(func.pg_advisory_xact_lock(_TAG_LOCKS, func.hashtext(arn))))


def _insert(conn: Connection, arn: str, tags: Mapping[str, str]) -> None:
    if tags:
        conn.execute(
            insert(_t), [{"resource_arn": arn, "key": k, "value": v} for k, v in tags.items()]
        )
