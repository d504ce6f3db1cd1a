"""Building EVENT triggers' parts and connecting them to the scheduler and the server."""

from __future__ import annotations

from dataclasses import dataclass

from openglue.catalog.tags import TagService
from openglue.scheduler.event_batches import EventBatches
from openglue.scheduler.event_sources import EventRouter
from openglue.scheduler.local_notifications import LocalNotifications
from openglue.scheduler.loop import Scheduler
from openglue.scheduler.prefix_polls import PrefixPolls
from openglue.scheduler.triggers import TriggerService
from openglue.settings import ServerSettings
from openglue.storage.sources import s3_endpoint
from openglue.store.sql import SqlStore
from openglue.store.trigger_events import SqlTriggerEventStore


@dataclass
class EventTriggers:
    batches: EventBatches  # receive(): events in; fire_batch(): a batch out, once
    router: EventRouter  # route(): new objects to the triggers listening under them
    polls: PrefixPolls
    notifications: LocalNotifications | None  # None with an S3 endpoint: nothing to watch

    def start(self) -> None:
        if self.notifications is not None:
            self.polls.on_first_source = self.notifications.start
        self.polls.start()

    def stop(self) -> None:
        if self.notifications is not None:
            self.notifications.stop()
        self.polls.stop()


def build_event_triggers(
    sql: SqlStore,
    triggers: TriggerService,
    scheduler: Scheduler,
    tags: TagService,
    settings: ServerSettings,
) -> EventTriggers:
    store = SqlTriggerEventStore(sql)
    batches = EventBatches(store, triggers.firing, scheduler.clock, scheduler.wake)
    scheduler.event_batches = batches
    router = EventRouter(store, tags, batches)
    endpoint = s3_endpoint(settings)
    buckets = settings.data_dir.resolve() / "buckets"
    polls = PrefixPolls(
        store, router, buckets, endpoint, settings.event_poll_seconds, scheduler.clock.now
    )
    triggers.on_activated.append(polls.take_stock)
    notifications = LocalNotifications(buckets, polls.wake) if endpoint is None else None
    return EventTriggers(batches, router, polls, notifications)
