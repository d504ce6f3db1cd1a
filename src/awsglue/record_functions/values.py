"""Python values as SQL expressions, and Python's operators on them, exactly.

A ``Value`` is what a piece of a record function evaluates to for one row: an SQL expression
plus what Python would see. Two things need care to keep Python's answers:

- **What an SQL NULL means** (``nulls``): ``"none"`` — the Python value is None (a null field);
  ``"false"`` — the Python value is False (``x["f"] == "a"`` written as ``f = 'a'``, which is
  NULL where f is); ``"error"`` — Python raised a dropping exception (``None < 5``, a KeyError
  on an absent field); ``"never"`` — the expression is never NULL.
- **Errors** (``err``): a never-NULL condition under which Python raised KeyError, ValueError
  or TypeError, so the record is dropped whatever comes next. ``full_err`` adds the NULLs that
  mean an error. Where ``err`` holds, ``expr`` means nothing.

Operators whose Python meaning SQL cannot give (``True == 1``, ``"a" * 3``, division by a
column, a method on a value that may be None: AttributeError is not a dropping error) raise
``Untranslatable`` and the function runs in Python instead.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from awsglue.record_functions.expr import (
    FALSE,
    NULL,
    Expr,
    Lit,
    Scalar,
    and_,
    call,
    isnull,
    not_,
    or_,
)

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)  # what str.strip() removes: every character whose isspace() is true
_INT64 = (-(2**63), 2**63 - 1)


class Untranslatable(Exception):
    """The function (or this part of it) has no exact SQL equivalent; the reason says why."""


class Kind(enum.Enum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    NONE = "None"
    STRUCT = "struct"  # a nested record (dict)
    RECORD = "record"  # the record itself
    TUPLE = "tuple"  # a constant collection
    UNKNOWN = "unknown"  # a field when no schema was given: takes the kind its use needs
    OTHER = "other"  # dates, decimals, arrays, maps…: only ``is None`` is translated


SCALARS = frozenset({Kind.STR, Kind.INT, Kind.FLOAT, Kind.BOOL})
NUMBERS = frozenset({Kind.INT, Kind.FLOAT})
Nulls = Literal["never", "none", "false", "error"]


@dataclass(frozen=True)
class Value:
    expr: Expr
    kind: Kind
    nulls: Nulls = "never"
    err: Expr = FALSE
    path: tuple[str, ...] | None = None  # the record field this is, if it is one
    struct: StructType | None = None  # fields of a STRUCT
    items: tuple[Scalar, ...] = ()  # members of a TUPLE
    truth_only: bool = False  # only its truthiness is Python's (``1 and "a"`` in a test)


def constant(value: object) -> Value:
    """A Python constant as a Value; mutable or unusual objects are refused."""
    if value is None:
        return Value(NULL, Kind.NONE)
    if isinstance(value, bool):
        return Value(Lit(value), Kind.BOOL)
    if isinstance(value, int) and type(value) is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise Untranslatable(f"the integer {value} does not fit in 64 bits")
        return Value(Lit(value), Kind.INT)
    if type(value) is float:
        if math.isnan(value):
            raise Untranslatable("NaN constants compare differently in SQL")
        return Value(Lit(value), Kind.FLOAT)
    if type(value) is str:
        return Value(Lit(value), Kind.STR)
    if type(value) in (tuple, frozenset):
        items = tuple(constant(item) for item in value)  # type: ignore[attr-defined]
        if any(item.kind not in SCALARS | {Kind.NONE} for item in items):
            raise Untranslatable("only collections of plain constants can be translated")
        return Value(NULL, Kind.TUPLE, items=tuple(_scalar(item) for item in items))
    raise Untranslatable(f"a {type(value).__name__} value is not an immutable constant")


def _scalar(value: Value) -> Scalar:
    assert isinstance(value.expr, Lit)
    return value.expr.value


def kind_of(value: Scalar) -> Kind:
    return constant(value).kind


def settle(value: Value, kind: Kind) -> Value:
    """A field of unknown type (no schema) used as ``kind``."""
    if value.kind is Kind.UNKNOWN and kind in SCALARS | {Kind.STRUCT}:
        return dataclasses.replace(value, kind=kind)
    return value


def full_err(value: Value) -> Expr:
    return or_(value.err, isnull(value.expr)) if value.nulls == "error" else value.err


def exact(value: Value) -> Value:
    """``value`` with NULL meaning None (or an error) only: no NULL-means-False left."""
    if value.truth_only:
        raise Untranslatable("a mixed-type and/or is only translated as a condition")
    if value.nulls == "false":
        return dataclasses.replace(value, expr=call("coalesce", value.expr, FALSE), nulls="never")
    return value


def is_literal(value: Value) -> bool:
    return isinstance(value.expr, Lit)


def truth(value: Value) -> Value:
    """``bool(value)`` as a BOOL Value (NULL: False where the value was None)."""
    value = settle(value, Kind.BOOL)
    nulls: Nulls = "false" if value.nulls == "none" else value.nulls
    kind, expr = value.kind, value.expr
    if value.truth_only or kind is Kind.BOOL:
        test = expr
    elif kind is Kind.STR:
        test = not_(call("eq", expr, Lit("")))
    elif kind in NUMBERS:
        test = not_(call("eq", expr, Lit(0)))  # NaN is true in both
    elif kind is Kind.NONE:
        return Value(FALSE, Kind.BOOL, err=value.err)
    elif kind is Kind.TUPLE:
        return Value(Lit(bool(value.items)), Kind.BOOL, err=value.err)
    else:  # a struct is false when empty, which DynamicRecord's dropped nulls make it
        raise Untranslatable(f"the truth of a {kind.value} value is not translated")
    return Value(test, Kind.BOOL, nulls, value.err)


def exact_truth(value: Value) -> Expr:
    """TRUE or FALSE as Python's ``bool(value)``; NULL only where ``full_err`` holds."""
    test = truth(value)
    return call("coalesce", test.expr, FALSE) if test.nulls == "false" else test.expr


def predicate(value: Value) -> Expr:
    """A filter condition: TRUE where Python keeps the record, FALSE or NULL where not."""
    return and_(not_(value.err), truth(value).expr)


def negate(value: Value) -> Value:
    """Python's ``not value``."""
    test = truth(value)
    if test.nulls == "false":
        return Value(not_(call("coalesce", test.expr, FALSE)), Kind.BOOL, "never", value.err)
    return Value(not_(test.expr), Kind.BOOL, test.nulls, value.err)


def is_none(value: Value, *, negated: bool = False) -> Value:
    """``value is None`` (or ``is not None``)."""
    if value.kind is Kind.NONE:
        return Value(Lit(not negated), Kind.BOOL, err=full_err(value))
    if value.nulls == "none":
        test = isnull(value.expr)
        return Value(not_(test) if negated else test, Kind.BOOL, err=value.err)
    return Value(Lit(negated), Kind.BOOL, err=full_err(value))


def boolean(op: Literal["and", "or"], left: Value, right: Value) -> Value:
    """Python's ``left and right`` / ``left or right``: short-circuit, returns an operand."""
    test = exact_truth(left)
    picks_right = test if op == "and" else not_(test)
    err = or_(full_err(left), and_(picks_right, full_err(right)))
    if left.kind is Kind.NONE:
        left = dataclasses.replace(left, kind=right.kind, nulls="none")
    if right.kind is Kind.NONE:
        right = dataclasses.replace(right, kind=left.kind, nulls="none")
    first, second = (right, left) if op == "and" else (left, right)  # CASE WHEN test
    simple = ("never", "false", "error")  # an error's NULL is covered by ``err``
    if (
        left.kind is right.kind is Kind.BOOL
        and left.nulls in simple
        and right.nulls in simple
        and not (left.truth_only or right.truth_only)
    ):
        return Value(call(op, exact(left).expr, exact(right).expr), Kind.BOOL, err=err)
    if left.kind is right.kind and not (left.truth_only or right.truth_only):
        chosen = call("case", test, exact(first).expr, exact(second).expr)
        nulls: Nulls = "never" if {left.nulls, right.nulls} <= {"never", "false"} else "none"
        return Value(chosen, left.kind, nulls, err, struct=left.struct)
    tests = call(op, exact_truth(left), exact_truth(right))
    return Value(tests, Kind.BOOL, "never", err, truth_only=True)


def conditional(test: Value, body: Value, orelse: Value) -> Value:
    """Python's ``body if test else orelse``."""
    cond = exact_truth(test)
    err = or_(full_err(test), and_(cond, full_err(body)), and_(not_(cond), full_err(orelse)))
    if body.kind is Kind.NONE:
        body = dataclasses.replace(body, kind=orelse.kind, nulls="none")
    if orelse.kind is Kind.NONE:
        orelse = dataclasses.replace(orelse, kind=body.kind, nulls="none")
    if body.kind is orelse.kind and not (body.truth_only or orelse.truth_only):
        chosen = call("case", cond, exact(body).expr, exact(orelse).expr)
        nulls: Nulls = "never" if {body.nulls, orelse.nulls} <= {"never", "false"} else "none"
        return Value(chosen, body.kind, nulls, err, struct=body.struct)
    chosen = call("case", cond, exact_truth(body), exact_truth(orelse))
    return Value(chosen, Kind.BOOL, "never", err, truth_only=True)
