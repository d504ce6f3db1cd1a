"""Glue folds database, table, function and column names to lowercase when it stores them,
and looks them up case-insensitively."""

from __future__ import annotations

import time


def fold(name: str) -> str:
    return name.lower()


def now() -> float:
    return time.time()
