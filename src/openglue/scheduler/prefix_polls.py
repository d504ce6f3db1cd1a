"""Polling the prefixes of EVENT triggers: what is new under them since the last look.

One thread per server lists every ACTIVATED EVENT trigger's prefix — in the embedded buckets
(``<data dir>/buckets``) or on the S3 endpoint (ListObjectsV2) — each ``interval`` seconds,
or at once when file-system notifications say an embedded bucket changed. What it saw is kept
in the store, as the trigger's events, so a restarted server fires for the objects written
while it was down and never again for the ones it had seen.

Activating a trigger takes stock (so does the first look at a prefix added later by tagging):
objects already there then are not new. Files in an embedded bucket modified in the last
``settle`` seconds are left for the next look, so a file still being written is one event once
complete, not one per write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from awsglue.storage import parse_s3
from openglue.scheduler.event_sources import EventRouter, ObjectVersion
from openglue.scheduler.wakeable_loop import WakeableLoop
from openglue.storage.local_objects import LocalObjectSource
from openglue.storage.s3_objects import S3Endpoint
from openglue.store.trigger_events import TriggerEventStore

log = logging.getLogger("openglue.scheduler")

SETTLE_SECONDS = 1.0


def local_objects(buckets: Path, prefix: str, settle: float) -> tuple[list[ObjectVersion], bool]:
    """The settled objects under ``prefix`` in the embedded buckets, and whether some were
    left out for not being settled yet."""
    parsed = parse_s3(prefix)
    folder, _, _ = parsed.key.rpartition("/")
    root = buckets / parsed.bucket / folder
    if not root.is_dir():
        return [], False
    base = f"s3://{parsed.bucket}/{folder + '/' if folder else ''}"
    recent = time.time() - settle
    found, unsettled = [], False
    for item in LocalObjectSource(root, base).list():
        address = base + item.key
        if not address.startswith(prefix):
            continue
        if item.modified > recent:
            unsettled = True
            continue
        found.append(ObjectVersion(address, f"{item.size}:{item.modified:.6f}"))
    return found, unsettled


def s3_objects(endpoint: S3Endpoint, prefix: str) -> list[ObjectVersion]:
    """The objects under ``prefix`` on the S3 endpoint; their ETag tells versions apart."""
    parsed = parse_s3(prefix)
    paginator = endpoint.client().get_paginator("list_objects_v2")
    found = []
    for page in paginator.paginate(Bucket=parsed.bucket, Prefix=parsed.key):
        for item in page.get("Contents", []):
            if item["Key"].endswith("/"):
                continue  # a "folder" marker, never data
            address = f"s3://{parsed.bucket}/{item['Key']}"
            found.append(ObjectVersion(address, str(item.get("ETag", "")).strip('"')))
    return found


class PrefixPolls(WakeableLoop):
    def __init__(
        self,
        store: TriggerEventStore,
        router: EventRouter,
        buckets: Path,
        endpoint: S3Endpoint | None,
        interval: float,
        now: Callable[[], float],
        settle: float = SETTLE_SECONDS,
    ) -> None:
        super().__init__("event-polls", "event polls")
        self.store = store
        self.router = router
        self.buckets = buckets
        self.endpoint = endpoint
        self.interval = interval
        self.now = now  # the scheduler's clock, for the time a stock-taking is recorded
        self.settle = settle
        self._known: dict[tuple[str, str], set[str]] = {}
        # Called once, the first time there is a prefix to watch: file-system notifications
        # start only when some EVENT trigger needs them.
        self.on_first_source: Callable[[], object] | None = None

    def start(self) -> None:
        if self.interval > 0:  # 0 turns polling off
            super().start()

    def _step(self) -> float:
        # A file not settled yet is looked at again as soon as it may be.
        return self.settle if self.poll() else self.interval

    def _error_pause(self) -> float:
        return self.interval

    def poll(self) -> bool:
        """One look at every prefix; whether a file was left out for not being settled."""
        unsettled = False
        sources = self.router.sources()
        if sources and self.on_first_source is not None:
            first, self.on_first_source = self.on_first_source, None
            first()
        for trigger_name, prefix in sources:
            try:
                objects, waiting = self._list(prefix)
            except Exception as error:  # an unreachable endpoint must not stop other prefixes
                log.warning("trigger %s: cannot list %s: %s", trigger_name, prefix, error)
                continue
            unsettled = unsettled or waiting
            self._take_in(trigger_name, prefix, objects)
        return unsettled

    def take_stock(self, trigger_name: str) -> None:
        """Record what is under a just-activated trigger's prefixes as already there: only
        objects that appear from now on are its events."""
        for name, prefix in self.router.sources():
            if name != trigger_name:
                continue
            try:
                objects, _ = self._list(prefix, settle=0.0)
            except Exception as error:  # the first poll will take stock instead
                log.warning("trigger %s: cannot list %s: %s", trigger_name, prefix, error)
                continue
            self._start_watch(trigger_name, prefix, objects)
        self.wake()  # the poll thread starts notifications, if this is the first prefix

    def _list(self, prefix: str, settle: float | None = None) -> tuple[list[ObjectVersion], bool]:
        if self.endpoint is None:
            return local_objects(self.buckets, prefix, self.settle if settle is None else settle)
        return s3_objects(self.endpoint, prefix), False

    def _start_watch(self, trigger_name: str, prefix: str, objects: list[ObjectVersion]) -> None:
        events = [o.event() for o in objects]
        self.store.start_watch(trigger_name, prefix, events, self.now())
        self._known.pop((trigger_name, prefix), None)
        log.info("trigger %s: watching %s (%d objects there)", trigger_name, prefix, len(events))

    def _take_in(self, trigger_name: str, prefix: str, objects: list[ObjectVersion]) -> None:
        if not self.store.is_watched(trigger_name, prefix):
            self._start_watch(trigger_name, prefix, objects)
            return
        known = self._known.get((trigger_name, prefix))
        if known is None:
            known = self._known[(trigger_name, prefix)] = self.store.known_ids(trigger_name, prefix)
        new = [e for e in (o.event() for o in objects) if e.event_id not in known]
        if new:
            self.router.receive(trigger_name, new)
            known.update(e.event_id for e in new)
