"""The job-run state machine (reference §7.2), as data.

Each event that can happen to a run maps the states it may happen in to the state it leads
to. Nothing else decides where a run goes next: the services and the supervisor ask
``next_state`` and then compare-and-set the result in the store, so an event that arrives in
a state where it means nothing (a stop for a run that has just succeeded) changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from openglue.store.job_runs import LIVE_STATES, SLOT_STATES


class RunState(StrEnum):
    WAITING = "WAITING"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"


class Event(StrEnum):
    SLOT_FREED = "slot freed"  # a queued run may start
    QUEUE_EXPIRED = "waited past its Timeout"  # a queued run never got a slot in time
    SPAWNED = "spawned"  # its process exists
    SPAWN_FAILED = "spawn failed"  # the script could not be found or started
    EXITED_OK = "exited with status 0"
    EXITED_WITH_ERROR = "exited with a non-zero status"
    TIMED_OUT = "ran past its Timeout"  # reported once the process group is gone
    STOP_REQUESTED = "stop requested"  # BatchStopJobRun
    PROCESS_ENDED = "process ended"  # after a stop: the process group is gone
    SERVER_LOST = "server lost"  # found after a restart with no process and no exit status


S = RunState
TRANSITIONS: dict[Event, dict[RunState, RunState]] = {
    Event.SLOT_FREED: {S.WAITING: S.STARTING},
    Event.QUEUE_EXPIRED: {S.WAITING: S.EXPIRED},
    Event.SPAWNED: {S.STARTING: S.RUNNING},
    Event.SPAWN_FAILED: {S.STARTING: S.FAILED},
    Event.EXITED_OK: {S.RUNNING: S.SUCCEEDED},
    Event.EXITED_WITH_ERROR: {S.RUNNING: S.FAILED},
    Event.TIMED_OUT: {S.RUNNING: S.TIMEOUT},
    # A queued run has no process: it is stopped at once.
    Event.STOP_REQUESTED: {
        S.WAITING: S.STOPPED,
        S.STARTING: S.STOPPING,
        S.RUNNING: S.STOPPING,
        S.STOPPING: S.STOPPING,
    },
    Event.PROCESS_ENDED: {S.STOPPING: S.STOPPED},
    Event.SERVER_LOST: {S.STARTING: S.FAILED, S.RUNNING: S.FAILED, S.STOPPING: S.STOPPED},
}

TERMINAL = frozenset({S.STOPPED, S.SUCCEEDED, S.FAILED, S.TIMEOUT, S.ERROR, S.EXPIRED})
# The store counts these; they must be the machine's non-terminal states.
SLOT_HOLDERS = frozenset(RunState(s) for s in SLOT_STATES)
LIVE = frozenset(RunState(s) for s in LIVE_STATES)


def next_state(state: str, event: Event) -> RunState | None:
    """Where ``event`` takes a run in ``state``; ``None`` when it does not apply there."""
    return TRANSITIONS[event].get(RunState(state))


def sources(event: Event) -> tuple[RunState, ...]:
    """The states in which ``event`` applies: what a compare-and-set should expect."""
    return tuple(TRANSITIONS[event])


def is_terminal(state: str) -> bool:
    return RunState(state) in TERMINAL


def exit_event(status: int) -> Event:
    return Event.EXITED_OK if status == 0 else Event.EXITED_WITH_ERROR
