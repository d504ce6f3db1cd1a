"""CloudWatch Logs filter patterns for unstructured events: parse once, then match messages.

Supported, as CloudWatch defines them (matching is case-sensitive):
- ``ERROR`` / ``ERROR Exception``: every term must occur in the message;
- ``"Failed to process"``: a quoted phrase, matched as it is (``\\"`` inside for a quote);
- ``?ERROR ?WARN``: at least one of the ``?`` terms must occur;
- ``-DEBUG``: the term must not occur;
- ``%ERROR [0-9]+%``: a regular expression, searched anywhere in the message.
Prefixes combine with every kind of term (``-"health check"``, ``?%5\\d\\d%``). An empty
pattern, or ``""``, matches everything. JSON (``{ $.level = … }``) and space-delimited
(``[ip, user, …]``) patterns are refused with a message that says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from openglue.errors import InvalidParameterException

Term = Callable[[str], bool]


@dataclass(frozen=True)
class FilterPattern:
    required: tuple[Term, ...] = ()
    optional: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()

    def matches(self, message: str) -> bool:
        return (
            all(term(message) for term in self.required)
            and (not self.optional or any(term(message) for term in self.optional))
            and not any(term(message) for term in self.excluded)
        )


MATCH_ALL = FilterPattern()


def _invalid(pattern: str, why: str) -> InvalidParameterException:
    return InvalidParameterException(f"Invalid filter pattern {pattern!r}: {why}")


def _substring(text: str) -> Term:
    return lambda message: text in message


def _regex(pattern: str, body: str) -> Term:
    try:
        compiled = re.compile(body)
    except re.error as exc:
        raise _invalid(pattern, f"the regular expression %{body}% is not valid ({exc})") from None
    return lambda message: compiled.search(message) is not None


def _quoted(pattern: str, start: int) -> tuple[str, int]:
    """The phrase of the quoted term opening at ``start``, and where it ends."""
    chars: list[str] = []
    index = start + 1
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            chars.append(pattern[index + 1])
            index += 2
            continue
        if char == '"':
            return "".join(chars), index + 1
        chars.append(char)
        index += 1
    raise _invalid(pattern, "a quoted phrase is not closed")


def _term(pattern: str, start: int) -> tuple[Term | None, int]:
    """The term at ``start`` (``None`` for an empty phrase, which matches anything)."""
    if pattern[start] == '"':
        phrase, end = _quoted(pattern, start)
        return (_substring(phrase) if phrase else None), end
    if pattern[start] == "%":
        end = pattern.find("%", start + 1)
        if end < 0:
            raise _invalid(pattern, "a %regular expression% is not closed")
        return _regex(pattern, pattern[start + 1 : end]), end + 1
    end = start
    while end < len(pattern) and not pattern[end].isspace():
        end += 1
    return _substring(pattern[start:end]), end


def parse_filter_pattern(pattern: str | None) -> FilterPattern:
    """The matcher for ``pattern``; ``InvalidParameterException`` when it cannot be read."""
    if pattern is None or not pattern.strip():
        return MATCH_ALL
    stripped = pattern.strip()
    if stripped[0] in "{[":
        kind = "JSON" if stripped[0] == "{" else "space-delimited"
        raise _invalid(
            pattern,
            f"{kind} filter patterns are not supported by OpenGlue; use terms, quoted "
            '"phrases", ?either ?or, -excluded terms or %regular expressions%',
        )
    kinds: dict[str, list[Term]] = {"": [], "?": [], "-": []}
    index = 0
    while index < len(pattern):
        if pattern[index].isspace():
            index += 1
            continue
        prefix = pattern[index] if pattern[index] in "?-" else ""
        index += len(prefix)
        if index >= len(pattern) or pattern[index].isspace():
            raise _invalid(pattern, f"{prefix!r} must be followed by a term")
        term, index = _term(pattern, index)
        if term is not None:
            kinds[prefix].append(term)
    return FilterPattern(tuple(kinds[""]), tuple(kinds["?"]), tuple(kinds["-"]))
