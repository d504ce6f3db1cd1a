"""Find the syntax tree of a record function: the expression its single ``return`` gives.

``inspect.getsource`` is no help for the lambdas Glue scripts pass inline
(``Filter.apply(frame=orders, f=lambda x: x["status"] == "completed")``): it returns the whole
statement. So the file (or the ``source`` text given) is parsed, every ``lambda`` or ``def``
with the function's name is a candidate, the candidate whose body holds the code positions
Python recorded for ``f.__code__`` wins, and its compiled bytecode must equal ``f``'s (names may
be globals in one and closure cells in the other). A source file edited since the function was
compiled, or text that does not match, gives ``None``: the caller falls back to running ``f``.
"""

from __future__ import annotations

import ast
import dis
import inspect
import linecache
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType
from typing import Any

__all__ = ["FunctionSyntax", "fields_read", "function_syntax"]

_UNSUPPORTED_FLAGS = (
    inspect.CO_VARARGS
    | inspect.CO_VARKEYWORDS
    | inspect.CO_GENERATOR
    | inspect.CO_COROUTINE
    | inspect.CO_ASYNC_GENERATOR
)


@dataclass(frozen=True)
class FunctionSyntax:
    record_arg: str  # the parameter the record is bound to
    body: ast.expr  # the returned expression
    defaults: dict[str, Any]  # values of the other parameters (they all have defaults)


def function_syntax(f: Callable[..., Any], source: str | None = None) -> FunctionSyntax | None:
    """The parameter and returned expression of ``f``, or None when they cannot be trusted."""
    code = getattr(f, "__code__", None)
    if inspect.ismethod(f) or not isinstance(code, CodeType):
        return None
    if code.co_argcount < 1 or code.co_kwonlyargcount or code.co_flags & _UNSUPPORTED_FLAGS:
        return None
    defaults = getattr(f, "__defaults__", None) or ()
    if len(defaults) < code.co_argcount - 1:
        return None  # Glue calls f(record): every other parameter needs a default
    text = source if source is not None else _file_text(code, getattr(f, "__globals__", {}))
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    node = _matching_node(tree, code, text)
    if node is None:
        return None
    body = _returned_expression(node)
    if body is None:
        return None
    names = code.co_varnames[: code.co_argcount]
    bound = dict(zip(names[len(names) - len(defaults) :], defaults, strict=True))
    bound.pop(names[0], None)
    return FunctionSyntax(names[0], body, bound)


def fields_read(syntax: FunctionSyntax) -> frozenset[str] | None:
    """The record fields the body reads, if it reads the record only by constant keys
    (``x["a"]``, ``x.get("a")``); None when the record is used any other way (passed to a
    function, iterated, rebound…). Running in Python, only these columns need converting."""
    arg, keys, bases = syntax.record_arg, set(), set()
    for node in ast.walk(syntax.body):
        if isinstance(node, ast.Lambda) and arg in {a.arg for a in node.args.args}:
            return None  # a nested function rebinding the name
        if isinstance(node, ast.NamedExpr | ast.comprehension) and any(
            isinstance(name, ast.Name) and name.id == arg for name in ast.walk(node.target)
        ):
            return None  # rebinds it too
        base, key = None, None
        if isinstance(node, ast.Subscript):
            base, key = node.value, node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            base, key = node.func.value, node.args[0]
        if isinstance(base, ast.Name) and base.id == arg:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            keys.add(key.value)
            bases.add(id(base))
    for node in ast.walk(syntax.body):
        if isinstance(node, ast.Name) and node.id == arg and id(node) not in bases:
            return None
    return frozenset(keys)


def _file_text(code: CodeType, module_globals: dict[str, Any]) -> str | None:
    lines = linecache.getlines(code.co_filename, module_globals)
    return "".join(lines) if lines else None


FunctionNode = ast.Lambda | ast.FunctionDef


def _candidates(tree: ast.AST, code: CodeType) -> Iterator[FunctionNode]:
    for node in ast.walk(tree):
        name = "<lambda>" if isinstance(node, ast.Lambda) else getattr(node, "name", None)
        if isinstance(node, FunctionNode) and name == code.co_name:
            yield node


def _span(node: FunctionNode) -> tuple[int, int, int, int]:
    first: ast.expr | ast.stmt
    last: ast.expr | ast.stmt
    if isinstance(node, ast.Lambda):
        first = last = node.body
    else:
        first, last = node.body[0], node.body[-1]
    return (first.lineno, first.col_offset, last.end_lineno or 0, last.end_col_offset or 0)


def _positions_inside(code: CodeType, span: tuple[int, int, int, int]) -> int:
    line, col, end_line, end_col = span
    count = 0
    for start, stop, start_col, stop_col in code.co_positions():
        if start is None or stop is None or start_col is None or stop_col is None:
            continue
        if (line, col) <= (start, start_col) and (stop, stop_col) <= (end_line, end_col):
            count += 1
    return count


def _matching_node(tree: ast.AST, code: CodeType, text: str) -> FunctionNode | None:
    found = []
    for node in _candidates(tree, code):
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if first == code.co_firstlineno and _same_parameters(node, code):
            found.append((_positions_inside(code, _span(node)), node))
    found.sort(key=lambda item: -item[0])
    for _, node in found:
        if _compiles_to(node, code):
            return node
    return None


def _same_parameters(node: FunctionNode, code: CodeType) -> bool:
    names = [a.arg for a in node.args.posonlyargs + node.args.args]
    return names == list(code.co_varnames[: code.co_argcount])


def _returned_expression(node: FunctionNode) -> ast.expr | None:
    if isinstance(node, ast.Lambda):
        return node.body
    statements = node.body
    if (
        statements
        and isinstance(statements[0], ast.Expr)
        and isinstance(statements[0].value, ast.Constant)
        and isinstance(statements[0].value.value, str)
    ):
        statements = statements[1:]  # a docstring
    if len(statements) == 1 and isinstance(statements[0], ast.Return):
        return statements[0].value
    return None


# --- bytecode comparison -----------------------------------------------------------------

_IGNORED = {"RESUME", "COPY_FREE_VARS", "MAKE_CELL", "NOP", "CACHE", "EXTENDED_ARG", "PUSH_NULL"}
_NAME_LOADS = {
    "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF",
}  # fmt: skip
_JUMPS = set(dis.hasjrel) | set(dis.hasjabs)


def _compiles_to(node: FunctionNode, code: CodeType) -> bool:
    """Whether ``node``, compiled on its own, gives the same instructions as ``code``."""
    wrapper: ast.mod
    if isinstance(node, ast.Lambda):
        wrapper = ast.Expression(body=node)
        mode = "eval"
    else:
        wrapper = ast.Module(body=[node], type_ignores=[])
        mode = "exec"
    try:
        compiled = compile(ast.fix_missing_locations(wrapper), code.co_filename, mode)
    except (SyntaxError, ValueError):
        return False
    inner = next((c for c in compiled.co_consts if isinstance(c, CodeType)), None)
    return inner is not None and _shape(inner) == _shape(code)


def _shape(code: CodeType) -> list[tuple[str, object]]:
    shape: list[tuple[str, object]] = []
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name in _IGNORED:
            continue
        if name in _NAME_LOADS:
            shape.append(("LOAD_FREE_NAME", instruction.argval))
        elif name == "LOAD_METHOD":  # 3.11 picks LOAD_ATTR for methods of imported modules
            shape.append(("LOAD_ATTR", instruction.argval))
        elif instruction.opcode in _JUMPS:
            shape.append((name, None))
        elif isinstance(instruction.argval, CodeType):
            shape.append((name, _shape(instruction.argval)))
        else:
            shape.append((name, instruction.argval))
    return shape
