"""Spark sessions for the runtime tests: one per engine per test process, shared by all tests.

A classic session costs seconds to start, so each engine's session is started once, on first
use, and kept for the whole test process. Tests ask for ``glue_context`` (parametrized over
both engines) or ``spark_glue_context`` / ``sail_glue_context`` for one engine.

Both engines live in one test process here, which a job never does: PySpark's functions module
builds classic or Connect columns according to process-wide environment flags
(``SPARK_CONNECT_MODE_ENABLED``, ``SPARK_REMOTE``), so every test sets them for its engine and
restores them afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

ENGINES = ("spark", "sail")
_CONNECT_FLAGS = ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE")
_sessions: dict[str, Any] = {}


def _set_mode(engine: str) -> None:
    for flag in _CONNECT_FLAGS:
        os.environ.pop(flag, None)
    if engine != "spark":
        os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"


def engine_session(engine: str) -> Any:
    """The shared session of ``engine`` (started on first use) with the process set for it."""
    from awsglue.engine import resolve_engine, start_session

    _set_mode(engine)
    if engine not in _sessions:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        env = {"OPENGLUE_ENGINE": engine, "OPENGLUE_SPARK_MASTER": "local[2]"}
        _sessions[engine] = start_session(resolve_engine(env, []))
    return _sessions[engine]


@pytest.fixture(scope="session", autouse=True)
def _stop_sessions() -> Iterator[None]:
    saved = {flag: os.environ.get(flag) for flag in _CONNECT_FLAGS}
    yield
    for engine, session in _sessions.items():
        _set_mode(engine)
        session.stop()
    _sessions.clear()
    for flag, value in saved.items():
        if value is None:
            os.environ.pop(flag, None)
        else:
            os.environ[flag] = value


def _glue_context(engine: str) -> Iterator[Any]:
    from awsglue.context import GlueContext

    saved = {flag: os.environ.get(flag) for flag in _CONNECT_FLAGS}
    context = GlueContext(engine_session(engine))
    yield context
    for flag, value in saved.items():
        if value is None:
            os.environ.pop(flag, None)
        else:
            os.environ[flag] = value


@pytest.fixture(params=ENGINES)
def glue_context(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A GlueContext on each engine in turn."""
    yield from _glue_context(request.param)


@pytest.fixture
def spark_glue_context() -> Iterator[Any]:
    yield from _glue_context("spark")


@pytest.fixture
def sail_glue_context() -> Iterator[Any]:
    yield from _glue_context("sail")


@pytest.fixture
def bucket_home(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh OPENGLUE_HOME (embedded buckets under it) with no S3 endpoint configured."""
    home = tmp_path / "home"
    monkeypatch.setenv("OPENGLUE_HOME", str(home))
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    return home
