"""Python's comparison, membership, arithmetic and string operators on ``Value``s.

Each function returns Python's answer or raises ``Untranslatable``. The type rules are
Python's, checked statically from the schema: ``"a" == 1`` is False and ``"a" < 1`` a
TypeError (the record is dropped), never an SQL cast; a float field is guarded against NaN,
which SQL sorts above every number where Python finds every comparison with it false.
"""

from __future__ import annotations

import dataclasses

from awsglue.record_functions.expr import (
    FALSE,
    NULL,
    TRUE,
    Call,
    Expr,
    Lit,
    and_,
    call,
    isnull,
    not_,
    or_,
)
from awsglue.record_functions.values import (
    NUMBERS,
    SCALARS,
    Kind,
    Nulls,
    Untranslatable,
    Value,
    exact,
    full_err,
    is_literal,
    is_none,
    kind_of,
    negate,
    settle,
)

_ORDERING = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


def _settle_pair(left: Value, right: Value) -> tuple[Value, Value]:
    return settle(left, right.kind), settle(right, left.kind)


def _check_plain(*values: Value) -> None:
    for value in values:
        if value.truth_only:
            raise Untranslatable("a mixed-type and/or is only translated as a condition")
        if value.kind not in SCALARS | {Kind.NONE, Kind.UNKNOWN}:
            raise Untranslatable(f"comparing a {value.kind.value} value is not translated")
    kinds = {value.kind for value in values}
    if Kind.BOOL in kinds and kinds & NUMBERS:
        raise Untranslatable("bool and numbers mix in Python (True == 1); not translated")


def _comparable(left: Kind, right: Kind) -> bool:
    return left is right or (left in NUMBERS and right in NUMBERS)


def _propagated(*values: Value) -> Nulls:
    """The NULLs of an SQL operator that is NULL when an operand is and Python raises then."""
    return "error" if any(v.nulls in ("none", "error") for v in values) else "never"


def _nan(value: Value) -> Expr:
    test = call("isnan", value.expr)
    return test if value.nulls == "never" else call("coalesce", test, FALSE)


def _raises() -> Value:
    """Python raises TypeError: the record is dropped."""
    return Value(FALSE, Kind.BOOL, err=TRUE)


def compare(op: str, left: Value, right: Value) -> Value:
    """``left <op> right`` for one comparison operator of Python."""
    if op in ("is", "is not"):
        if right.kind is Kind.NONE:
            return is_none(left, negated=op == "is not")
        if left.kind is Kind.NONE:
            return is_none(right, negated=op == "is not")
        raise Untranslatable("'is' is only translated against None")
    if op in ("in", "not in"):
        found = membership(left, right)
        return negate(found) if op == "not in" else found
    left, right = _settle_pair(left, right)
    _check_plain(left, right)
    if op in ("==", "!="):
        return _equality(op == "!=", exact(left), exact(right))
    if Kind.NONE in (left.kind, right.kind) or not _comparable(left.kind, right.kind):
        return _raises()  # '<' not supported between ...
    left, right = exact(left), exact(right)
    test = call(_ORDERING[op], left.expr, right.expr)
    for side in (left, right):
        if side.kind is Kind.FLOAT and not is_literal(side):
            test = call("and", test, not_(call("isnan", side.expr)))
    return Value(test, Kind.BOOL, _propagated(left, right), or_(left.err, right.err))


def _equality(negated: bool, left: Value, right: Value) -> Value:
    if Kind.NONE in (left.kind, right.kind):
        other = right if left.kind is Kind.NONE else left
        return is_none(other, negated=negated)
    if not _comparable(left.kind, right.kind):  # equal only if both are None
        both_none = and_(*(isnull(v.expr) if v.nulls == "none" else FALSE for v in (left, right)))
        test = not_(both_none) if negated else both_none
        return Value(test, Kind.BOOL, err=or_(full_err(left), full_err(right)))
    err = or_(left.err, right.err)
    both_floats = left.kind is right.kind is Kind.FLOAT
    nan_guard = both_floats and not (is_literal(left) or is_literal(right))
    if "none" not in (left.nulls, right.nulls):
        test = call("ne" if negated else "eq", left.expr, right.expr)
        nulls = _propagated(left, right)
    elif (
        not nan_guard
        and "error" not in (left.nulls, right.nulls)
        and any(is_literal(side) and side.nulls == "never" for side in (left, right))
        and not negated
    ):
        test, nulls = call("eq", left.expr, right.expr), "false"  # NULL = 'a' is NULL: False
    else:
        same = call("eqns", left.expr, right.expr)
        test, nulls = (not_(same) if negated else same), "never"
        err = or_(full_err(left), full_err(right))
    if nan_guard:  # Python: nan == nan is False; SQL: NaN = NaN is TRUE
        nan = _nan(left)
        test = or_(test, nan) if negated else call("and", test, not_(nan))
    return Value(test, Kind.BOOL, nulls, err)


def membership(item: Value, container: Value) -> Value:
    """``item in container``: a constant collection, or a substring."""
    if container.kind is Kind.TUPLE:
        return _in_constants(item, container)
    container = settle(container, Kind.STR)
    if container.kind is Kind.STR:
        item = settle(item, Kind.STR)
        _check_plain(item)
        if item.kind is not Kind.STR:
            return _raises()  # 'in <string>' requires string as left operand
        test = call("contains", container.expr, item.expr)
        return Value(test, Kind.BOOL, _propagated(item, container), or_(item.err, container.err))
    raise Untranslatable(f"'in' on a {container.kind.value} value is not translated")


def _in_constants(item: Value, container: Value) -> Value:
    members = container.items
    if item.kind is Kind.NONE:
        return Value(Lit(None in members), Kind.BOOL, err=full_err(item))
    others = [Value(Lit(m), kind_of(m)) for m in members if m is not None]
    if item.kind is Kind.UNKNOWN and others:
        item = settle(item, others[0].kind)
    _check_plain(item, *others)
    item = exact(item)
    matches = [Lit(m) for m in members if m is not None and _comparable(item.kind, kind_of(m))]
    probe = item.expr
    if item.kind is Kind.FLOAT and not is_literal(item):
        # -0.0 + 0.0 is 0.0: Sail's hashed IN (4+ items) tells -0.0 from 0, Python does not
        probe = call("add", probe, Lit(0.0))
    test: Expr = call("in", probe, *matches) if matches else FALSE
    if item.nulls == "never" or (item.nulls == "error" and matches):
        return Value(test, Kind.BOOL, item.nulls, item.err)
    if item.nulls == "error":
        return Value(test, Kind.BOOL, err=full_err(item))
    if None in members:  # a None field is "in" a collection holding None
        return Value(or_(call("isnull", item.expr), test), Kind.BOOL, err=item.err)
    return Value(test, Kind.BOOL, "false", item.err)


# --- arithmetic --------------------------------------------------------------------------


_WIDE = {"long", "double", "add", "sub", "mul", "div", "neg", "pmod"}  # 64-bit results


def _as_number(value: Value) -> Expr:
    """A number as a 64-bit SQL value (an INT column may be 32 bits, a FLOAT one 32 too)."""
    if is_literal(value) or (isinstance(value.expr, Call) and value.expr.op in _WIDE):
        return value.expr
    return call("long" if value.kind is Kind.INT else "double", value.expr)


def arithmetic(op: str, left: Value, right: Value) -> Value:
    """``left <op> right`` for + - * / // %."""
    left, right = _settle_pair(left, right)
    _check_plain(left, right)
    kinds = {left.kind, right.kind}
    if Kind.NONE in kinds:
        return Value(NULL, (kinds - {Kind.NONE} or {Kind.INT}).pop(), err=TRUE)
    if Kind.BOOL in kinds:
        raise Untranslatable("arithmetic on bools is not translated")
    if Kind.STR in kinds:
        if op == "+" and kinds == {Kind.STR}:
            test = call("concat", left.expr, right.expr)
            return Value(test, Kind.STR, _propagated(left, right), or_(left.err, right.err))
        if op == "*" or (op == "%" and left.kind is Kind.STR):
            raise Untranslatable("string repetition and formatting are not translated")
        return Value(NULL, Kind.STR, err=TRUE)  # unsupported operand types
    kind = Kind.INT if kinds == {Kind.INT} and op != "/" else Kind.FLOAT
    if op in ("/", "//", "%"):
        divisor = right.expr.value if isinstance(right.expr, Lit) else None
        if not isinstance(divisor, int | float) or divisor == 0:
            raise Untranslatable("division is only translated by a non-zero constant")
        if op != "/" and kind is not Kind.INT:
            raise Untranslatable("// and % are only translated on integers")
    a, b = _as_number(left), _as_number(right)
    if op == "%":
        expr = call("pmod", a, b)  # the sign of the divisor, as in Python
    elif op == "//":  # exact, in decimals: a long is wider than a double's mantissa
        d, q = call("decimal", left.expr), call("decimal", right.expr)
        expr = call("long", call("div", call("sub", d, call("pmod", d, q)), q))  # floor
    else:
        expr = call({"+": "add", "-": "sub", "*": "mul", "/": "div"}[op], a, b)
    return Value(expr, kind, _propagated(left, right), or_(left.err, right.err))


def unary_minus(value: Value) -> Value:
    value = settle(value, Kind.INT)
    _check_plain(value)
    if value.kind is Kind.BOOL:
        raise Untranslatable("arithmetic on bools is not translated")
    if value.kind not in NUMBERS:
        return Value(NULL, Kind.INT, err=TRUE)  # bad operand type for unary -
    if isinstance(value.expr, Lit) and isinstance(value.expr.value, int | float):
        return dataclasses.replace(value, expr=Lit(-value.expr.value))
    expr = call("neg", _as_number(value))
    return Value(expr, value.kind, _propagated(value), value.err, path=None)
