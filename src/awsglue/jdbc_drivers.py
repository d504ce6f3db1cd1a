"""The JDBC driver jars classic Spark loads, so that PostgreSQL and MySQL work without Maven.

OpenGlue's set-up installs Debian's ``libpostgresql-jdbc-java`` and ``libmariadb-java``, whose
jars land in ``/usr/share/java``. ``OPENGLUE_JDBC_JARS`` (jar paths separated by commas or the
path separator) replaces that list, e.g. to add Oracle's or Microsoft's driver; an empty value
loads none. Jars the list names but that do not exist are skipped with a warning, so a machine
without the packages still starts Spark. Sail does not need jars: it reads through connectorx.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping

__all__ = ["DEFAULT_JARS", "JARS_ENV", "classic_confs", "driver_jars"]

log = logging.getLogger("awsglue.jdbc")

JARS_ENV = "OPENGLUE_JDBC_JARS"
DEFAULT_JARS = (
    "/usr/share/java/postgresql.jar",
    "/usr/share/java/mariadb-java-client.jar",
)


def driver_jars(env: Mapping[str, str]) -> list[str]:
    """The driver jars to load: ``OPENGLUE_JDBC_JARS`` when set, else the Debian ones found."""
    if JARS_ENV not in env:
        return [jar for jar in DEFAULT_JARS if os.path.isfile(jar)]
    named = [p.strip() for p in re.split(rf"[,{re.escape(os.pathsep)}]", env[JARS_ENV])]
    found = []
    for jar in filter(None, named):
        if os.path.isfile(jar):
            found.append(jar)
        else:
            log.warning("%s names %s, which does not exist: not loaded", JARS_ENV, jar)
    return found


def classic_confs(env: Mapping[str, str], user_confs: Mapping[str, str]) -> dict[str, str]:
    """``spark.jars`` with the driver jars added to the ones the job asked for."""
    jars = driver_jars(env)
    if not jars:
        return {}
    asked = [j for j in user_confs.get("spark.jars", "").split(",") if j.strip()]
    return {"spark.jars": ",".join([*asked, *(j for j in jars if j not in asked)])}
