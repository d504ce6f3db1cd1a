"""Whether a CONDITIONAL trigger's predicate is met, now that a watched run has ended.

Pure functions over outcomes (how each job run or crawl ended), so they test without a
server. Choices where Glue is vague (outside workflows):
- the run that just ended must meet one of the conditions: a predicate is evaluated when a
  watched run ends, never because time passed;
- ``ANY`` fires on that run alone; ``AND`` also needs every other watched job or crawler's
  latest outcome to meet its condition;
- the run that ended must have been started by a trigger (Glue: "dependent jobs and crawlers
  start only if the job or crawler that completes was started by a trigger");
- one set of runs fires a trigger once: the fire key is the ids of the runs that met it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from openglue.store.triggers import Outcome

Key = tuple[str, str]  # (kind, name)


def condition_key(condition: Mapping[str, Any]) -> Key:
    if condition.get("JobName") is not None:
        return ("job", str(condition["JobName"]))
    return ("crawler", str(condition["CrawlerName"]))


def wanted_state(condition: Mapping[str, Any]) -> str:
    return str(condition.get("State") or condition.get("CrawlState"))


def watched_keys(predicate: Mapping[str, Any]) -> set[Key]:
    return {condition_key(c) for c in predicate.get("Conditions", [])}


def runs_meeting(
    predicate: Mapping[str, Any], ended: Outcome, latest: Mapping[Key, Outcome]
) -> list[Outcome] | None:
    """The runs that meet ``predicate`` now that ``ended`` ended, or ``None`` if it is not met."""
    conditions: Sequence[Mapping[str, Any]] = predicate.get("Conditions", [])
    ended_key = (ended.kind, ended.name)
    mine = [c for c in conditions if condition_key(c) == ended_key]
    if not any(wanted_state(c) == ended.state for c in mine):
        return None
    if predicate.get("Logical") == "ANY":
        return [ended]
    met: dict[Key, Outcome] = {}
    for condition in conditions:
        key = condition_key(condition)
        outcome = ended if key == ended_key else latest.get(key)
        if outcome is None or outcome.state != wanted_state(condition):
            return None
        met[key] = outcome
    return list(met.values())


def fire_key(runs: Sequence[Outcome]) -> str:
    """One key per set of runs; long sets are hashed to fit the store's column."""
    text = "runs:" + ",".join(sorted(o.run_id for o in runs))
    if len(text) <= 256:
        return text
    return "runs-sha256:" + hashlib.sha256(text.encode()).hexdigest()


def predecessors(runs: Sequence[Outcome]) -> list[dict[str, str]]:
    """The ``PredecessorRuns`` of the runs a fire starts: the job runs that met the predicate."""
    return [{"JobName": o.name, "RunId": o.run_id} for o in runs if o.kind == "job"]
