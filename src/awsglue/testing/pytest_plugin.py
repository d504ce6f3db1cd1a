"""pytest plugin: unit-test Glue scripts on a local engine, no server needed.

Registered through the ``pytest11`` entry point, so installing OpenGlue makes these fixtures
available to every test suite:

- ``glue_context``: a ``GlueContext`` on the local engine (one session for the whole test run);
- ``glue_spark_session``: that session;
- ``make_dynamic_frame``: ``make_dynamic_frame(rows, schema=None, name="rows")`` builds a
  DynamicFrame from Python dicts (``awsglue.testing.dynamic_frame_from_rows``).

The engine is ``--glue-engine`` (``sail``, ``spark`` or an ``sc://`` URL), else the
``OPENGLUE_ENGINE`` environment variable, else Sail: it starts in well under a second and needs
no Java. ``s3://`` paths go to local folders under ``OPENGLUE_HOME`` (a temporary folder for the
test run unless set). A suite's own fixture of the same name (in a conftest.py) overrides these.

Nothing heavy is imported until a test asks for a fixture, so suites that do not use them pay
nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

ENGINE_OPTION = "--glue-engine"
DEFAULT_ENGINE = "sail"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("awsglue", "Glue scripts (awsglue.testing)")
    group.addoption(
        ENGINE_OPTION,
        default=None,
        help="engine of the glue_context fixture: sail (default), spark, or an sc://host:port "
        "URL; the OPENGLUE_ENGINE environment variable is used when this is not given",
    )


def _engine(config: pytest.Config) -> str:
    chosen = config.getoption(ENGINE_OPTION)
    return str(chosen or os.environ.get("OPENGLUE_ENGINE") or DEFAULT_ENGINE)


@pytest.fixture(scope="session")
def glue_spark_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The SparkSession of the local engine, shared by the whole test run."""
    # The engine reads these from the environment; they are put back as they were at the end
    # so the user's other tests see the environment they set up.
    saved = {name: os.environ.get(name) for name in ("OPENGLUE_ENGINE", "OPENGLUE_HOME")}
    os.environ["OPENGLUE_ENGINE"] = _engine(request.config)
    os.environ.setdefault("OPENGLUE_HOME", str(tmp_path_factory.mktemp("openglue-home")))
    from awsglue import engine

    engine.prepare_process()
    session = engine.get_spark_session()
    yield session
    session.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def glue_context(glue_spark_session: Any) -> Any:
    """A GlueContext on the local engine (see the module documentation)."""
    from awsglue.context import GlueContext

    return GlueContext(glue_spark_session)


@pytest.fixture
def make_dynamic_frame(glue_context: Any) -> Callable[..., Any]:
    """``make_dynamic_frame(rows, schema=None, name="rows")``: a DynamicFrame of ``rows``."""
    from awsglue.testing.frames import dynamic_frame_from_rows

    def make(rows: Any, schema: Any = None, name: str = "rows") -> Any:
        return dynamic_frame_from_rows(glue_context, rows, schema, name)

    return make
