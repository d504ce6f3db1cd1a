"""The rules of a trigger definition: what each type needs, and what it may not have.

From the Glue API reference and "Starting jobs and crawlers using triggers": SCHEDULED needs a
cron Schedule, CONDITIONAL a Predicate, EVENT an EventBatchingCondition (defaulted to a batch of
1 within 900 s when omitted, as the console does); ON_DEMAND may not StartOnCreation. Each action
starts one job or one crawler; conditions watch job runs ending SUCCEEDED, STOPPED, FAILED or
TIMEOUT and crawls ending SUCCEEDED, FAILED or CANCELLED; Logical is required with more than
one condition. A member that belongs to another type (a Schedule on a CONDITIONAL trigger) is
refused rather than silently kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from openglue.errors import InvalidInputException
from openglue.jobs.job_spec import check_timeout
from openglue.scheduler.cron import parse_cron
from openglue.store.triggers import Link

TYPES = ("SCHEDULED", "CONDITIONAL", "ON_DEMAND", "EVENT")
WATCHABLE_JOB_STATES: tuple[str, ...] = ("SUCCEEDED", "STOPPED", "FAILED", "TIMEOUT")
WATCHABLE_CRAWL_STATES: tuple[str, ...] = ("SUCCEEDED", "FAILED", "CANCELLED")
DEFAULT_BATCH_WINDOW = 900
_JOB_ONLY = ("Arguments", "Timeout", "SecurityConfiguration", "NotificationProperty")
# The member each type requires, and the members only that type takes.
_OWN_MEMBER = {
    "SCHEDULED": "Schedule",
    "CONDITIONAL": "Predicate",
    "EVENT": "EventBatchingCondition",
}


def trigger_spec(trigger_type: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The stored members (Description, Schedule, Actions, Predicate, EventBatchingCondition)
    of a trigger of ``trigger_type``, checked; ``InvalidInputException`` saying what is wrong."""
    if trigger_type not in TYPES:
        raise InvalidInputException(f"Type {trigger_type!r} is not one of {', '.join(TYPES)}")
    for other_type, member in _OWN_MEMBER.items():
        if other_type != trigger_type and given.get(member) is not None:
            raise InvalidInputException(
                f"{member} is only for {other_type} triggers; this trigger is {trigger_type}"
            )
    spec: dict[str, Any] = {"Actions": [_action(a, i) for i, a in enumerate(given["Actions"])]}
    if not spec["Actions"]:
        raise InvalidInputException("Actions must list at least one job or crawler to start")
    if given.get("Description") is not None:
        spec["Description"] = given["Description"]
    if trigger_type == "SCHEDULED":
        spec["Schedule"] = _schedule(given.get("Schedule"))
    elif trigger_type == "CONDITIONAL":
        spec["Predicate"] = _predicate(given.get("Predicate"))
    elif trigger_type == "EVENT":
        batching = dict(given.get("EventBatchingCondition") or {"BatchSize": 1})
        batching.setdefault("BatchWindow", DEFAULT_BATCH_WINDOW)
        spec["EventBatchingCondition"] = batching
    return spec


def links(spec: Mapping[str, Any]) -> list[Link]:
    """What the trigger watches and starts, for the store's indexes."""
    found = [
        Link("starts", "job" if "JobName" in a else "crawler", a.get("JobName") or a["CrawlerName"])
        for a in spec["Actions"]
    ]
    for condition in (spec.get("Predicate") or {}).get("Conditions", []):
        kind = "job" if "JobName" in condition else "crawler"
        found.append(Link("watches", kind, condition.get("JobName") or condition["CrawlerName"]))
    return found


def _schedule(schedule: str | None) -> str:
    if not schedule:
        raise InvalidInputException(
            "A SCHEDULED trigger needs a Schedule, e.g. cron(15 12 * * ? *) for 12:15 UTC daily"
        )
    parsed = parse_cron(schedule)
    if parsed.next_fire(dt.datetime.now(dt.UTC)) is None:
        raise InvalidInputException(
            f"Schedule {schedule!r} never fires again: its last matching time has passed"
        )
    return parsed.expression


def _action(action: Mapping[str, Any], index: int) -> dict[str, Any]:
    where = f"Actions[{index}]"
    job, crawler = action.get("JobName"), action.get("CrawlerName")
    if (job is None) == (crawler is None):
        raise InvalidInputException(f"{where} must name exactly one of JobName and CrawlerName")
    if crawler is not None:
        extra = [m for m in _JOB_ONLY if action.get(m) is not None]
        if extra:
            raise InvalidInputException(
                f"{where} starts crawler {crawler}; {', '.join(extra)} apply to job actions only"
            )
    check_timeout(action.get("Timeout"))
    return {k: v for k, v in action.items() if v is not None}


def _predicate(predicate: Mapping[str, Any] | None) -> dict[str, Any]:
    conditions = list((predicate or {}).get("Conditions") or [])
    if not conditions:
        raise InvalidInputException(
            "A CONDITIONAL trigger needs a Predicate with at least one condition, e.g. "
            '{"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]}'
        )
    logical = (predicate or {}).get("Logical")
    if logical is None and len(conditions) > 1:
        raise InvalidInputException(
            f"Predicate has {len(conditions)} conditions: set Logical to AND (all must be met) "
            "or ANY (one is enough)"
        )
    checked = [_condition(c, i) for i, c in enumerate(conditions)]
    return {"Logical": logical or "AND", "Conditions": checked}


def _condition(condition: Mapping[str, Any], index: int) -> dict[str, Any]:
    where = f"Predicate.Conditions[{index}]"
    job, crawler = condition.get("JobName"), condition.get("CrawlerName")
    if (job is None) == (crawler is None):
        raise InvalidInputException(f"{where} must name exactly one of JobName and CrawlerName")
    if job is not None:
        state, allowed, member = condition.get("State"), WATCHABLE_JOB_STATES, "State"
        if condition.get("CrawlState") is not None:
            raise InvalidInputException(f"{where} watches job {job}: use State, not CrawlState")
    else:
        state, allowed, member = condition.get("CrawlState"), WATCHABLE_CRAWL_STATES, "CrawlState"
        if condition.get("State") is not None:
            raise InvalidInputException(
                f"{where} watches crawler {crawler}: use CrawlState, not State"
            )
    if state not in allowed:
        raise InvalidInputException(
            f"{where}.{member} is {state!r}; a trigger can watch {', '.join(allowed)}"
        )
    return {"LogicalOperator": "EQUALS", **{k: v for k, v in condition.items() if v is not None}}
