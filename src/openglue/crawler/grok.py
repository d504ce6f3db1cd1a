"""A small grok compiler: ``%{PATTERN:field:type}`` expressions to Python regular expressions.

Grok names regular expressions and builds bigger ones out of them; a reference with a field
name captures a column (``%{IP:client}``), optionally typed (``%{NUMBER:bytes:long}``). Custom
patterns come one per line as ``NAME regex`` and may refer to each other and to the built-ins.
Oniguruma's ``(?<name>…)`` captures are accepted and become columns too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from openglue.crawler.grok_patterns import BUILTIN_PATTERNS

__all__ = ["GrokError", "GrokField", "GrokPattern", "compile_grok", "parse_custom_patterns"]

_REFERENCE = re.compile(r"%\{(\w+)(?::([\w.@\[\]-]+))?(?::(\w+))?\}")
_ONIG_CAPTURE = re.compile(r"\(\?<([A-Za-z_]\w*)>")
_GROK_TYPES = {
    "byte": "tinyint",
    "short": "smallint",
    "int": "int",
    "long": "bigint",
    "float": "float",
    "double": "double",
    "boolean": "boolean",
    "string": "string",
}


class GrokError(ValueError):
    """A grok pattern that cannot be compiled, with the reason."""


@dataclass(frozen=True)
class GrokField:
    name: str
    group: str  # the Python group name holding its text
    type: str  # a Hive type


@dataclass(frozen=True)
class GrokPattern:
    source: str
    regex: re.Pattern[str]
    fields: tuple[GrokField, ...]


def parse_custom_patterns(text: str | None) -> dict[str, str]:
    """``NAME regex`` lines; blank lines and ``#`` comments are ignored."""
    patterns: dict[str, str] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, body = line.partition(" ")
        if not re.fullmatch(r"\w+", name) or not body.strip():
            raise GrokError(f"custom pattern line {line!r} is not 'NAME regex'")
        patterns[name] = body.strip()
    return patterns


def compile_grok(pattern: str, custom: Mapping[str, str] | None = None) -> GrokPattern:
    library = {**BUILTIN_PATTERNS, **(custom or {})}
    fields: list[GrokField] = []

    def expand(text: str, trail: tuple[str, ...]) -> str:
        def one(match: re.Match[str]) -> str:
            name, field, kind = match.groups()
            if name not in library:
                raise GrokError(f"grok pattern %{{{name}}} is not defined")
            if name in trail:
                raise GrokError(f"grok pattern {name} refers to itself: {' → '.join(trail)}")
            body = expand(library[name], (*trail, name))
            if field is None:
                return f"(?:{body})"
            return f"(?P<{_add_field(fields, field, kind)}>{body})"

        text = _REFERENCE.sub(one, text)
        return _ONIG_CAPTURE.sub(lambda m: f"(?P<{_add_field(fields, m.group(1), None)}>", text)

    try:
        regex = re.compile(expand(pattern, ()))
    except re.error as error:
        raise GrokError(f"grok pattern {pattern!r} is not a valid expression: {error}") from None
    seen: set[str] = set()
    unique = []
    for field in fields:  # a name captured twice keeps its first capture, as grok does
        if field.name not in seen:
            seen.add(field.name)
            unique.append(field)
    return GrokPattern(pattern, regex, tuple(unique))


def _add_field(fields: list[GrokField], name: str, kind: str | None) -> str:
    if kind is not None and kind.lower() not in _GROK_TYPES:
        raise GrokError(f"grok type {kind!r} of field {name!r} is not one of {sorted(_GROK_TYPES)}")
    group = f"g{len(fields)}"
    fields.append(GrokField(name, group, _GROK_TYPES[(kind or "string").lower()]))
    return group
