"""Parse type strings as the Data Catalog holds them (``array<struct<a:int,b:string>>``).

The parser yields a small neutral tree (``HiveType``); ``awsglue.gluetypes`` turns it into a
DynamicFrame type and ``awsglue.spark_types`` into a Spark one, so both read the same grammar.
Names are case-insensitive and synonyms are folded to one spelling (``integer`` → ``int``,
``long`` → ``bigint``, ``uniontype`` → ``choice`` …), so Glue's own names (as used in
``ApplyMapping`` and ``resolveChoice``) parse too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

__all__ = ["HiveType", "parse"]

# Synonym → canonical name, with how many integer parameters the type takes (min, max).
_ATOMIC: dict[str, tuple[str, int, int]] = {
    "string": ("string", 0, 0),
    "char": ("char", 1, 1),
    "varchar": ("varchar", 1, 1),
    "boolean": ("boolean", 0, 0),
    "tinyint": ("tinyint", 0, 0),
    "byte": ("tinyint", 0, 0),
    "smallint": ("smallint", 0, 0),
    "short": ("smallint", 0, 0),
    "int": ("int", 0, 0),
    "integer": ("int", 0, 0),
    "bigint": ("bigint", 0, 0),
    "long": ("bigint", 0, 0),
    "float": ("float", 0, 0),
    "real": ("float", 0, 0),
    "double": ("double", 0, 0),
    "decimal": ("decimal", 0, 2),
    "numeric": ("decimal", 0, 2),
    "date": ("date", 0, 0),
    "timestamp": ("timestamp", 0, 0),
    "timestamp_ntz": ("timestamp_ntz", 0, 0),
    "timestampntz": ("timestamp_ntz", 0, 0),
    "binary": ("binary", 0, 0),
    "null": ("null", 0, 0),
    "void": ("null", 0, 0),
    "unknown": ("unknown", 0, 0),
}
_CONTAINERS = {"array": "array", "set": "set", "map": "map", "struct": "struct"}
_UNIONS = {"uniontype": "choice", "choice": "choice"}

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class HiveType:
    """One node of a parsed type: ``name`` is canonical; ``children`` are element, key/value,
    field or alternative types; ``field_names`` runs parallel to ``children`` for structs."""

    name: str
    params: tuple[int, ...] = ()
    children: tuple[HiveType, ...] = ()
    field_names: tuple[str, ...] = ()


def parse(type_string: str) -> HiveType:
    """Parse one type string; raise ``ValueError`` saying where it stopped making sense."""
    parser = _Parser(type_string)
    node = parser.type()
    parser.skip_space()
    if parser.pos != len(type_string):
        parser.fail("unexpected text after the type")
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, why: str) -> NoReturn:
        raise ValueError(f"cannot parse type {self.text!r} at position {self.pos}: {why}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, char: str) -> bool:
        self.skip_space()
        return self.text.startswith(char, self.pos)

    def expect(self, char: str) -> None:
        if not self.peek(char):
            self.fail(f"expected {char!r}")
        self.pos += len(char)

    def match(self, pattern: re.Pattern[str], what: str) -> str:
        self.skip_space()
        found = pattern.match(self.text, self.pos)
        if found is None:
            self.fail(f"expected {what}")
        self.pos = found.end()
        return found.group()

    def type(self) -> HiveType:
        word = self.match(_WORD, "a type name").lower()
        if word in _CONTAINERS:
            return self.container(_CONTAINERS[word])
        if word in _UNIONS:
            return HiveType("choice", children=tuple(self.type_list()))
        if word not in _ATOMIC:
            self.pos -= len(word)
            self.fail(f"unknown type {word!r}")
        name, least, most = _ATOMIC[word]
        if word == "double" and self.peek_word("precision"):
            self.match(_WORD, "'precision'")  # SQL's two-word spelling of double
        params = self.params() if self.peek("(") else ()
        if not least <= len(params) <= most:
            self.fail(f"{word} takes {least}..{most} parameters, got {len(params)}")
        return HiveType(name, params)

    def peek_word(self, word: str) -> bool:
        self.skip_space()
        found = _WORD.match(self.text, self.pos)
        return found is not None and found.group().lower() == word

    def params(self) -> tuple[int, ...]:
        self.expect("(")
        values = [int(self.match(_NUMBER, "a number"))]
        while self.peek(","):
            self.expect(",")
            values.append(int(self.match(_NUMBER, "a number")))
        self.expect(")")
        return tuple(values)

    def type_list(self) -> list[HiveType]:
        self.expect("<")
        types = [self.type()]
        while self.peek(","):
            self.expect(",")
            types.append(self.type())
        self.expect(">")
        return types

    def container(self, name: str) -> HiveType:
        if name == "struct":
            return self.struct()
        children = self.type_list()
        arity = 2 if name == "map" else 1
        if len(children) != arity:
            self.fail(f"{name} takes {arity} type(s), got {len(children)}")
        return HiveType(name, children=tuple(children))

    def struct(self) -> HiveType:
        self.expect("<")
        names: list[str] = []
        types: list[HiveType] = []
        while not self.peek(">"):
            if names:
                self.expect(",")
            names.append(self.field_name())
            self.expect(":")
            types.append(self.type())
        self.expect(">")
        return HiveType("struct", children=tuple(types), field_names=tuple(names))

    def field_name(self) -> str:
        self.skip_space()
        if self.peek("`"):
            return self.quoted_name()
        # Catalog column names may hold spaces ("provider id"), so read up to the colon.
        end = self.text.find(":", self.pos)
        if end < 0:
            self.fail("expected 'name:type' in struct")
        name = self.text[self.pos : end].strip()
        if not name or any(c in name for c in "<>,`"):
            self.fail("expected a field name")
        self.pos = end
        return name

    def quoted_name(self) -> str:
        self.expect("`")
        chars: list[str] = []
        while True:
            end = self.text.find("`", self.pos)
            if end < 0:
                self.fail("unterminated `quoted` name")
            chars.append(self.text[self.pos : end])
            self.pos = end + 1
            if not self.text.startswith("`", self.pos):
                return "".join(chars)
            chars.append("`")  # a doubled backtick stands for one
            self.pos += 1
