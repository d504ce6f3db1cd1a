"""The Glue client, made while the engine starts instead of after it.

Creating a boto3 client costs about a third of a second (importing boto3, loading the service
model), and a Glue script nearly always reads the catalog right after its session is up. The
engine starts its session mostly outside Python (Sail's server, the JVM), so a thread that
builds the client meanwhile hides that cost. The client is handed out once, and only while the
AWS_* environment it was made from is unchanged; otherwise a fresh one is made as before.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from typing import Any

__all__ = ["prefetch", "take"]

_lock = threading.Lock()
_pending: tuple[tuple[tuple[str, str], ...], Future[Any]] | None = None


def _aws_environment() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("AWS_")))


def prefetch() -> None:
    """Start making the default Glue client in a daemon thread (once until it is taken)."""
    global _pending
    with _lock:
        if _pending is not None:
            return
        future: Future[Any] = Future()
        _pending = (_aws_environment(), future)

    def build() -> None:
        from awsglue.catalog import new_glue_client

        try:
            future.set_result(new_glue_client())
        except BaseException as error:  # reported to the taker, who builds its own
            future.set_exception(error)

    threading.Thread(target=build, name="glue-client-prefetch", daemon=True).start()


def take() -> Any | None:
    """The prefetched client if there is one for the current environment, else None."""
    global _pending
    with _lock:
        pending, _pending = _pending, None
    if pending is None:
        return None
    environment, future = pending
    if environment != _aws_environment():
        return None
    try:
        return future.result()
    except Exception:
        return None  # the caller builds one itself and sees the error there
