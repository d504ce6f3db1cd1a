"""JDBC URLs read into their parts, as a catalog Connection gives them.

Forms understood (the ones Glue's documentation shows):

- ``jdbc:postgresql://host[:port][/database][?key=value&…]`` (also ``jdbc:postgresql:database``)
- ``jdbc:mysql://host[:port][/database][?…]`` and ``jdbc:mariadb://…`` (MySQL's protocol)
- ``jdbc:redshift://host:port/database``
- ``jdbc:sqlserver://host[:port];databaseName=database;…``
- ``jdbc:oracle:thin:@//host:port/service`` and ``jdbc:oracle:thin:@host:port:sid``

A URL naming several hosts (``host1,host2``) is read as its first host: the crawler needs one
server to read metadata from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

from openglue.errors import InvalidInputException

__all__ = ["DEFAULT_PORTS", "JdbcUrl", "parse_jdbc_url"]

DEFAULT_PORTS: Mapping[str, int] = {
    "postgresql": 5432,
    "mysql": 3306,
    "redshift": 5439,
    "sqlserver": 1433,
    "oracle": 1521,
}
_EXAMPLE = "jdbc:postgresql://host:5432/database"
_ORACLE = re.compile(
    r"^thin:@(?://)?(?P<host>\[[^\]]+\]|[^:/]+)(?::(?P<port>[^:/]*))?[:/](?P<db>.*)$"
)


@dataclass(frozen=True)
class JdbcUrl:
    vendor: str  # postgresql | mysql | redshift | sqlserver | oracle
    host: str
    port: int
    database: str  # empty when the URL names none
    params: Mapping[str, str] = field(default_factory=dict)


def _bad(url: str, why: str) -> InvalidInputException:
    return InvalidInputException(
        f"JDBC URL {url!r} cannot be read: {why}; expected e.g. {_EXAMPLE}"
    )


def _port(url: str, text: str, vendor: str) -> int:
    if not text:
        return DEFAULT_PORTS[vendor]
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise _bad(url, f"port {text!r} is not a number from 1 to 65535")
    return int(text)


def _host_port(url: str, authority: str, vendor: str) -> tuple[str, int]:
    first = authority.split(",", 1)[0]
    if first.startswith("["):  # an IPv6 address
        end = first.find("]")
        if end < 0:
            raise _bad(url, "'[' of an IPv6 host is never closed")
        host, rest = first[1:end], first[end + 1 :]
        port = rest[1:] if rest.startswith(":") else rest
    else:
        host, _colon, port = first.partition(":")
    if not host:
        raise _bad(url, "it names no host")
    return host, _port(url, port, vendor)


def _url_style(url: str, vendor: str, rest: str) -> JdbcUrl:
    """``//host:port/database?params`` (PostgreSQL, MySQL, Redshift)."""
    if not rest.startswith("//"):
        if vendor == "postgresql" and rest and "/" not in rest:  # jdbc:postgresql:database
            database, _q, query = rest.partition("?")
            return JdbcUrl(vendor, "localhost", 5432, unquote(database), dict(parse_qsl(query)))
        raise _bad(url, "'//' must follow the vendor name")
    body, _q, query = rest[2:].partition("?")
    authority, _slash, database = body.partition("/")
    host, port = _host_port(url, authority, vendor)
    return JdbcUrl(vendor, host, port, unquote(database.rstrip("/")), dict(parse_qsl(query)))


def _sqlserver(url: str, rest: str) -> JdbcUrl:
    if not rest.startswith("//"):
        raise _bad(url, "'//' must follow 'sqlserver:'")
    authority, *pairs = rest[2:].split(";")
    params = dict(p.split("=", 1) for p in pairs if "=" in p)
    host, port = _host_port(url, authority.split("\\", 1)[0], "sqlserver")
    database = params.get("databaseName") or params.get("database") or ""
    return JdbcUrl("sqlserver", host, port, database, params)


def parse_jdbc_url(url: str) -> JdbcUrl:
    """The parts of ``url``; ``InvalidInputException`` saying what is wrong otherwise."""
    url = url.strip()
    if not url.lower().startswith("jdbc:"):
        raise _bad(url, "it does not start with 'jdbc:'")
    vendor, _colon, rest = url[len("jdbc:") :].partition(":")
    vendor = vendor.lower()
    vendor = "mysql" if vendor == "mariadb" else vendor
    if vendor in ("postgresql", "mysql", "redshift"):
        return _url_style(url, vendor, rest)
    if vendor == "sqlserver":
        return _sqlserver(url, rest)
    if vendor == "oracle":
        match = _ORACLE.match(rest)
        if not match:
            raise _bad(url, "Oracle URLs look like jdbc:oracle:thin:@//host:1521/service")
        host = match["host"].strip("[]")
        return JdbcUrl("oracle", host, _port(url, match["port"] or "", "oracle"), match["db"])
    if not vendor:
        raise _bad(url, "it names no database vendor after 'jdbc:'")
    raise _bad(url, f"{vendor!r} is not a database vendor Glue connects to")
