"""Parsing one field of an AWS cron expression into the set of values it allows.

A field is a comma-separated list of items; an item is ``*``, a value, a range ``a-b``
(which may wrap around, ``FRI-MON`` or ``22-2``, as EventBridge's examples use), or any of
these with a step ``/n``. Names (JAN-DEC, SUN-SAT) are accepted in any case.
"""

from __future__ import annotations

from dataclasses import dataclass

from openglue.errors import InvalidInputException

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


@dataclass(frozen=True)
class FieldSpec:
    label: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names of low, low+1, …

    def value(self, text: str, expression: str) -> int:
        upper = text.upper()
        if upper in self.names:
            return self.low + self.names.index(upper)
        if not text.isdigit():
            allowed = f"{self.low}-{self.high}"
            if self.names:
                allowed += f" or {self.names[0]}-{self.names[-1]}"
            raise bad(expression, f"the {self.label} field has {text!r}; use {allowed}")
        number = int(text)
        if not self.low <= number <= self.high:
            raise bad(
                expression,
                f"the {self.label} field has {number}, outside {self.low}-{self.high}",
            )
        return number


MINUTES = FieldSpec("Minutes", 0, 59)
HOURS = FieldSpec("Hours", 0, 23)
DAY_OF_MONTH = FieldSpec("Day-of-month", 1, 31)
MONTH = FieldSpec("Month", 1, 12, MONTH_NAMES)
DAY_OF_WEEK = FieldSpec("Day-of-week", 1, 7, DAY_NAMES)
YEAR = FieldSpec("Year", 1970, 2199)


def bad(expression: str, problem: str) -> InvalidInputException:
    return InvalidInputException(
        f"Schedule {expression!r} is not a valid cron expression: {problem}. The form is "
        "cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(15 12 * * ? *)"
    )


def parse_values(text: str, spec: FieldSpec, expression: str) -> frozenset[int]:
    """The values a plain field (no ``?``, ``L``, ``W`` or ``#``) allows."""
    values: set[int] = set()
    for item in text.split(","):
        if not item:
            raise bad(expression, f"the {spec.label} field {text!r} has an empty list item")
        values.update(_item(item, spec, expression))
    return frozenset(values)


def _item(item: str, spec: FieldSpec, expression: str) -> list[int]:
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) == 0:
            raise bad(
                expression,
                f"the {spec.label} field has the step {step_text!r} in {item!r}; a step is a "
                "whole number of 1 or more",
            )
        step = int(step_text)
    if base == "*":
        start, end = spec.low, spec.high
    elif "-" in base:
        first, _, last = base.partition("-")
        start, end = spec.value(first, expression), spec.value(last, expression)
    else:
        start = spec.value(base, expression)
        # "5/15" runs from 5 to the end of the range; a lone "5" is just 5.
        end = spec.high if slash else start
    return _walk(start, end, step, spec)


def _walk(start: int, end: int, step: int, spec: FieldSpec) -> list[int]:
    """``start`` to ``end`` by ``step``, wrapping past ``spec.high`` when ``end < start``."""
    size = spec.high - spec.low + 1
    span = (end - start) % size
    return [spec.low + (start - spec.low + offset) % size for offset in range(0, span + 1, step)]
