"""The operation registry: which handler answers which ``(service, operation)``.

Handlers register with ``@operation("GetTable")``. A handler unpacks the validated request,
calls a service and returns plain data for the serializer; it holds no SQL and no rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openglue.services import Services

Body = dict[str, Any]


@dataclass(frozen=True)
class RequestContext:
    services: Services
    request_id: str
    access_key: str | None = None


Handler = Callable[[RequestContext, Body], Body | None]

_HANDLERS: dict[tuple[str, str], Handler] = {}


def operation(name: str, service: str = "glue") -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        key = (service, name)
        if key in _HANDLERS:
            raise RuntimeError(f"{service}:{name} is registered twice")
        _HANDLERS[key] = handler
        return handler

    return register


def handler_for(service: str, name: str) -> Handler | None:
    _load_handlers()
    return _HANDLERS.get((service, name))


def implemented_operations(service: str) -> frozenset[str]:
    _load_handlers()
    return frozenset(op for svc, op in _HANDLERS if svc == service)


def _load_handlers() -> None:
    # Importing the package registers every handler module exactly once.
    import openglue.api.handlers  # noqa: F401
