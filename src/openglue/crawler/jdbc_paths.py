"""A JdbcTarget's include path and exclusions, matched against a database's tables.

Glue's syntax (developer guide, "Include and exclude patterns"): ``database/schema/table`` for
databases with schemas (PostgreSQL), ``database/table`` for those without (MySQL). ``%`` is
the wildcard, allowed in the schema and table parts but not in the database; matching is
case-sensitive. ``_`` is an ordinary character here, so ``order_items`` never matches
``orderXitems``. For PostgreSQL, ``database/%`` and ``database/schema`` are read as every
table of the matching schemas.

Exclusions are Glue's globs (``HR*``, ``**_Table``), relative to the include path: with
``db/public/%`` a pattern sees ``table``; with ``db/%`` it sees ``schema/table``. A pattern
that holds the whole ``database/schema/table`` path also works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from openglue.crawler.exclusions import ExclusionError, Exclusions
from openglue.errors import InvalidInputException

__all__ = ["IncludePath", "compile_exclusions", "excluded_by", "parse_include_path"]


def _like(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("%")) + r"\Z")


@dataclass(frozen=True)
class IncludePath:
    raw: str
    database: str
    schema: str | None  # a pattern; None for databases without schemas
    table: str  # a pattern

    @property
    def parts(self) -> tuple[str, ...]:
        """The schema and table patterns (or only the table one)."""
        return (self.table,) if self.schema is None else (self.schema, self.table)

    def matches(self, schema: str | None, table: str) -> bool:
        names = (table,) if self.schema is None else (schema or "", table)
        return all(_like(p).match(n) for p, n in zip(self.parts, names, strict=True))

    def relative(self, schema: str | None, table: str) -> str:
        """What an exclusion pattern is matched against: the path below the include path's
        fixed (wildcard-free) leading parts, and at least the table name."""
        names = (table,) if self.schema is None else (schema or "", table)
        fixed = 0
        while fixed < len(names) - 1 and "%" not in self.parts[fixed]:
            fixed += 1
        return "/".join(names[fixed:])

    def full(self, schema: str | None, table: str) -> str:
        return "/".join([self.database, *([] if self.schema is None else [schema or ""]), table])

    @property
    def root(self) -> str:
        """The location prefix (``db.schema.``) every table this path can match shares: what a
        crawl of this path covers when it looks for tables whose data is gone."""
        dotted = ".".join([self.database, *self.parts])
        return dotted.split("%", 1)[0]


def parse_include_path(path: str, *, has_schemas: bool) -> IncludePath:
    """``path`` read for a database with schemas (PostgreSQL) or without (MySQL)."""
    parts = path.strip().strip("/").split("/")
    shape = "database/schema/table" if has_schemas else "database/table"
    if any(not p for p in parts) or len(parts) > (3 if has_schemas else 2):
        raise InvalidInputException(
            f"JdbcTarget Path {path!r} is not of the form {shape} ('%' as wildcard, e.g. "
            f"{'mydb/public/%' if has_schemas else 'mydb/%'})"
        )
    if "%" in parts[0]:
        raise InvalidInputException(
            f"JdbcTarget Path {path!r}: the database part cannot hold a '%' wildcard; name one "
            f"database per target, e.g. {parts[0].replace('%', '') or 'mydb'}/%"
        )
    if len(parts) == 1:
        raise InvalidInputException(
            f"JdbcTarget Path {path!r} names a database but no tables; use {parts[0]}/% for "
            f"all of them{f' or {parts[0]}/public/% for one schema' if has_schemas else ''}"
        )
    if not has_schemas:
        return IncludePath(path, parts[0], None, parts[1])
    table = parts[2] if len(parts) == 3 else "%"
    return IncludePath(path, parts[0], parts[1], table)


def excluded_by(
    include: IncludePath, exclusions: Exclusions, schema: str | None, table: str
) -> str | None:
    """The exclusion pattern that drops this table, if any."""
    return exclusions.matching(include.relative(schema, table)) or exclusions.matching(
        include.full(schema, table)
    )


def compile_exclusions(patterns: Sequence[str]) -> Exclusions:
    try:
        return Exclusions(patterns)
    except ExclusionError as error:
        raise InvalidInputException(f"JdbcTarget Exclusions: {error}") from None
