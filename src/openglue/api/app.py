"""The HTTP boundary: AWS JSON 1.1 over ``POST /``.

This is the one place where errors become wire answers: ``{"__type", "Message"}`` with the
``x-amzn-ErrorType`` header, 400 for client faults and 500 only for InternalServiceException.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from openglue import __version__
from openglue.api import private_ops, service_model
from openglue.api.dispatch import RequestContext, handler_for
from openglue.api.s3_events import s3_events_route
from openglue.api.serialization import to_wire
from openglue.api.sigv4 import verify_request
from openglue.api.validation import validate_input
from openglue.errors import (
    GlueError,
    InternalServiceException,
    InvalidInputException,
    InvalidParameterException,
    OperationNotSupportedException,
    RequestEntityTooLargeException,
    SerializationException,
    UnknownOperationException,
)
from openglue.services import Services

log = logging.getLogger("openglue.api")

# X-Amz-Target prefix → botocore service name. CloudWatch Logs serves the job runs' logs.
TARGET_PREFIXES = {"AWSGlue": "glue", "Logs_20140328": "logs"}
# What each service calls a request that does not fit its model.
VALIDATION_ERRORS: dict[str, type[GlueError]] = {"logs": InvalidParameterException}
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"


def _json_response(
    status: int, payload: Any, request_id: str, error: str | None = None
) -> Response:
    headers = {"x-amzn-RequestId": request_id}
    if error:
        headers["x-amzn-ErrorType"] = error
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(body, status_code=status, headers=headers, media_type=JSON_CONTENT_TYPE)


def error_response(error: GlueError, request_id: str) -> Response:
    payload = {"__type": error.code, "Message": error.message}
    return _json_response(error.status, payload, request_id, error.code)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestEntityTooLargeException(
            f"Request body of {declared} bytes is larger than the {limit}-byte limit"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestEntityTooLargeException(
                f"Request body is larger than the {limit}-byte limit"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _resolve_target(target: str | None) -> tuple[str, str]:
    if not target:
        raise UnknownOperationException(
            "Missing X-Amz-Target header: send POST / with X-Amz-Target: AWSGlue.<Operation>"
        )
    prefix, _, name = target.partition(".")
    if prefix == private_ops.TARGET_PREFIX:
        return private_ops.resolve(name)
    service = TARGET_PREFIXES.get(prefix)
    if service is None or not name:
        raise UnknownOperationException(f"Unknown X-Amz-Target {target!r}")
    if name not in service_model.operation_names(service):
        raise UnknownOperationException(f"{name} is not an operation of the {service} API")
    return service, name


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity (and 1e999 overflows to inf); JSON has no such
    # numbers, and echoing them back would hand clients a body they cannot parse.
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _reject_constant(text)
    return value


def _parse_json(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SerializationException(f"Request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise SerializationException("Request body is nested too deeply") from None
    if not isinstance(parsed, dict):
        raise SerializationException("Request body must be a JSON object")
    if _has_lone_surrogate(parsed):
        raise SerializationException(
            "Request body has an unpaired surrogate (as a \\u escape or encoded), which is not "
            "Unicode text"
        )
    return parsed


def _has_lone_surrogate(parsed: dict[str, Any]) -> bool:
    # json.loads lets them through, both as \u escapes and as encoded bytes (it decodes with
    # "surrogatepass"). Stored, one would make every later answer that includes it
    # unencodable: a single bad request would break the listing for everybody.
    try:
        json.dumps(parsed, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


def build_app(services: Services) -> Starlette:
    settings = services.settings

    async def api(request: Request) -> Response:
        request_id = str(uuid.uuid4())
        started = time.perf_counter()
        op_name = "-"
        try:
            body = await _read_body(request, settings.max_body_bytes)
            service, op_name = _resolve_target(request.headers.get("x-amz-target"))
            access_key = None
            if settings.auth_enabled:
                access_key = verify_request(
                    method=request.method,
                    # SigV4 signs the path as sent (still percent-encoded), not the decoded one.
                    path=request.scope.get("raw_path", b"/").decode("latin-1"),
                    query=request.url.query,
                    headers=request.headers,
                    body=body,
                    keys=settings.access_keys,
                    now=time.time(),
                )
            payload = _parse_json(body)
            handler = handler_for(service, op_name)
            if handler is None:
                raise OperationNotSupportedException(
                    f"OpenGlue does not implement {op_name} yet; docs/coverage.md lists the "
                    "operations it does implement"
                )
            context = RequestContext(services, request_id, access_key)
            if service == private_ops.SERVICE:  # not in botocore's model: checked by hand
                private_ops.validate(op_name, payload)
                result = await run_in_threadpool(handler, context, payload)
                response = _json_response(200, result or {}, request_id)
            else:
                op_model = service_model.operation(service, op_name)
                validate_input(
                    op_model.input_shape,
                    payload,
                    VALIDATION_ERRORS.get(service, InvalidInputException),
                )
                result = await run_in_threadpool(handler, context, payload)
                wire = to_wire(op_model.output_shape, result or {})
                response = _json_response(200, wire, request_id)
        except GlueError as exc:
            response = error_response(exc, request_id)
        except Exception:
            log.exception("internal error in %s (request %s)", op_name, request_id)
            response = error_response(
                InternalServiceException(
                    f"Internal error while running {op_name}; the server log has the details "
                    f"under request id {request_id}"
                ),
                request_id,
            )
        log.info(
            "%s %d %.1fms %s",
            op_name,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            request_id,
        )
        return response

    async def health(request: Request) -> Response:
        return JSONResponse({"service": "openglue", "version": __version__, "status": "ok"})

    return Starlette(
        routes=[
            Route("/", api, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
            s3_events_route(services),
        ]
    )
