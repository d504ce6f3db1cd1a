"""Shared fixtures: a real server process, boto3 clients, and both store backends."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openglue.store.migrations import migrate
from openglue.store.sql import SqlStore
from tests.support.postgres import PostgresServer, start_postgres
from tests.support.s3_server import S3Server, start_s3_server
from tests.support.server import RunningServer, start_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if os.environ.get("OPENGLUE_TEST_PG_URL"):
        pytest.skip("using an external PostgreSQL is not wired for this fixture")
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A migrated, empty store on each backend: the contract suites run against both."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'catalog.db'}"
    else:
        pg: PostgresServer = request.getfixturevalue("postgres")
        url = pg.create_database("t_" + uuid.uuid4().hex[:12])
    store = SqlStore(url)
    migrate(store)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3-protocol server (moto's, in its own process) shared by the session."""
    running = start_s3_server()
    yield running
    running.stop()


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A new, empty bucket on ``s3_server``."""
    name = "b-" + uuid.uuid4().hex[:12]
    s3_server.create_bucket(name)
    return name


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One real ``openglue server`` process (SQLite store) shared by the black-box tests."""
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def glue(server: RunningServer) -> Any:
    return server.client()


@pytest.fixture
def unique_name() -> str:
    return "t" + uuid.uuid4().hex[:10]
