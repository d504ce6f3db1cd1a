"""Glue folds database, table, function and column names to lowercase when it stores them,
and looks them up case-insensitively."""

from __future__ import annotations

import time

from openglue.errors import InvalidInputException

MAX_NAME_LENGTH = 255


def fold(name: str) -> str:
    """The stored form of a catalog name. A few characters grow when lowercased ('İ' becomes
    two), so the model's 255-character limit is checked again on the folded name."""
    folded = name.lower()
    if len(folded) > MAX_NAME_LENGTH:
        raise InvalidInputException(
            f"Name {name[:40]!r}... is {len(folded)} characters once lowercased, more than "
            f"the {MAX_NAME_LENGTH} allowed; use a shorter name"
        )
    return folded


def now() -> float:
    return time.time()
