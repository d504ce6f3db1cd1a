"""Checking a crawler's ``Schedule``: an AWS ``cron(m h dom mon dow yr)`` expression, with the
scheduler's own parser, so a schedule a crawler accepts is one the scheduler can fire."""

from __future__ import annotations

from openglue.scheduler.cron import parse_cron


def check_schedule(expression: str) -> str:
    """The schedule as stored; ``InvalidInputException`` naming what is wrong."""
    return parse_cron(expression).expression
