"""Run the API server: bind, announce the endpoint, serve until SIGTERM/SIGINT, close cleanly."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette

from openglue.api.app import build_app
from openglue.services import build_services
from openglue.settings import ServerSettings
from openglue.store.migrations import SchemaTooNewError

log = logging.getLogger("openglue.server")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises SIGTERM after its graceful shutdown, which would turn a clean stop
        # into exit status -15; we only want the graceful shutdown.
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say
    # so, and with Nagle on, every answer waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(
            f"openglue: cannot listen on {host}:{port} ({exc.strerror}); pick another --port "
            "or stop whatever is using it"
        ) from None
    sock.listen(512)
    return sock


def endpoint_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def serve(settings: ServerSettings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        services = build_services(settings)
    except SchemaTooNewError as exc:
        raise SystemExit(f"openglue: {exc}") from None
    except SQLAlchemyError as exc:
        raise SystemExit(
            f"openglue: cannot open the catalog store ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0]}); check --store-url / OPENGLUE_STORE_URL"
        ) from None
    sock = _bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    url = endpoint_url(settings.host, port)
    app = build_app(services)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Job processes call back on this URL, known only now that the socket is bound; runs
        # that an earlier server left behind are taken over before the first request.
        services.start_job_runs(url)
        # Printed only once the server accepts requests, so scripts can wait for this line.
        print(f"OpenGlue {settings.store_summary} is ready.", flush=True)
        print(f"AWS_ENDPOINT_URL={url}", flush=True)
        yield
        log.info("shutting down")

    app.router.lifespan_context = lifespan
    config = uvicorn.Config(
        app,
        log_level=settings.log_level if settings.log_level != "debug" else "debug",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    try:
        _Server(config).run(sockets=[sock])
    finally:
        services.close()
        sock.close()
    print("OpenGlue server stopped.", flush=True)
