"""Schema versions and migrations.

The ``schema_version`` table holds the version a store was last migrated to. Each migration
is a function run once, in order, inside one write transaction, so a store is never left
half-migrated. A store written by a newer OpenGlue is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, inspect, select

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


# What each later version adds: tables only so far. A store created by a newer OpenGlue already
# has them (version 1 creates every table the schema declares), hence ``checkfirst``.
ADDED_TABLES: dict[int, tuple[Table, ...]] = {
    2: (schema.jobs, schema.job_runs),
    3: (schema.crawlers, schema.crawls, schema.classifiers),
    4: (schema.job_bookmarks,),
    5: (
        schema.triggers,
        schema.trigger_links,
        schema.trigger_fires,
        schema.watched_outcomes,
        schema.crawler_schedules,
    ),
    6: (schema.workflows, schema.workflow_runs, schema.workflow_run_nodes),
    7: (schema.trigger_events, schema.trigger_event_watches),
}


def _adding(tables: tuple[Table, ...]) -> Migration:
    def step(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)

    return step


MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, _v1_initial),
    *((version, _adding(tables)) for version, tables in sorted(ADDED_TABLES.items())),
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
