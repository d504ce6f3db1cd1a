"""A small SQL expression tree: what a translated record function becomes.

The translator builds these nodes rather than Spark Columns so that the result can be folded
(``TRUE AND x`` is ``x``), printed the same way on every engine (``explain_translation``) and
tested without a Spark session; ``to_column`` turns a tree into a Column at the last moment.
Every operator keeps Spark SQL's meaning (``=`` is NULL on a NULL operand, ``<=>`` is not).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import Column

Scalar = None | bool | int | float | str


@dataclass(frozen=True)
class Col:
    path: tuple[str, ...]  # top-level column, then struct fields


@dataclass(frozen=True)
class Lit:
    value: Scalar


@dataclass(frozen=True)
class Call:
    op: str
    args: tuple[Expr, ...]


Expr = Col | Lit | Call

TRUE = Lit(True)
FALSE = Lit(False)
NULL = Lit(None)

_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "eqns": operator.eq,
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip
_INFIX = {
    "eq": "=", "ne": "!=", "eqns": "<=>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
    "add": "+", "sub": "-", "mul": "*", "div": "/",
}  # fmt: skip


def call(op: str, *args: Expr) -> Expr:
    """``op`` applied to ``args``, folded when the answer is known without data."""
    if op in ("and", "or"):
        return _junction(op, args)
    if op == "not":
        (arg,) = args
        if isinstance(arg, Lit) and isinstance(arg.value, bool):
            return Lit(not arg.value)
        if isinstance(arg, Call) and arg.op == "not":
            return arg.args[0]
        return Call("not", args)
    if op in _COMPARISONS and all(isinstance(a, Lit) and a.value is not None for a in args):
        left, right = (a.value for a in args if isinstance(a, Lit))
        return Lit(bool(_COMPARISONS[op](left, right)))
    if op == "isnull" and isinstance(args[0], Lit):
        return Lit(args[0].value is None)
    if op == "coalesce" and isinstance(args[0], Lit):
        return args[0] if args[0].value is not None else args[1]
    if op == "case" and isinstance(args[0], Lit):
        return args[1] if args[0].value is True else args[2]
    return Call(op, args)


def _junction(op: str, args: tuple[Expr, ...]) -> Expr:
    unit, absorbing = (TRUE, FALSE) if op == "and" else (FALSE, TRUE)
    flat: list[Expr] = []
    for arg in args:
        parts = arg.args if isinstance(arg, Call) and arg.op == op else (arg,)
        for part in parts:
            if part == absorbing:
                return absorbing
            if part != unit and part not in flat:
                flat.append(part)
    if not flat:
        return unit
    return flat[0] if len(flat) == 1 else Call(op, tuple(flat))


def and_(*args: Expr) -> Expr:
    return call("and", *args)


def or_(*args: Expr) -> Expr:
    return call("or", *args)


def not_(arg: Expr) -> Expr:
    return call("not", arg)


def isnull(arg: Expr) -> Expr:
    return call("isnull", arg)


# --- rendering ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return name if name.isidentifier() else "`" + name.replace("`", "``") + "`"


def _sql_literal(value: Scalar) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return "'" + "".join(_sql_char(c) for c in value) + "'"
    return repr(value)


def _sql_char(char: str) -> str:
    if char in "\\'":
        return "\\" + char
    return char if char.isprintable() else f"\\u{ord(char):04x}"


def to_sql(expr: Expr) -> str:
    """Spark-SQL-like text of ``expr``, identical on every engine (for logs and tests)."""
    if isinstance(expr, Col):
        return ".".join(_quote(part) for part in expr.path)
    if isinstance(expr, Lit):
        return _sql_literal(expr.value)
    args = [to_sql(arg) for arg in expr.args]
    if expr.op in _INFIX:
        return f"({args[0]} {_INFIX[expr.op]} {args[1]})"
    if expr.op in ("and", "or"):
        return "(" + f" {expr.op.upper()} ".join(args) + ")"
    if expr.op == "not":
        inner = expr.args[0]
        if isinstance(inner, Call) and inner.op == "isnull":
            return f"({to_sql(inner.args[0])} IS NOT NULL)"
        return f"(NOT {args[0]})"
    if expr.op == "neg":
        return f"(- {args[0]})"
    if expr.op == "isnull":
        return f"({args[0]} IS NULL)"
    if expr.op == "in":
        return f"({args[0]} IN ({', '.join(args[1:])}))"
    if expr.op == "case":
        return f"CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END"
    if expr.op in ("long", "double", "decimal"):
        target = "DECIMAL(38,0)" if expr.op == "decimal" else expr.op.upper()
        return f"CAST({args[0]} AS {target})"
    return f"{expr.op}({', '.join(args)})"


def to_column(expr: Expr) -> Column:
    """The Spark Column of ``expr`` (classic or Connect, whichever mode PySpark is in)."""
    from pyspark.sql import functions as F

    if isinstance(expr, Col):
        column = F.col("`" + expr.path[0].replace("`", "``") + "`")
        for field in expr.path[1:]:
            column = column.getField(field)
        return column
    if isinstance(expr, Lit):
        return F.lit(expr.value)
    args = [to_column(arg) for arg in expr.args]
    return _builder(expr.op)(args)


def _case(args: list[Column]) -> Column:
    from pyspark.sql import functions as F

    return F.when(args[0], args[1]).otherwise(args[2])


def _builders() -> dict[str, Callable[[list[Column]], Column]]:
    from functools import reduce

    from pyspark.sql import functions as F

    return {
        "eq": lambda a: a[0] == a[1],
        "ne": lambda a: a[0] != a[1],
        "eqns": lambda a: a[0].eqNullSafe(a[1]),
        "lt": lambda a: a[0] < a[1],
        "le": lambda a: a[0] <= a[1],
        "gt": lambda a: a[0] > a[1],
        "ge": lambda a: a[0] >= a[1],
        "add": lambda a: a[0] + a[1],
        "sub": lambda a: a[0] - a[1],
        "mul": lambda a: a[0] * a[1],
        "div": lambda a: a[0] / a[1],
        "pmod": lambda a: F.pmod(a[0], a[1]),
        "neg": lambda a: -a[0],
        "and": lambda a: reduce(lambda x, y: x & y, a),
        "or": lambda a: reduce(lambda x, y: x | y, a),
        "not": lambda a: ~a[0],
        "isnull": lambda a: a[0].isNull(),
        "isnan": lambda a: F.isnan(a[0]),
        "coalesce": lambda a: F.coalesce(*a),
        "case": _case,
        "in": lambda a: a[0].isin(*a[1:]),
        "long": lambda a: a[0].cast("long"),
        "double": lambda a: a[0].cast("double"),
        "decimal": lambda a: a[0].cast("decimal(38,0)"),
        "concat": lambda a: F.concat(*a),
        "contains": lambda a: a[0].contains(a[1]),
        "startswith": lambda a: F.startswith(a[0], a[1]),
        "endswith": lambda a: F.endswith(a[0], a[1]),
        "lower": lambda a: F.lower(a[0]),
        "upper": lambda a: F.upper(a[0]),
        "btrim": lambda a: F.btrim(a[0], a[1]),
        "ltrim": lambda a: F.ltrim(a[0], a[1]),
        "rtrim": lambda a: F.rtrim(a[0], a[1]),
        "char_length": lambda a: F.char_length(a[0]),
    }


@functools.cache
def _builder_table() -> dict[str, Callable[[list[Column]], Column]]:
    return _builders()  # imports PySpark on first use only


def _builder(op: str) -> Callable[[list[Column]], Column]:
    return _builder_table()[op]
