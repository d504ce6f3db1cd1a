"""Which objects an EVENT trigger listens to, and turning object notifications into its events.

In AWS, an EventBridge rule routes S3 "Object Created" events to a workflow; the trigger itself
only says how to batch them. OpenGlue has no EventBridge, so the trigger names its prefix with a
tag, set like any other (``CreateTrigger(Tags=…)``, ``TagResource``, ``openglue triggers``)::

    openglue:event-source = s3://my-app-bucket/orders/

Every new object whose address starts with that value is one event for the trigger. Several
prefixes are separated by spaces. Real Glue keeps the tag as a plain tag, so the same
definition deploys to AWS unchanged (where an EventBridge rule does the routing).

Event sources all end in ``EventRouter.route``: the polls of embedded buckets and S3 prefixes
(woken by file-system notifications where there are some) and the S3 webhook.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from awsglue.storage import StorageError, is_s3, parse_s3
from openglue.catalog.tags import TagService
from openglue.errors import InvalidInputException
from openglue.scheduler.event_batches import EventBatches
from openglue.store.trigger_events import NewEvent, TriggerEventStore

log = logging.getLogger("openglue.scheduler")

SOURCE_TAG = "openglue:event-source"


@dataclass(frozen=True)
class ObjectVersion:
    """An object that exists now: its ``s3://`` address and what tells its versions apart
    (the ETag on S3, size and modification time in an embedded bucket)."""

    address: str
    version: str

    def event(self) -> NewEvent:
        return NewEvent(f"{self.address}@{self.version}", self.address)


def event_sources(tags: Mapping[str, str]) -> list[str]:
    """The prefixes a trigger's tags name (none without the tag)."""
    return (tags.get(SOURCE_TAG) or "").split()


def check_event_sources(tags: Mapping[str, str]) -> None:
    """``InvalidInputException`` unless every prefix in the tag is an ``s3://bucket/…`` address."""
    for prefix in event_sources(tags):
        problem = ""
        if not is_s3(prefix):
            problem = "it is not an s3:// address"
        else:
            try:
                parse_s3(prefix)
            except StorageError as error:
                problem = str(error)
        if problem:
            raise InvalidInputException(
                f"Tag {SOURCE_TAG} = {prefix!r}: {problem}; give the prefix whose new objects "
                "fire the trigger, e.g. s3://my-app-bucket/orders/"
            )


def created_objects(payload: Mapping[str, Any]) -> list[ObjectVersion]:
    """The objects created in an S3 event notification (``{"Records": [...]}``, as S3 and
    MinIO's webhook targets send it); other events (removals, test events) are ignored."""
    records = payload.get("Records")
    if not isinstance(records, list):
        raise ValueError('expected an S3 event notification: {"Records": [...]}')
    found = []
    for index, record in enumerate(records):
        name = str(record.get("eventName", "")) if isinstance(record, dict) else ""
        # AWS writes "ObjectCreated:Put", MinIO "s3:ObjectCreated:Put".
        if not name.removeprefix("s3:").startswith("ObjectCreated:"):
            continue
        s3 = _member(record, "s3")
        bucket = _member(s3, "bucket").get("name")
        item = _member(s3, "object")
        if not bucket or not item.get("key"):
            raise ValueError(f"Records[{index}] has no s3.bucket.name or s3.object.key")
        # Keys arrive URL-encoded, with '+' for spaces, as S3 documents.
        key = urllib.parse.unquote_plus(str(item["key"]))
        version = item.get("eTag") or item.get("sequencer") or record.get("eventTime") or ""
        found.append(ObjectVersion(f"s3://{bucket}/{key}", str(version).strip('"')))
    return found


def _member(parent: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    found = parent.get(name)
    return found if isinstance(found, dict) else {}


class EventRouter:
    """Routes new objects to the ACTIVATED EVENT triggers whose prefixes they are under."""

    def __init__(self, store: TriggerEventStore, tags: TagService, batches: EventBatches):
        self.store = store
        self.tags = tags
        self.batches = batches
        self._warned: set[tuple[str, str]] = set()  # bad tags, reported once each

    def sources(self) -> list[tuple[str, str]]:
        """(trigger name, prefix) of every ACTIVATED EVENT trigger's prefixes."""
        found = []
        for trigger in self.store.event_triggers():
            for prefix in event_sources(self.tags.of("trigger", trigger.name)):
                if is_s3(prefix):
                    found.append((trigger.name, prefix))
                elif (trigger.name, prefix) not in self._warned:
                    self._warned.add((trigger.name, prefix))
                    log.warning(
                        "trigger %s: ignoring %s = %r: not an s3:// prefix",
                        trigger.name,
                        SOURCE_TAG,
                        prefix,
                    )
        return found

    def route(self, objects: Iterable[ObjectVersion]) -> int:
        """Record each object as an event of every trigger listening under it; how many events
        were new (an object already recorded for a trigger is not a new event)."""
        listening = self.sources()
        by_trigger: dict[str, list[NewEvent]] = {}
        for item in objects:
            for trigger_name, prefix in listening:
                if item.address.startswith(prefix):
                    by_trigger.setdefault(trigger_name, []).append(item.event())
        return sum(self.receive(name, events) for name, events in by_trigger.items())

    def receive(self, trigger_name: str, events: Sequence[NewEvent]) -> int:
        return self.batches.receive(trigger_name, events)
