"""The server's services, built once from the settings and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

from openglue.catalog.databases import DatabaseService
from openglue.settings import ServerSettings
from openglue.store.databases import SqlDatabaseStore
from openglue.store.migrations import migrate
from openglue.store.sql import SqlStore


@dataclass
class Services:
    settings: ServerSettings
    sql: SqlStore
    databases: DatabaseService

    @property
    def catalog_id(self) -> str:
        return self.settings.account_id

    def close(self) -> None:
        self.sql.dispose()


def build_services(settings: ServerSettings) -> Services:
    sql = SqlStore(settings.resolved_store_url)
    migrate(sql)
    return Services(
        settings=settings,
        sql=sql,
        databases=DatabaseService(SqlDatabaseStore(sql), settings.account_id),
    )
