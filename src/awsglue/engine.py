"""The Spark engine a Glue script runs on, and the one ``SparkSession`` of the process.

Engines (``OPENGLUE_ENGINE``):

- ``spark`` (default): Apache Spark classic through PySpark's JVM. The master comes from the
  job arguments (``--conf spark.master=…``), else ``OPENGLUE_SPARK_MASTER``, else ``local[*]``;
  any Spark master URL works, which is how a job scales past one machine.
- ``sail``: an embedded Sail server (``pysail``) started in this process, reached through a
  Spark Connect session. It starts in well under a second and runs the DataFrame API natively.
- ``sc://host:port``: any running Spark Connect endpoint.

Classic Spark is the default because it is the reference for behaviour: the conformance suite
decides when the faster engine can become the default (DESIGN.md, decision 5).

The engine is a per-process choice. PySpark's functions module picks its Column flavour from
process-wide state, so a process that holds a Connect session cannot also use a classic one
(the test suite switches that state around explicitly; a job never needs to).

Every session gets Glue's defaults, each overridable with ``--conf key=value`` in the job
arguments: Parquet written with snappy (Glue's default; Sail would pick zstd), session time zone
UTC (Glue's JVMs run in UTC) and ANSI mode off (Glue runs Spark 3.5, where a bad cast gives
null rather than an error).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shlex
import shutil
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from awsglue import jdbc_drivers

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = [
    "ENGINE_ENV",
    "MASTER_ENV",
    "RUN_CONFS_ENV",
    "EngineError",
    "EngineSpec",
    "connect_url",
    "get_spark_session",
    "is_connect_session",
    "prepare_process",
    "resolve_engine",
    "spark_confs_from_args",
    "start_session",
]

log = logging.getLogger("awsglue.engine")

ENGINE_ENV = "OPENGLUE_ENGINE"
MASTER_ENV = "OPENGLUE_SPARK_MASTER"
RUN_CONFS_ENV = "OPENGLUE_RUN_SPARK_CONFS"
DEFAULT_MASTER = "local[*]"

GLUE_DEFAULT_CONFS: Mapping[str, str] = {
    "spark.sql.parquet.compression.codec": "snappy",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
}
# Classic only: files written as on S3 (no _SUCCESS markers, no .crc side files next to them
# in the local buckets), and no progress bars drawn into the job's log.
CLASSIC_CONFS: Mapping[str, str] = {
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.hadoop.fs.file.impl": "org.apache.hadoop.fs.RawLocalFileSystem",
    "spark.ui.showConsoleProgress": "false",
}
# Only for local masters: no web UI port to collide with other runs, no network exposure.
LOCAL_CLASSIC_CONFS: Mapping[str, str] = {
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}

EngineKind = Literal["spark", "sail", "remote"]


class EngineError(RuntimeError):
    """The engine cannot be chosen or started; the message says what to change."""


@dataclass(frozen=True)
class EngineSpec:
    """Which engine to start and with what settings."""

    kind: EngineKind
    master: str = DEFAULT_MASTER  # classic only
    url: str = ""  # remote only: sc://host:port
    confs: Mapping[str, str] = field(default_factory=dict)
    app_name: str = "openglue"

    @property
    def is_connect(self) -> bool:
        return self.kind != "spark"


def spark_confs_from_args(args: Sequence[str]) -> dict[str, str]:
    """The ``--conf key=value`` pairs of job arguments, later ones winning.

    Glue passes several as one value (``--conf a=1 --conf b=2``), so values are split too;
    ``--conf=key=value`` is accepted as well.
    """
    values: list[str] = []
    items = list(args)
    for index, item in enumerate(items):
        if item == "--conf" and index + 1 < len(items):
            values.append(items[index + 1])
        elif item.startswith("--conf="):
            values.append(item[len("--conf=") :])
    confs: dict[str, str] = {}
    for value in values:
        for part in value.split(" --conf "):
            key, sep, conf_value = part.strip().partition("=")
            if sep and key:
                confs[key.strip()] = conf_value.strip()
    return confs


def _job_name(args: Sequence[str]) -> str:
    items = list(args)
    for index, item in enumerate(items):
        if item == "--JOB_NAME" and index + 1 < len(items):
            return items[index + 1]
        if item.startswith("--JOB_NAME="):
            return item.split("=", 1)[1]
    return "openglue"


def _run_confs(env: Mapping[str, str]) -> dict[str, str]:
    """Settings an OpenGlue server made for this run (``RUN_CONFS_ENV``: the job's worker
    resources, its ``--extra-py-files``); the job's own ``--conf`` arguments win over them."""
    text = env.get(RUN_CONFS_ENV, "")
    if not text:
        return {}
    try:
        confs = json.loads(text)
    except ValueError:
        raise EngineError(f"{RUN_CONFS_ENV} is not a JSON object of Spark settings") from None
    if not isinstance(confs, dict):
        raise EngineError(f"{RUN_CONFS_ENV} is not a JSON object of Spark settings")
    return {str(key): str(value) for key, value in confs.items()}


def resolve_engine(env: Mapping[str, str], args: Sequence[str]) -> EngineSpec:
    """Choose the engine from the environment and the job arguments (no side effects)."""
    choice = env.get(ENGINE_ENV, "").strip() or "spark"
    confs = dict(GLUE_DEFAULT_CONFS)
    user_confs = spark_confs_from_args(args)
    name = _job_name(args)
    if choice.startswith("sc://"):
        return EngineSpec("remote", url=choice, confs={**confs, **user_confs}, app_name=name)
    if choice == "sail":
        return EngineSpec("sail", confs={**confs, **user_confs}, app_name=name)
    if choice != "spark":
        raise EngineError(
            f"{ENGINE_ENV}={choice!r} is not an engine: use 'spark' (Apache Spark, classic),"
            " 'sail' (embedded Sail through Spark Connect) or an sc://host:port URL"
        )
    master = user_confs.pop("spark.master", "") or env.get(MASTER_ENV, "") or DEFAULT_MASTER
    confs.update(CLASSIC_CONFS)
    if master.startswith("local"):
        confs.update(LOCAL_CLASSIC_CONFS)
    run_confs = _run_confs(env)
    if "spark.submit.pyFiles" in run_confs and user_confs.get("spark.submit.pyFiles"):
        user_confs["spark.submit.pyFiles"] += "," + run_confs.pop("spark.submit.pyFiles")
    confs.update(run_confs)
    merged = {**confs, **user_confs}
    merged.update(jdbc_drivers.classic_confs(env, merged))  # PostgreSQL/MySQL drivers
    return EngineSpec("spark", master=master, confs=merged, app_name=name)


def start_session(spec: EngineSpec) -> SparkSession:
    """Start (or join) a session on ``spec``'s engine. Prefer ``get_spark_session``."""
    if spec.kind == "spark":
        return _start_classic(spec)
    return _start_connect(connect_url(spec), spec)


def connect_url(spec: EngineSpec) -> str:
    """The Spark Connect URL of a Connect engine; for Sail, starts an embedded server."""
    return spec.url if spec.kind == "remote" else _start_sail()


def _start_classic(spec: EngineSpec) -> SparkSession:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError(
            "the 'spark' engine needs a Java runtime (17 or later) and none was found:"
            " install one (Debian: apt-get install default-jre-headless) or run with"
            f" {ENGINE_ENV}=sail"
        )
    from pyspark.sql import SparkSession

    existing = SparkSession.getActiveSession()
    if existing is not None:
        return existing  # the script made its own session: keep its settings
    builder = SparkSession.builder.master(spec.master).appName(spec.app_name)
    for key, value in spec.confs.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


_sail_servers: list[Any] = []


def _start_sail() -> str:
    # Sail logs every session at info, and a harmless warning when the process exits.
    os.environ.setdefault("RUST_LOG", "warn,sail_common::actor=error")
    from pysail.spark import SparkConnectServer

    server = SparkConnectServer("127.0.0.1", 0)
    server.start(background=True)
    address = server.listening_address
    if address is None:
        raise EngineError("the embedded Sail server did not start")
    _sail_servers.append(server)
    if len(_sail_servers) == 1:
        atexit.register(_stop_sail_servers)
    host, port = address
    return f"sc://{host}:{port}"


def _stop_sail_servers() -> None:
    while _sail_servers:
        _sail_servers.pop().stop()


def _start_connect(url: str, spec: EngineSpec) -> SparkSession:
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    # PySpark's functions build Connect columns only in this mode (what its generic builder
    # sets for a remote session).
    os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
    # Connect sessions implement the SparkSession API; PySpark types them separately.
    session = cast("SparkSession", ConnectSession.builder.remote(url).create())
    for key, value in spec.confs.items():
        try:
            session.conf.set(key, value)
        except Exception as error:  # a static or cluster-level setting the endpoint refuses
            log.warning(
                "Spark Connect endpoint %s refused --conf %s=%s: %s", url, key, value, error
            )
    return session


def is_connect_session(session: object) -> bool:
    """Whether ``session`` is a Spark Connect session (no SparkContext, no RDDs)."""
    return type(session).__module__.startswith("pyspark.sql.connect")


_lock = threading.Lock()
_session: SparkSession | None = None


def prepare_process(
    env: Mapping[str, str] | None = None, args: Sequence[str] | None = None
) -> None:
    """Get the process ready for the engine before the script touches PySpark.

    Python workers use this interpreter (``PYSPARK_PYTHON``). On classic Spark, a bare
    ``SparkContext()`` (as Glue scripts write it) gets the engine's master and settings through
    ``PYSPARK_SUBMIT_ARGS`` unless the caller set that already. On Connect engines,
    ``SparkContext()`` is replaced by the documented stand-in of ``awsglue.spark_context``.
    """
    spec = resolve_engine(os.environ if env is None else env, sys.argv if args is None else args)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if spec.is_connect:
        from awsglue import spark_context

        spark_context.install()
        return
    if spec.master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no "hostname resolves to" warning
    if "PYSPARK_SUBMIT_ARGS" not in os.environ:
        submit = ["--master", spec.master, "--name", spec.app_name]
        for key, value in spec.confs.items():
            submit += ["--conf", f"{key}={value}"]
        os.environ["PYSPARK_SUBMIT_ARGS"] = shlex.join([*submit, "pyspark-shell"])


def get_spark_session() -> SparkSession:
    """The SparkSession of this process, started on first use on the configured engine."""
    global _session
    with _lock:
        if _session is not None and not _is_stopped(_session):
            return _session
        prepare_process()
        spec = resolve_engine(os.environ, sys.argv)
        from awsglue import client_prefetch

        client_prefetch.prefetch()  # made while the session starts; see client_prefetch
        if spec.is_connect:
            url = connect_url(spec)
            session = _start_connect(url, spec)
            # Lets the script's own SparkSession.builder.getOrCreate() find this session.
            os.environ["SPARK_REMOTE"] = url
        else:
            session = _start_classic(spec)
        log.info("Spark session on engine %s ready", spec.url or spec.kind)
        _session = session
        return session


def _is_stopped(session: SparkSession) -> bool:
    if is_connect_session(session):
        return bool(getattr(session, "is_stopped", False))
    context = getattr(session, "_sc", None)
    return context is None or getattr(context, "_jsc", None) is None
