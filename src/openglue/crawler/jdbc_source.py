"""Where a JdbcTarget's tables live: the catalog Connection read into an endpoint.

A Glue JDBC Connection keeps its URL in ``JDBC_CONNECTION_URL`` and its credentials in
``USERNAME`` / ``PASSWORD``; the per-engine connection types (``POSTGRESQL``, ``MYSQL``) may
give ``HOST``, ``PORT`` and ``DATABASE`` instead. Credentials in Secrets Manager
(``SECRET_ID``) are out of OpenGlue's reach and refused with a message saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openglue.crawler.jdbc_url import DEFAULT_PORTS, parse_jdbc_url
from openglue.errors import InvalidInputException

__all__ = ["CRAWLED_VENDORS", "JdbcEndpoint", "endpoint_of"]

# The databases whose metadata OpenGlue reads; the value says whether they have schemas.
CRAWLED_VENDORS: Mapping[str, bool] = {"postgresql": True, "mysql": False}
_TRUE = ("true", "1", "yes")


@dataclass(frozen=True)
class JdbcEndpoint:
    connection_name: str
    vendor: str  # a key of CRAWLED_VENDORS
    host: str
    port: int
    database: str  # the URL's; a crawl reads the database its include path names
    user: str
    password: str
    require_ssl: bool = False

    def describe(self, database: str) -> str:
        """Where the crawl connects, for messages (never the password)."""
        return (
            f"{self.vendor} at {self.host}:{self.port}, database {database!r}, user {self.user!r}"
        )


def _url(name: str, kind: str, properties: Mapping[str, str]) -> str:
    url = properties.get("JDBC_CONNECTION_URL", "")
    if url:
        return url
    vendor = kind.lower()
    if vendor in DEFAULT_PORTS and properties.get("HOST"):
        port = properties.get("PORT") or str(DEFAULT_PORTS[vendor])
        return f"jdbc:{vendor}://{properties['HOST']}:{port}/{properties.get('DATABASE', '')}"
    raise InvalidInputException(
        f"Connection {name} ({kind or 'no ConnectionType'}) has no JDBC_CONNECTION_URL; give it "
        "one (jdbc:postgresql://host:5432/database) to crawl it as a JdbcTarget"
    )


def endpoint_of(connection: Mapping[str, Any]) -> JdbcEndpoint:
    """The endpoint of a catalog ``Connection`` (the shape GetConnection answers, with its
    password); ``InvalidInputException`` when it cannot be crawled, saying why."""
    name = str(connection.get("Name") or "")
    kind = str(connection.get("ConnectionType") or "")
    properties: Mapping[str, str] = connection.get("ConnectionProperties") or {}
    if properties.get("SECRET_ID") and not properties.get("PASSWORD"):
        raise InvalidInputException(
            f"Connection {name} keeps its credentials in Secrets Manager "
            f"({properties['SECRET_ID']}), which OpenGlue cannot read; set USERNAME and PASSWORD "
            "on the connection instead"
        )
    url = parse_jdbc_url(_url(name, kind, properties))
    if url.vendor not in CRAWLED_VENDORS:
        raise InvalidInputException(
            f"Connection {name} points at a {url.vendor} database; OpenGlue crawlers read "
            f"{' and '.join(sorted(CRAWLED_VENDORS))} databases only"
        )
    ssl = properties.get("JDBC_ENFORCE_SSL", "false").lower() in _TRUE or (
        url.params.get("ssl", "").lower() in _TRUE or url.params.get("sslmode") == "require"
    )
    return JdbcEndpoint(
        connection_name=name,
        vendor=url.vendor,
        host=url.host,
        port=url.port,
        database=url.database,
        user=properties.get("USERNAME") or url.params.get("user", ""),
        password=properties.get("PASSWORD") or url.params.get("password", ""),
        require_ssl=ssl,
    )
