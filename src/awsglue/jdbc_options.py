"""What a JDBC source or sink of a Glue script points at, from its ``connection_options``.

Glue accepts the database in three ways, all resolved here into one ``JdbcSpec``:

- explicit options: ``connection_type="postgresql"`` (or ``mysql``) with ``url``, ``dbtable``
  (or ``query`` / ``sampleQuery``), ``user`` and ``password``;
- a catalog Connection: ``useConnectionProperties="true"`` + ``connectionName`` (URL and
  credentials come from ``GetConnection``; ``dbtable`` still comes from the options), or the
  ``catalog_connection`` of ``write_dynamic_frame.from_jdbc_conf``;
- a catalog table a crawler made from a JDBC database (see ``jdbc_catalog``).

Options Glue handles itself (parallel reads, bookmarks, driver jars) are taken out; every other
key is passed to the engine's JDBC data source as it is (``fetchsize``, ``batchsize``…).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "JDBC_CONNECTION_TYPES",
    "VENDORS",
    "JdbcOptionError",
    "JdbcSpec",
    "Vendor",
    "is_jdbc",
    "spec_from_options",
    "uses_connection",
    "vendor_of_url",
    "with_database",
]

# The vendors Glue's JDBC connection types name, with the driver OpenGlue's set-up installs
# (Debian's libpostgresql-jdbc-java and libmariadb-java; MariaDB's driver speaks to MySQL and
# accepts jdbc:mysql: URLs).
JDBC_CONNECTION_TYPES = frozenset({"postgresql", "mysql", "jdbc"})


@dataclass(frozen=True)
class Vendor:
    name: str
    driver: str  # JDBC driver class for classic Spark
    quote: str  # identifier quote character
    text_type: str  # the type a value is cast to, to read it as text


VENDORS: Mapping[str, Vendor] = {
    "postgresql": Vendor("postgresql", "org.postgresql.Driver", '"', "TEXT"),
    "mysql": Vendor("mysql", "org.mariadb.jdbc.Driver", "`", "CHAR"),
}

# Keys Glue interprets; they never reach the engine's data source.
_GLUE_KEYS = frozenset(
    {
        "url",
        "dbtable",
        "query",
        "sampleQuery",
        "user",
        "password",
        "driver",
        "customJdbcDriverS3Path",
        "customJdbcDriverClassName",
        "useConnectionProperties",
        "connectionName",
        "hashfield",
        "hashexpression",
        "hashpartitions",
        "jobBookmarkKeys",
        "jobBookmarkKeysSortOrder",
        "enablePartitioningForSampleQuery",
        "sampleSize",
        "database",
        "redshiftTmpDir",
        "bulkSize",
        "path",  # set for each frame of a collection written by write_from_options
    }
)


class JdbcOptionError(ValueError):
    """The JDBC options do not say which database or table to use; the message says what to
    add."""


@dataclass(frozen=True)
class JdbcSpec:
    """One table (or query) of one database, and how to read it."""

    vendor: Vendor
    url: str
    dbtable: str = ""
    query: str = ""
    user: str = ""
    password: str = ""
    driver: str = ""
    hashfield: str = ""
    hashexpression: str = ""
    hashpartitions: int = 7
    bookmark_keys: tuple[str, ...] = ()
    bookmark_order: str = "asc"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """What the data is read from: the table, or the query as a derived table."""
        return self.dbtable or f"({self.query}) openglue_query"

    def engine_options(self) -> dict[str, str]:
        """Options of Spark's ``jdbc`` data source for this database (no table or query)."""
        options = {"url": self.url, "driver": self.driver or self.vendor.driver, **self.extra}
        if self.user:
            options["user"] = self.user
        if self.password:
            options["password"] = self.password
        return options


def is_jdbc(connection_type: str) -> bool:
    return connection_type.strip().lower() in JDBC_CONNECTION_TYPES


def vendor_of_url(url: str) -> Vendor:
    """The vendor a ``jdbc:<vendor>://…`` URL names (``jdbc:mariadb:`` counts as MySQL)."""
    if not url.startswith("jdbc:"):
        raise JdbcOptionError(f"{url!r} is not a JDBC URL; expected jdbc:postgresql://host:port/db")
    name = url[len("jdbc:") :].split(":", 1)[0].lower()
    name = "mysql" if name == "mariadb" else name
    if name not in VENDORS:
        raise JdbcOptionError(
            f"JDBC URL {url!r}: {name!r} databases are not supported; use postgresql or mysql"
        )
    return VENDORS[name]


def with_database(url: str, database: str) -> str:
    """``url`` pointing at ``database`` instead of the one it names (Glue's ``database``
    option of ``from_jdbc_conf``)."""
    head, sep, tail = url.partition("://")
    host, _slash, rest = tail.partition("/")
    params = rest.partition("?")[1:]
    return f"{head}{sep}{host}/{database}{''.join(params)}"


def _flag(value: Any) -> bool:
    return value.strip().lower() == "true" if isinstance(value, str) else bool(value)


def _keys(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        text = value.strip()
        parsed = json.loads(text) if text.startswith("[") else text.split(",")
        return tuple(str(k).strip() for k in parsed if str(k).strip())
    return tuple(str(k) for k in value)


def _count(value: Any) -> int:
    try:
        count = int(value or 7)  # Glue's default number of hash partitions
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise JdbcOptionError(f"hashpartitions must be a whole number of at least 1, not {value!r}")
    return count


def spec_from_options(
    connection_type: str,
    options: Mapping[str, Any],
    connection: Mapping[str, str] | None = None,
) -> JdbcSpec:
    """The spec of ``options``; ``connection`` is the catalog Connection's conf (from
    ``jdbc_connections.connection_conf``) when the options name one."""
    url = str(options.get("url") or "")
    user, password = str(options.get("user") or ""), str(options.get("password") or "")
    if connection is not None:
        url = url or connection["fullUrl"]
        user = user or connection.get("user", "")
        password = password or connection.get("password", "")
    if not url:
        raise JdbcOptionError(
            f"connection_type {connection_type!r} needs 'url' (jdbc:postgresql://host:port/db)"
            ", or useConnectionProperties='true' with connectionName (a catalog Connection)"
        )
    if options.get("database"):
        url = with_database(url, str(options["database"]))
    vendor = vendor_of_url(url)
    kind = connection_type.strip().lower()
    if kind in VENDORS and kind != vendor.name:
        raise JdbcOptionError(f"connection_type {kind!r} does not match the JDBC URL {url!r}")
    dbtable = str(options.get("dbtable") or "")
    query = str(options.get("query") or options.get("sampleQuery") or "").strip().rstrip(";")
    if not dbtable and not query:
        raise JdbcOptionError("JDBC connection_options need 'dbtable' (schema.table) or 'query'")
    order = str(options.get("jobBookmarkKeysSortOrder") or "asc").strip().lower()
    if order not in ("asc", "desc"):
        raise JdbcOptionError(f"jobBookmarkKeysSortOrder must be 'asc' or 'desc', not {order!r}")
    extra = {k: str(v) for k, v in options.items() if k not in _GLUE_KEYS and v is not None}
    return JdbcSpec(
        vendor=vendor,
        url=url,
        dbtable=dbtable if not query else "",
        query=query,
        user=user,
        password=password,
        driver=str(options.get("customJdbcDriverClassName") or options.get("driver") or ""),
        hashfield=str(options.get("hashfield") or ""),
        hashexpression=str(options.get("hashexpression") or ""),
        hashpartitions=_count(options.get("hashpartitions")),
        bookmark_keys=_keys(options.get("jobBookmarkKeys")),
        bookmark_order=order,
        extra=extra,
    )


def uses_connection(options: Mapping[str, Any]) -> str:
    """The catalog Connection the options ask to take URL and credentials from, or ''."""
    if _flag(options.get("useConnectionProperties", False)):
        name = str(options.get("connectionName") or "")
        if not name:
            raise JdbcOptionError("useConnectionProperties needs connectionName")
        return name
    return ""
