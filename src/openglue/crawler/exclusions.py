"""Glue's exclusion globs, matched against an object's key relative to the crawler target.

Syntax (Glue developer guide, "Include and exclude patterns"): ``*`` matches within one folder
level, ``**`` across levels, ``?`` one character, ``[abc]`` / ``[a-z]`` / ``[!a-c]`` a class,
``{a,b}`` alternatives (not nested), ``\\`` escapes the next character; a leading dot is an
ordinary character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

__all__ = ["ExclusionError", "Exclusions", "glob_to_regex"]


class ExclusionError(ValueError):
    """An exclusion pattern that cannot be read, with where and why."""


@cache
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    at, in_braces = 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\" and at + 1 < len(pattern):
            out.append(re.escape(pattern[at + 1]))
            at += 2
            continue
        if pattern.startswith("**", at):
            out.append(".*")
            at += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", at + 2)
            if end < 0:
                raise ExclusionError(f"exclusion {pattern!r}: '[' at {at} is never closed")
            body = pattern[at + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            escaped = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[{'^' if negate else ''}{escaped}]")
            at = end + 1
            continue
        elif char == "{" and not in_braces:
            in_braces = True
            out.append("(?:")
        elif char == "}" and in_braces:
            in_braces = False
            out.append(")")
        elif char == "," and in_braces:
            out.append("|")
        elif char == "{":
            raise ExclusionError(f"exclusion {pattern!r}: '{{…}}' cannot be nested")
        else:
            out.append(re.escape(char))
        at += 1
    if in_braces:
        raise ExclusionError(f"exclusion {pattern!r}: '{{' is never closed")
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error as error:
        raise ExclusionError(f"exclusion {pattern!r} cannot be read: {error}") from None


class Exclusions:
    """Which pattern (if any) excludes a key."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._compiled = [(p, glob_to_regex(p)) for p in patterns if p]

    def matching(self, key: str) -> str | None:
        for pattern, regex in self._compiled:
            if regex.match(key):
                return pattern
        return None
