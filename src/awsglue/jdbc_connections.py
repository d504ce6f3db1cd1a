"""Catalog Connections as JDBC settings: ``GlueContext.extract_jdbc_conf`` and every source or
sink that names a connection.

A JDBC Connection keeps its URL in ``JDBC_CONNECTION_URL`` and its credentials in ``USERNAME``
/ ``PASSWORD``. The newer per-engine types (``POSTGRESQL``, ``MYSQL``) may give ``HOST``,
``PORT`` and ``DATABASE`` instead; the URL is built from those. Credentials kept in Secrets
Manager (``SECRET_ID``) are not reachable from OpenGlue and are refused with a message.

``extract_jdbc_conf`` answers as Glue does: ``url`` without the database, ``fullUrl`` with it,
plus ``user``, ``password``, ``vendor`` and the SSL settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsglue.jdbc_options import JdbcOptionError, vendor_of_url

__all__ = ["connection_conf"]

_DEFAULT_PORTS = {"POSTGRESQL": "5432", "MYSQL": "3306"}


def _url(name: str, kind: str, properties: Mapping[str, str]) -> str:
    url = properties.get("JDBC_CONNECTION_URL", "")
    if url:
        return url
    if kind in _DEFAULT_PORTS and properties.get("HOST"):
        port = properties.get("PORT") or _DEFAULT_PORTS[kind]
        database = properties.get("DATABASE", "")
        return f"jdbc:{kind.lower()}://{properties['HOST']}:{port}/{database}"
    raise JdbcOptionError(
        f"catalog connection {name!r} ({kind or 'no type'}) has no JDBC_CONNECTION_URL; give it"
        " one (jdbc:postgresql://host:5432/db) to use it as a JDBC connection"
    )


def _without_database(url: str) -> str:
    head, sep, tail = url.partition("://")
    return f"{head}{sep}{tail.partition('/')[0]}"


def connection_conf(client: Any, name: str, catalog_id: str | None = None) -> dict[str, str]:
    """The JDBC settings of catalog connection ``name`` (EntityNotFoundException if absent)."""
    request: dict[str, Any] = {"Name": name, "HidePassword": False}
    if catalog_id:
        request["CatalogId"] = catalog_id
    connection = client.get_connection(**request)["Connection"]
    properties: Mapping[str, str] = connection.get("ConnectionProperties") or {}
    kind = str(connection.get("ConnectionType") or "")
    if properties.get("SECRET_ID") and not properties.get("PASSWORD"):
        raise JdbcOptionError(
            f"catalog connection {name!r} keeps its credentials in Secrets Manager"
            f" ({properties['SECRET_ID']}), which OpenGlue cannot read; set USERNAME and"
            " PASSWORD on the connection instead"
        )
    full_url = _url(name, kind, properties)
    vendor = vendor_of_url(full_url)
    return {
        "url": _without_database(full_url),
        "fullUrl": full_url,
        "user": properties.get("USERNAME", ""),
        "password": properties.get("PASSWORD", ""),
        "vendor": vendor.name,
        "enforceSSL": properties.get("JDBC_ENFORCE_SSL", "false"),
        "customJDBCCert": properties.get("CUSTOM_JDBC_CERT", ""),
        "customJDBCCertString": properties.get("CUSTOM_JDBC_CERT_STRING", ""),
        "skipCustomJDBCCertValidation": properties.get("SKIP_CUSTOM_JDBC_CERT_VALIDATION", "false"),
    }
