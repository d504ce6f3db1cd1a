"""A GetPartitions ``Expression`` compiled to SQL, so the database filters partitions by index.

The store keeps one ``partition_values`` row per partition and key: the raw text (``str_value``)
and, for numeric and temporal keys, an order-preserving number (``num_value``, see
``partition_values.numeric_projection``). ``compile_expression`` resolves the expression against
the table's partition keys, types every literal by its key and returns a ``CompiledFilter``; the
caller joins one alias of ``partition_values`` per key in ``positions`` and puts
``condition(columns)`` in its WHERE clause::

    compiled = compile_expression(expression, keys)
    query = select(partitions.c.id).where(partitions.c.table_id == table_id)
    if compiled is not None:
        joined, aliases = partitions, {}
        for position in compiled.positions:
            alias = aliases[position] = partition_values.alias(f"pv{position}")
            on = and_(
                alias.c.table_id == table_id,  # with position, the prefix of both value indexes
                alias.c.position == position,
                alias.c.partition_id == partitions.c.id,
            )
            outer = position not in compiled.required_positions
            joined = joined.join(alias, on, isouter=outer)
        query = query.select_from(joined).where(
            compiled.condition(lambda i: (aliases[i].c.str_value, aliases[i].c.num_value))
        )

Semantics are SQL's, three-valued: a comparison with a missing value (no row for the key) or
with a value that does not parse for a numeric key's type (NULL ``num_value``) is unknown, and
NOT unknown is still unknown, so such a partition matches neither ``year > 5`` nor
``NOT year > 5``. ``IS NULL`` holds only where the key has no value at all (the outer joins
above); ``required_positions`` says where an inner join gives the same answer faster.

Strings compare by code point, as Hive does. SQLite's default BINARY collation already does;
PostgreSQL needs ``str_value`` declared ``COLLATE "C"`` (which also lets its btree index serve
LIKE prefixes), or the order follows the database's locale.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from sqlalchemy import Double, Text, and_, literal, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from openglue.catalog.partition_expression_parser import (
    And,
    Between,
    ColumnRef,
    Comparison,
    Constant,
    Expr,
    InList,
    IsNull,
    Like,
    Not,
    Or,
    parse_expression,
)
from openglue.catalog.partition_values import is_numeric_type, numeric_projection
from openglue.errors import InvalidInputException

ValueColumns = Callable[[int], tuple[ColumnElement[Any], ColumnElement[Any]]]
"""Key position -> that key's (``str_value``, ``num_value``) columns in the caller's query."""

_Build = Callable[[ValueColumns], ColumnElement[bool]]

_COMPARE: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class CompiledFilter:
    """An expression checked against a table's partition keys, ready to become SQL.

    ``positions`` are the key positions the expression reads; ``condition(columns)`` is the
    boolean SQL over the columns that ``columns(position)`` returns for each of them (it is
    called only for positions in ``positions``). Building the condition never fails: every
    error was raised by ``compile_expression``.

    ``required_positions`` (a subset of ``positions``) are the keys without whose value a
    partition can never match: join those with an inner join and the rest with an outer join.
    It matters for speed, not results: SQLite keeps an outer join whose WHERE term it cannot
    prove NULL-rejecting (LIKE, for one) and then scans every partition of the table.
    """

    expression: Expr
    positions: frozenset[int]
    required_positions: frozenset[int]
    _build: _Build = field(repr=False, compare=False)

    def condition(self, columns: ValueColumns) -> ColumnElement[bool]:
        return self._build(columns)


def compile_expression(text: str, keys: Sequence[tuple[str, str]]) -> CompiledFilter | None:
    """Parse ``text`` and bind it to ``keys``, the table's (name, Hive type) partition keys.

    Returns None for an empty or blank expression, which Glue treats as no filter at all.
    Raises ``InvalidInputException`` for a syntax error, an unknown key, or a literal that is
    not a value of its key's type (``year = 'abc'`` on an int key).
    """
    expression = parse_expression(text)
    if expression is None:
        return None
    binder = _Binder(keys)
    build = binder.bind(expression)
    required = frozenset(
        position
        for position in binder.positions
        if True not in _outcomes(expression, position, binder.position_of)
    )
    return CompiledFilter(expression, frozenset(binder.positions), required, build)


_Truth = bool | None  # SQL's three values, None being unknown
_ANY: frozenset[_Truth] = frozenset({True, False, None})


def _outcomes(expr: Expr, missing: int, position_of: Callable[[ColumnRef], int]) -> set[_Truth]:
    """Every value ``expr`` can take for a partition with no value at ``missing``."""
    if isinstance(expr, And | Or):
        combine = _kleene_and if isinstance(expr, And) else _kleene_or
        results: set[_Truth] = {isinstance(expr, And)}  # the identity of AND / OR
        for operand in expr.operands:
            found = _outcomes(operand, missing, position_of)
            results = {combine(a, b) for a in results for b in found}
        return results
    if isinstance(expr, Not):
        return {None if a is None else not a for a in _outcomes(expr.operand, missing, position_of)}
    if position_of(expr.column) != missing:
        return set(_ANY)
    if isinstance(expr, IsNull):
        return {not expr.negated}
    return {None}  # every other predicate on a missing value is unknown


def _kleene_and(a: _Truth, b: _Truth) -> _Truth:
    return False if a is False or b is False else None if a is None or b is None else True


def _kleene_or(a: _Truth, b: _Truth) -> _Truth:
    return True if a is True or b is True else None if a is None or b is None else False


@dataclass(frozen=True)
class _Key:
    position: int
    name: str
    type: str
    numeric: bool


class _Binder:
    """Resolves names and types literals up front, leaving closures that only build SQL."""

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        # Glue lowercases column names; match them case-insensitively, first key wins.
        self._keys: dict[str, _Key] = {}
        for position, (name, key_type) in enumerate(keys):
            key = _Key(position, name, key_type, is_numeric_type(key_type))
            self._keys.setdefault(name.lower(), key)
        self._names = ", ".join(name for name, _ in keys) or "(none)"
        self.positions: set[int] = set()

    def bind(self, expr: Expr) -> _Build:
        if isinstance(expr, And | Or):
            parts = [self.bind(operand) for operand in expr.operands]
            junction = and_ if isinstance(expr, And) else or_
            return lambda cols: junction(*(part(cols) for part in parts))
        if isinstance(expr, Not):
            inner = self.bind(expr.operand)
            return lambda cols: not_(inner(cols))
        key = self._key(expr.column)
        self.positions.add(key.position)

        def value(cols: ValueColumns) -> ColumnElement[Any]:
            str_value, num_value = cols(key.position)
            return num_value if key.numeric else str_value

        if isinstance(expr, Comparison):
            compare, bound = _COMPARE[expr.op], self._typed(key, expr.value)
            return lambda cols: compare(value(cols), bound)
        if isinstance(expr, InList):
            values = [self._typed(key, constant) for constant in expr.values]
            if expr.negated:
                return lambda cols: value(cols).not_in(values)
            return lambda cols: value(cols).in_(values)
        if isinstance(expr, Between):
            low, high = self._typed(key, expr.low), self._typed(key, expr.high)
            return _negatable(lambda cols: value(cols).between(low, high), expr.negated)
        if isinstance(expr, Like):
            like, glob = _like_pattern(expr.pattern.text), _glob_pattern(expr.pattern.text)
            return _negatable(
                lambda cols: _case_sensitive_like(cols(key.position)[0], like, glob),
                expr.negated,
            )
        if isinstance(expr, IsNull):
            # Only a missing value is NULL: str_value is never NULL where a row exists.
            if expr.negated:
                return lambda cols: cols(key.position)[0].is_not(None)
            return lambda cols: cols(key.position)[0].is_(None)
        assert_never(expr)

    def position_of(self, column: ColumnRef) -> int:
        return self._key(column).position

    def _key(self, column: ColumnRef) -> _Key:
        key = self._keys.get(column.name.lower())
        if key is None:
            raise InvalidInputException(
                f"Unknown column {column.name!r} in expression; the partition keys of this "
                f"table are: {self._names}"
            )
        return key

    @staticmethod
    def _typed(key: _Key, constant: Constant) -> ColumnElement[Any]:
        """The literal as ``key`` compares it: a double for numeric keys, else its text.

        The bind carries its own plain type rather than the column's: a column type with a
        collation would make PostgreSQL's bind cast read ``$1::VARCHAR COLLATE "C"``, which is
        not valid SQL inside BETWEEN.
        """
        if not key.numeric:
            return literal(constant.text, Text())
        number = numeric_projection(key.type, constant.text)
        if number is None:
            raise InvalidInputException(
                f"Cannot compare partition key {key.name!r} of type {key.type} with {constant}: "
                f"it is not a {key.type} value"
            )
        return literal(number, Double())


def _negatable(build: _Build, negated: bool) -> _Build:
    return (lambda cols: not_(build(cols))) if negated else build


# LIKE patterns are rewritten per backend, so % and _ are the only wildcards and the match is
# case-sensitive everywhere (SQLite's own LIKE ignores ASCII case).
_LIKE_ESCAPE = "!"
_LIKE_SPECIAL = re.compile(r"[!]")
_GLOB_SPECIAL = re.compile(r"[*?\[]")


def _like_pattern(pattern: str) -> str:
    """The pattern for ``LIKE ... ESCAPE '!'``: only the escape character itself needs care."""
    return _LIKE_SPECIAL.sub(lambda m: _LIKE_ESCAPE + m.group(), pattern)


def _glob_pattern(pattern: str) -> str:
    """SQLite's GLOB spelling: % is *, _ is ?, and GLOB's own wildcards become [x] classes."""
    escaped = _GLOB_SPECIAL.sub(lambda m: f"[{m.group()}]", pattern)
    return escaped.replace("%", "*").replace("_", "?")


class _case_sensitive_like(FunctionElement[bool]):
    """``value LIKE pattern`` (SQL wildcards, case-sensitive) on any backend.

    Arguments: the value, the pattern for ``LIKE ... ESCAPE '!'`` and the same pattern for
    SQLite's ``GLOB``, which, unlike SQLite's LIKE, respects case and can use the text index.
    """

    name = "case_sensitive_like"
    inherit_cache = True
    # No Boolean type on purpose: SQLAlchemy would negate a Boolean as "(...) = 0" on SQLite,
    # where NOT (...) keeps the query readable and the GLOB prefix optimisation possible.

    def __init__(self, value: ColumnElement[Any], like: str, glob: str) -> None:
        super().__init__(value, literal(like), literal(glob))


@compiles(_case_sensitive_like)
def _compile_like(element: _case_sensitive_like, compiler: SQLCompiler, **kw: Any) -> str:
    value, like, _ = element.clauses
    return "(" + compiler.process(value.like(like, escape=_LIKE_ESCAPE), **kw) + ")"


@compiles(_case_sensitive_like, "sqlite")
def _compile_glob(element: _case_sensitive_like, compiler: SQLCompiler, **kw: Any) -> str:
    value, _, glob = element.clauses
    return "(" + compiler.process(value.op("GLOB", is_comparison=True)(glob), **kw) + ")"
