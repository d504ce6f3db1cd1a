"""Schema versions and migrations.

The ``schema_version`` table holds the version a store was last migrated to. Each migration
is a function run once, in order, inside one write transaction, so a store is never left
half-migrated. A store written by a newer OpenGlue is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select

from openglue.store import schema
from openglue.store.sql import SqlStore

Migration = Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        # Partition counts jump by thousands in seconds (BatchCreatePartition); re-gather the
        # planner's statistics after 1% growth instead of the default 10%.
        for table in ("partitions", "partition_values"):
            conn.exec_driver_sql(
                f"ALTER TABLE {table} SET (autovacuum_analyze_scale_factor = 0.01, "
                "autovacuum_analyze_threshold = 1000)"
            )


def _v2_jobs(conn: Connection) -> None:
    # A store created by this version already has them: version 1 creates every table the
    # schema declares.
    schema.jobs.create(conn, checkfirst=True)
    schema.job_runs.create(conn, checkfirst=True)


def _v3_crawlers(conn: Connection) -> None:
    for table in (schema.crawlers, schema.crawls, schema.classifiers):
        table.create(conn, checkfirst=True)


def _v4_job_bookmarks(conn: Connection) -> None:
    schema.job_bookmarks.create(conn, checkfirst=True)


def _v5_triggers(conn: Connection) -> None:
    for table in (
        schema.triggers,
        schema.trigger_links,
        schema.trigger_fires,
        schema.watched_outcomes,
        schema.crawler_schedules,
    ):
        table.create(conn, checkfirst=True)


def _v6_workflows(conn: Connection) -> None:
    for table in (schema.workflows, schema.workflow_runs, schema.workflow_run_nodes):
        table.create(conn, checkfirst=True)


def _v7_trigger_events(conn: Connection) -> None:
    for table in (schema.trigger_events, schema.trigger_event_watches):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, _v1_initial),
    (2, _v2_jobs),
    (3, _v3_crawlers),
    (4, _v4_job_bookmarks),
    (5, _v5_triggers),
    (6, _v6_workflows),
    (7, _v7_trigger_events),
)
LATEST = MIGRATIONS[-1][0]


class SchemaTooNewError(RuntimeError):
    pass


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(select(schema.schema_version.c.version)).scalar()
    return int(value or 0)


def migrate(store: SqlStore) -> int:
    """Bring the store to the latest schema; returns the version it is at."""
    with store.write() as conn:
        if not store.is_sqlite:
            # Two servers starting together on one PostgreSQL must not both migrate.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7305001)")
        version = current_version(conn)
        if version > LATEST:
            raise SchemaTooNewError(
                f"the store at {store.engine.url!r} has schema version {version}, newer than "
                f"this OpenGlue understands ({LATEST}); upgrade OpenGlue"
            )
        for number, step in MIGRATIONS:
            if number > version:
                step(conn)
                version = number
        schema.schema_version.create(conn, checkfirst=True)
        conn.execute(schema.schema_version.delete())
        conn.execute(schema.schema_version.insert().values(version=version))
    return version
