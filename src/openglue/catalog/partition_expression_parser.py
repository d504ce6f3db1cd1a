"""Glue's GetPartitions ``Expression`` language: tokenizer, recursive-descent parser and AST.

The language is the SQL boolean subset Glue documents (it parses it with JSQLParser)::

    expression := or
    or         := and (OR and)*
    and        := not (AND not)*                -- AND binds tighter than OR
    not        := NOT not | '(' expression ')' | predicate
    predicate  := operand compare operand       -- a key on one side, a literal on the other
                | key [NOT] IN '(' literal (',' literal)* ')'
                | key [NOT] BETWEEN literal AND literal
                | key [NOT] LIKE literal        -- SQL wildcards % and _
                | key IS [NOT] NULL
    compare    := '=' | '<>' | '!=' | '<' | '>' | '<=' | '>='
    operand    := key | literal
    key        := name | `quoted name` | "quoted name"
    literal    := 'string' ('' is a quote) | number (-12, 3.5, 1e3)

Keywords are case-insensitive. This module knows nothing about a table: which keys exist and how
literals are typed is ``partition_expression``'s business. Every syntax error is an
``InvalidInputException`` naming the 1-based position and what was expected there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, NoReturn

from openglue.errors import InvalidInputException

CompareOp = Literal["=", "<>", "<", ">", "<=", ">="]
_OPERATORS: dict[str, CompareOp] = {
    "=": "=", "<>": "<>", "!=": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">="
}  # fmt: skip
_FLIPPED: dict[CompareOp, CompareOp] = {
    "=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<="
}  # fmt: skip
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL"})
# Parentheses and NOTs nest by recursion; a cap keeps hostile input from exhausting the stack
# (here or in the SQL compiler) while leaving far more room than any real filter needs.
MAX_NESTING = 50


@dataclass(frozen=True)
class ColumnRef:
    name: str
    offset: int


@dataclass(frozen=True)
class Constant:
    text: str  # the literal's value: a string's unquoted text, or a number as written
    is_string: bool
    offset: int

    def __str__(self) -> str:
        return "'" + self.text.replace("'", "''") + "'" if self.is_string else self.text


@dataclass(frozen=True)
class Comparison:
    column: ColumnRef  # the parser puts the key on the left: 2020 < year becomes year > 2020
    op: CompareOp
    value: Constant


@dataclass(frozen=True)
class InList:
    column: ColumnRef
    values: tuple[Constant, ...]
    negated: bool


@dataclass(frozen=True)
class Between:
    column: ColumnRef
    low: Constant
    high: Constant
    negated: bool


@dataclass(frozen=True)
class Like:
    column: ColumnRef
    pattern: Constant
    negated: bool


@dataclass(frozen=True)
class IsNull:
    column: ColumnRef
    negated: bool


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]


Expr = Comparison | InList | Between | Like | IsNull | Not | And | Or

TokenKind = Literal["name", "string", "number", "keyword", "op", "punct", "end"]


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str  # names and strings unquoted, keywords upper-cased
    offset: int


_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r"<>|!=|<=|>=|=|<|>")


def _error(offset: int, message: str) -> NoReturn:
    raise InvalidInputException(f"Invalid partition expression at position {offset + 1}: {message}")


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text between ``text[start]`` and its closing twin (doubled to escape); the end index."""
    quote, chars, i = text[start], [], start + 1
    while i < len(text):
        if text[i] == quote:
            if text.startswith(quote, i + 1):
                chars.append(quote)
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    what = "string literal" if quote == "'" else "quoted name"
    _error(start, f"unterminated {what}; expected a closing {quote}")


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token."""
    if "\x00" in text:  # PostgreSQL text cannot hold NUL: refuse it here, not as a 500 later
        _error(text.index("\x00"), "unexpected character '\\x00'")
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "'`\"":
            value, end = _quoted(text, i)
            tokens.append(Token("string" if char == "'" else "name", value, i))
            i = end
        elif char in "(),":
            tokens.append(Token("punct", char, i))
            i += 1
        elif match := _NUMBER.match(text, i):
            tokens.append(Token("number", match.group(), i))
            i = match.end()
        elif match := _NAME.match(text, i):
            word = match.group()
            if word.upper() in _KEYWORDS:
                tokens.append(Token("keyword", word.upper(), i))
            else:
                tokens.append(Token("name", word, i))
            i = match.end()
        elif match := _OPERATOR.match(text, i):
            tokens.append(Token("op", match.group(), i))
            i = match.end()
        else:
            _error(i, f"unexpected character {char!r}")
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse_expression(text: str) -> Expr | None:
    """The AST of ``text``; None when it is empty or blank, which Glue treats as no filter."""
    tokens = tokenize(text)
    if tokens[0].kind == "end":
        return None
    return _Parser(tokens).parse()


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "string":
        return "the literal " + str(Constant(token.text, True, token.offset))
    return repr(token.text)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0

    def parse(self) -> Expr:
        expr = self._or()
        token = self._peek()
        if token.kind != "end":
            hint = "an unbalanced ')'" if token.text == ")" else _describe(token)
            _error(token.offset, f"expected AND, OR or the end of the expression, found {hint}")
        return expr

    def _peek(self) -> Token:
        return self._tokens[self._index]

    def _next(self) -> Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _accept(self, kind: TokenKind, text: str) -> bool:
        token = self._peek()
        if token.kind == kind and token.text == text:
            self._index += 1
            return True
        return False

    def _expect(self, kind: TokenKind, text: str, expected: str) -> None:
        if not self._accept(kind, text):
            token = self._peek()
            _error(token.offset, f"expected {expected}, found {_describe(token)}")

    def _or(self) -> Expr:
        operands = [self._and()]
        while self._accept("keyword", "OR"):
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Expr:
        operands = [self._not()]
        while self._accept("keyword", "AND"):
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not(self) -> Expr:
        token = self._peek()
        is_not = token.kind == "keyword" and token.text == "NOT"
        if not is_not and not (token.kind == "punct" and token.text == "("):
            return self._predicate()
        self._depth += 1
        if self._depth > MAX_NESTING:
            _error(token.offset, f"nested more than {MAX_NESTING} levels deep")
        self._next()
        if is_not:
            expr: Expr = Not(self._not())
        else:
            expr = self._or()
            self._expect("punct", ")", f"')' to close the '(' at position {token.offset + 1}")
        self._depth -= 1
        return expr

    def _predicate(self) -> Expr:
        left = self._operand()
        token = self._peek()
        if token.kind == "op":
            self._next()
            return _comparison(left, token, self._operand())
        negated = self._accept("keyword", "NOT")
        follows = self._peek()
        if follows.kind == "keyword" and follows.text in ("IN", "BETWEEN", "LIKE"):
            column = _column_for(left, follows)
            self._next()
            if follows.text == "IN":
                return InList(column, self._literal_list(), negated)
            if follows.text == "BETWEEN":
                low = self._literal()
                self._expect("keyword", "AND", "AND between the bounds of BETWEEN")
                return Between(column, low, self._literal(), negated)
            return Like(column, self._literal(), negated)
        if not negated and self._accept("keyword", "IS"):
            column = _column_for(left, follows)
            is_not = self._accept("keyword", "NOT")
            self._expect("keyword", "NULL", "NULL after IS" + (" NOT" if is_not else ""))
            return IsNull(column, is_not)
        expected = (
            "IN, BETWEEN or LIKE after NOT"
            if negated
            else "a comparison operator (= <> != < > <= >=), IN, BETWEEN, LIKE or IS"
        )
        _error(follows.offset, f"expected {expected}, found {_describe(follows)}")

    def _operand(self) -> ColumnRef | Constant:
        token = self._peek()
        if token.kind == "name":
            self._next()
            return ColumnRef(token.text, token.offset)
        return self._literal("a partition key or a literal")

    def _literal(self, expected: str = "a literal ('text' or a number)") -> Constant:
        token = self._next()
        if token.kind in ("string", "number"):
            return Constant(token.text, token.kind == "string", token.offset)
        if token.kind == "keyword" and token.text == "NULL":
            _error(token.offset, "NULL is not a value here; test for it with IS NULL")
        _error(token.offset, f"expected {expected}, found {_describe(token)}")

    def _literal_list(self) -> tuple[Constant, ...]:
        self._expect("punct", "(", "'(' to open the IN list")
        token = self._peek()
        if token.kind == "punct" and token.text == ")":
            _error(token.offset, "an IN list needs at least one literal")
        values = [self._literal()]
        while self._accept("punct", ","):
            values.append(self._literal())
        self._expect("punct", ")", "',' or ')' to close the IN list")
        return tuple(values)


def _comparison(left: ColumnRef | Constant, op: Token, right: ColumnRef | Constant) -> Comparison:
    operator = _OPERATORS[op.text]
    if isinstance(left, ColumnRef) and isinstance(right, Constant):
        return Comparison(left, operator, right)
    if isinstance(left, Constant) and isinstance(right, ColumnRef):
        return Comparison(right, _FLIPPED[operator], left)
    if isinstance(left, ColumnRef) and isinstance(right, ColumnRef):
        _error(
            left.offset,
            f"cannot compare partition key {left.name!r} with another key {right.name!r}; "
            "compare a key with a literal",
        )
    _error(left.offset, f"a comparison needs a partition key on one side, found {op.text}")


def _column_for(left: ColumnRef | Constant, keyword: Token) -> ColumnRef:
    if isinstance(left, ColumnRef):
        return left
    _error(left.offset, f"{keyword.text} needs a partition key on its left, found {left}")
