"""``SparkContext()`` for Glue scripts when the engine is Spark Connect.

Glue scripts start with ``sc = SparkContext(); glueContext = GlueContext(sc)``. Spark Connect
has no SparkContext: the client holds only a session. So on a Connect engine (``OPENGLUE_ENGINE``
is ``sail`` or an ``sc://`` URL), importing ``awsglue.context`` installs this shim:
``SparkContext()`` and ``SparkContext.getOrCreate()`` return a ``ConnectSparkContext`` bound to
the process's session instead of launching a JVM.

What the stand-in offers: ``version``, ``appName``, ``master``, ``defaultParallelism``,
``setLogLevel`` (applied to the ``awsglue`` loggers; the engine keeps its own),
``getConf()``/``conf`` entries passed at construction (``spark.sql.*`` ones are applied to the
session), ``broadcast(value)`` (a holder whose ``.value`` travels with the closures of record
functions), ``stop()``. Everything else a SparkContext does is about RDDs or the JVM
(``parallelize``, ``textFile``, ``_jsc`` …): those raise ``RddUnavailableError``, which says to
run the job with ``OPENGLUE_ENGINE=spark``.

The shim patches pyspark's ``SparkContext`` class in place rather than rebinding the name, so a
script that imported ``SparkContext`` before ``awsglue.context`` gets it too. Classic engines are
never patched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["ConnectSparkContext", "RddUnavailableError", "install", "installed", "uninstall"]

log = logging.getLogger("awsglue.spark_context")

T = TypeVar("T")


class RddUnavailableError(RuntimeError):
    """A SparkContext feature (RDDs, the JVM) that Spark Connect engines do not have."""


@dataclass
class Broadcast(Generic[T]):
    """What ``sc.broadcast(value)`` returns on Connect: the value, shipped with closures."""

    value: T

    def unpersist(self, blocking: bool = False) -> None:
        """Nothing to release: the value lives in the closures that use it."""

    def destroy(self, blocking: bool = False) -> None:
        """Nothing to release: the value lives in the closures that use it."""


class ConnectSparkContext:
    """Stands in for ``pyspark.SparkContext`` on a Spark Connect engine."""

    def __init__(
        self,
        master: str | None = None,
        appName: str | None = None,
        conf: Any = None,
        **_ignored: Any,
    ) -> None:
        from awsglue.engine import get_spark_session

        self._session: SparkSession = get_spark_session()
        self._conf: dict[str, str] = dict(conf.getAll()) if conf is not None else {}
        self.appName = appName or self._conf.get("spark.app.name", "openglue")
        self.master = master or "connect"
        for key, value in self._conf.items():
            if key.startswith("spark.sql."):
                self._session.conf.set(key, value)

    @property
    def version(self) -> str:
        return str(self._session.version)

    @property
    def defaultParallelism(self) -> int:
        value = self._session.conf.get("spark.default.parallelism", None)
        if value:
            return int(value)
        import os

        return os.cpu_count() or 1

    @property
    def sparkSession(self) -> SparkSession:
        return self._session

    def setLogLevel(self, logLevel: str) -> None:
        level = {"ALL": "DEBUG", "TRACE": "DEBUG", "FATAL": "CRITICAL", "OFF": "CRITICAL"}.get(
            logLevel.upper(), logLevel.upper()
        )
        logging.getLogger("awsglue").setLevel(level)

    def getConf(self) -> Any:
        from pyspark.conf import SparkConf

        conf = SparkConf(loadDefaults=False)
        for key, value in self._conf.items():
            conf.set(key, value)
        conf.setAppName(self.appName)
        return conf

    def broadcast(self, value: T) -> Broadcast[T]:
        return Broadcast(value)

    def stop(self) -> None:
        self._session.stop()

    def __enter__(self) -> ConnectSparkContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise RddUnavailableError(
            f"SparkContext.{name} needs Spark's RDD API, which Spark Connect engines do not"
            " have; use the DataFrame API (glueContext.spark_session) or run the job on"
            " classic Spark with OPENGLUE_ENGINE=spark"
        )


_installed = False
_originals: dict[str, Any] = {}


def installed() -> bool:
    return _installed


def install() -> None:
    """Make ``SparkContext()`` and ``SparkContext.getOrCreate()`` return the stand-in."""
    global _installed
    if _installed:
        return
    from pyspark.core.context import SparkContext

    def new(cls: type, *args: Any, **kwargs: Any) -> ConnectSparkContext:
        return ConnectSparkContext(*args, **kwargs)

    def get_or_create(cls: type, conf: Any = None) -> ConnectSparkContext:
        return ConnectSparkContext(conf=conf)

    for name in ("__new__", "getOrCreate"):
        if name in SparkContext.__dict__:
            _originals[name] = SparkContext.__dict__[name]
    # __new__ returning a non-instance means SparkContext.__init__ (the JVM launch) never runs.
    SparkContext.__new__ = new  # type: ignore[method-assign,assignment]
    SparkContext.getOrCreate = classmethod(get_or_create)  # type: ignore[method-assign,assignment]
    _installed = True
    log.debug("SparkContext() now returns the Spark Connect stand-in")


def uninstall() -> None:
    """Give pyspark its own ``SparkContext`` back (tests use this)."""
    global _installed
    if not _installed:
        return
    from pyspark.core.context import SparkContext

    for name in ("__new__", "getOrCreate"):
        if name in _originals:
            setattr(SparkContext, name, _originals.pop(name))
        else:
            delattr(SparkContext, name)
    _installed = False
