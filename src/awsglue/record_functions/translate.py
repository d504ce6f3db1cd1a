"""Translate a record function's returned expression into an SQL filter condition.

The walk is over Python's syntax tree (``ast``); each node becomes a ``Value``
(``values.py``), and the operators keep Python's meaning (``operators.py``, ``calls.py``).
Names resolve as Python would at call time: the record parameter, parameter defaults, closure
cells, the function's globals, then builtins; only immutable constants (None, bool, int,
float, str, and tuples/frozensets of them) are taken as values. Anything else raises
``Untranslatable`` and the caller runs the function in Python.

At the top, ``and``/``or`` become SQL ``AND``/``OR`` directly (an SQL NULL drops a row just as
False or a dropping error does); elsewhere their Python value is kept. Guards are tracked: in
``x["s"] is not None and x["s"].lower() == "a"`` the right side knows ``s`` is not None.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from awsglue.record_functions import calls, operators
from awsglue.record_functions.calls import Fields
from awsglue.record_functions.expr import NULL, Expr, Lit, and_, not_, or_
from awsglue.record_functions.values import (
    Kind,
    Untranslatable,
    Value,
    boolean,
    conditional,
    constant,
    full_err,
    negate,
    predicate,
)

__all__ = ["Scope", "translate_body"]

_MISSING = object()
_COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}  # fmt: skip
_ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
}  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """The names a function body sees, and what is known about the record."""

    record_arg: str
    lookup: Callable[[str], object]  # returns _MISSING for an unbound name
    fields: Fields

    def knowing(self, paths: frozenset[tuple[str, ...]]) -> Scope:
        if not paths:
            return self
        known = dataclasses.replace(self.fields, nonnull=self.fields.nonnull | paths)
        return dataclasses.replace(self, fields=known)


def name_lookup(
    defaults: Mapping[str, Any], closure: Mapping[str, Any], module_globals: Mapping[str, Any]
) -> Callable[[str], object]:
    def lookup(name: str) -> object:
        for names in (defaults, closure, module_globals):
            if name in names:
                return names[name]
        return getattr(builtins, name, _MISSING)

    return lookup


def translate_body(body: ast.expr, scope: Scope) -> Expr:
    """The SQL condition keeping exactly the records for which ``body`` is truthy."""
    return _condition(body, scope)


def _condition(node: ast.expr, scope: Scope) -> Expr:
    if isinstance(node, ast.BoolOp):
        scopes = _operand_scopes(node, scope)
        if isinstance(node.op, ast.And):
            return and_(*(_condition(v, s) for v, s in zip(node.values, scopes, strict=True)))
        result = _condition(node.values[-1], scopes[-1])
        for value, inner in zip(node.values[-2::-1], scopes[-2::-1], strict=True):
            # an error in an earlier operand drops the record before later ones are tried
            result = and_(
                not_(full_err(_value(value, inner))), or_(_condition(value, inner), result)
            )
        return result
    if isinstance(node, ast.Compare) and len(node.ops) > 1:  # a < b < c: a < b and b < c
        operands = [node.left, *node.comparators]
        pairs = zip(operands, node.ops, operands[1:], strict=False)
        return and_(*(_condition(ast.Compare(a, [op], [b]), scope) for a, op, b in pairs))
    return predicate(_value(node, scope))


def _operand_scopes(node: ast.BoolOp, scope: Scope) -> list[Scope]:
    """Each operand runs only if the earlier ones were all true (and) or all false (or)."""
    when = isinstance(node.op, ast.And)
    scopes = [scope]
    for value in node.values[:-1]:
        scopes.append(scopes[-1].knowing(_facts(value, scopes[-1], when)))
    return scopes


def _value(node: ast.expr, scope: Scope) -> Value:
    method = getattr(_Walker, "visit_" + type(node).__name__, None)
    if method is None:
        raise Untranslatable(f"{type(node).__name__} expressions are not translated")
    result: Value = method(node, scope)
    return result


def _constant_of(node: ast.expr, scope: Scope) -> object:
    """The Python object a name or constant denotes (for isinstance's types)."""
    if isinstance(node, ast.Name):
        found = scope.lookup(node.id)
        if found is _MISSING or node.id == scope.record_arg:
            raise Untranslatable(f"the name {node.id!r} is not a constant")
        return found
    if isinstance(node, ast.Tuple):
        return tuple(_constant_of(item, scope) for item in node.elts)
    raise Untranslatable("only names of types are translated as isinstance() arguments")


class _Walker:
    @staticmethod
    def visit_Constant(node: ast.Constant, scope: Scope) -> Value:
        return constant(node.value)

    @staticmethod
    def visit_Name(node: ast.Name, scope: Scope) -> Value:
        if node.id == scope.record_arg:
            return Value(NULL, Kind.RECORD)
        found = scope.lookup(node.id)
        if found is _MISSING:
            raise Untranslatable(f"the name {node.id!r} is not defined")
        return constant(found)

    @staticmethod
    def visit_Tuple(node: ast.Tuple | ast.List | ast.Set, scope: Scope) -> Value:
        items = [_value(item, scope) for item in node.elts]
        members = [item.expr.value for item in items if isinstance(item.expr, Lit)]
        if len(members) < len(items) or any(item.kind is Kind.TUPLE for item in items):
            raise Untranslatable("only collections of constants are translated")
        return constant(tuple(members))

    visit_List = visit_Tuple
    visit_Set = visit_Tuple

    @staticmethod
    def visit_Subscript(node: ast.Subscript, scope: Scope) -> Value:
        base = _value(node.value, scope)
        return calls.subscript(scope.fields, base, _value(node.slice, scope))

    @staticmethod
    def visit_Compare(node: ast.Compare, scope: Scope) -> Value:
        left = _value(node.left, scope)
        result: Value | None = None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _value(right_node, scope)
            name = _COMPARE_OPS[type(op)]
            if name in ("in", "not in") and right.kind in (Kind.RECORD, Kind.STRUCT):
                step = calls.has_key(scope.fields, right, left)
                step = negate(step) if name == "not in" else step
            else:
                step = operators.compare(name, left, right)
            result = step if result is None else boolean("and", result, step)
            left = right
        assert result is not None
        return result

    @staticmethod
    def visit_BoolOp(node: ast.BoolOp, scope: Scope) -> Value:
        op: Literal["and", "or"] = "and" if isinstance(node.op, ast.And) else "or"
        scopes = _operand_scopes(node, scope)
        result = _value(node.values[0], scopes[0])
        for value, inner in zip(node.values[1:], scopes[1:], strict=True):
            result = boolean(op, result, _value(value, inner))
        return result

    @staticmethod
    def visit_UnaryOp(node: ast.UnaryOp, scope: Scope) -> Value:
        operand = _value(node.operand, scope)
        if isinstance(node.op, ast.Not):
            return negate(operand)
        if isinstance(node.op, ast.USub):
            return operators.unary_minus(operand)
        raise Untranslatable(f"the operator {type(node.op).__name__} is not translated")

    @staticmethod
    def visit_BinOp(node: ast.BinOp, scope: Scope) -> Value:
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            raise Untranslatable(f"the operator {type(node.op).__name__} is not translated")
        return operators.arithmetic(op, _value(node.left, scope), _value(node.right, scope))

    @staticmethod
    def visit_IfExp(node: ast.IfExp, scope: Scope) -> Value:
        test = _value(node.test, scope)
        body = _value(node.body, scope.knowing(_facts(node.test, scope, True)))
        orelse = _value(node.orelse, scope.knowing(_facts(node.test, scope, False)))
        return conditional(test, body, orelse)

    @staticmethod
    def visit_Call(node: ast.Call, scope: Scope) -> Value:
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise Untranslatable("keyword and starred arguments are not translated")
        if isinstance(node.func, ast.Attribute):
            receiver = _value(node.func.value, scope)
            args = [_value(arg, scope) for arg in node.args]
            name = node.func.attr
            if name == "get" and receiver.kind in (Kind.RECORD, Kind.STRUCT, Kind.UNKNOWN):
                if len(args) not in (1, 2):
                    raise Untranslatable(".get() takes a key and an optional default")
                default = args[1] if len(args) == 2 else constant(None)
                return calls.get(scope.fields, receiver, args[0], default)
            return calls.string_method(scope.fields, receiver, name, args)
        function = _constant_of(node.func, scope) if isinstance(node.func, ast.Name) else None
        if function is builtins.len and len(node.args) == 1:
            return calls.length(_value(node.args[0], scope))
        if function is builtins.isinstance and len(node.args) == 2:
            value = _value(node.args[0], scope)
            return calls.is_instance(value, _constant_of(node.args[1], scope))
        raise Untranslatable("calls other than len(), isinstance() and str methods run in Python")


# --- guards ------------------------------------------------------------------------------


def _path(node: ast.expr, scope: Scope) -> tuple[str, ...] | None:
    """The record field ``node`` reads (``x["a"]``, ``x.get("a")``, ``x["a"]["b"]``), if any."""
    value = _try_value(node, scope)
    return value.path if value is not None else None


def _compare_facts(
    op: str, left: ast.expr, right: ast.expr, scope: Scope
) -> frozenset[tuple[str, ...]]:
    """Fields a true ``left <op> right`` shows are not None."""
    candidates: list[ast.expr] = []
    if op in ("<", "<=", ">", ">="):
        candidates = [left, right]  # None < … raises
    elif op == "==":
        candidates = [side for side, other in ((left, right), (right, left)) if _is_value(other)]
    elif op == "in":
        container = _try_value(right, scope)
        if container is not None and container.kind is Kind.TUPLE:
            candidates = [left] if None not in container.items else []
        else:
            candidates = [left, right]  # a substring test raises on None
    paths = {_path(node, scope) for node in candidates}
    return frozenset(p for p in paths if p)


def _is_value(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is not None


def _try_value(node: ast.expr, scope: Scope) -> Value | None:
    try:
        return _value(node, scope)
    except Untranslatable:
        return None


def _facts(node: ast.expr, scope: Scope, when: bool) -> frozenset[tuple[str, ...]]:
    """Record fields known not to be None where ``node``'s truth is ``when`` (no error)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _facts(node.operand, scope, not when)
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And) != when:
            return frozenset()
        return frozenset().union(*(_facts(v, scope, when) for v in node.values))
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        op, left, right = _COMPARE_OPS[type(node.ops[0])], node.left, node.comparators[0]
        is_none_test = isinstance(right, ast.Constant) and right.value is None
        if is_none_test and op in ("is", "==", "is not", "!="):
            known = _path(left, scope)
            holds = when == (op in ("is not", "!="))
            return frozenset({known}) if known and holds else frozenset()
        return _compare_facts(op, left, right, scope) if when else frozenset()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args and when:
        if scope.lookup(node.func.id) is builtins.isinstance:
            try:
                kinds = _constant_of(node.args[1], scope) if len(node.args) == 2 else None
            except Untranslatable:
                return frozenset()
            none_type = type(None)
            if kinds is none_type or (isinstance(kinds, tuple) and none_type in kinds):
                return frozenset()
            known = _path(node.args[0], scope)
            return frozenset({known}) if known else frozenset()
        return frozenset()
    known = _path(node, scope) if when else None
    return frozenset({known}) if known else frozenset()
