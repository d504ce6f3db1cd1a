"""``POST /events/s3``: S3 event notifications in, EVENT trigger events out.

S3-compatible stores that can notify (MinIO's webhook targets, Ceph's HTTP endpoints) post the
standard event JSON here: ``{"Records": [{"eventName": "s3:ObjectCreated:Put", "s3":
{"bucket": {"name": …}, "object": {"key": …, "eTag": …}}}]}``. Each created object becomes an
event of every ACTIVATED EVENT trigger whose ``openglue:event-source`` prefix it is under.

This is not the Glue API, so answers are plain JSON: 200 with what was taken in, 400 with what
is wrong with the payload, 401 without the shared secret (``--event-webhook-token``), which
MinIO sends as its ``auth_token``.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from openglue.scheduler.event_sources import created_objects
from openglue.services import Services

log = logging.getLogger("openglue.api")

PATH = "/events/s3"


def _authorized(request: Request, token: str) -> bool:
    if not token:
        return True
    given = request.headers.get("authorization", "")
    given = given[len("bearer ") :] if given.lower().startswith("bearer ") else given
    return hmac.compare_digest(given.strip().encode(), token.encode())


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it is larger than ``limit`` (never read whole)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def s3_events_route(services: Services) -> Route:
    settings = services.settings

    async def receive(request: Request) -> Response:
        if not _authorized(request, settings.event_webhook_token):
            return JSONResponse(
                {
                    "error": "missing or wrong token: send 'Authorization: Bearer <token>' with "
                    "the server's --event-webhook-token"
                },
                status_code=401,
            )
        body = await _read_limited(request, settings.max_body_bytes)
        if body is None:
            limit = settings.max_body_bytes
            return JSONResponse({"error": f"larger than the {limit}-byte limit"}, 413)
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError('expected a JSON object: {"Records": [...]}')
            objects = created_objects(payload)
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            return JSONResponse({"error": f"not an S3 event notification: {error}"}, 400)
        events = await run_in_threadpool(services.events.router.route, objects)
        log.info("S3 notification: %d created object(s), %d new event(s)", len(objects), events)
        return JSONResponse({"objects": len(objects), "events": events})

    return Route(PATH, receive, methods=["POST"])
