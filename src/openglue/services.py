"""The server's services, built once from the settings and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

from openglue.catalog.connections import ConnectionService
from openglue.catalog.databases import DatabaseService
from openglue.catalog.functions import FunctionService
from openglue.catalog.partition_indexes import PartitionIndexService
from openglue.catalog.partitions import PartitionService
from openglue.catalog.tables import TableService
from openglue.catalog.tags import TagService
from openglue.jobs.definitions import JobService
from openglue.jobs.launch import RunContext
from openglue.jobs.ledger import RunLedger
from openglue.jobs.recovery import server_identity
from openglue.jobs.runs import JobRunService
from openglue.jobs.supervisor import Supervisor
from openglue.logs.groups import LogLayout
from openglue.logs.service import LogsService
from openglue.settings import ServerSettings
from openglue.store.connections import SqlConnectionStore
from openglue.store.databases import SqlDatabaseStore
from openglue.store.functions import SqlFunctionStore
from openglue.store.job_runs import SqlJobRunStore
from openglue.store.jobs import SqlJobStore
from openglue.store.migrations import migrate
from openglue.store.partition_indexes import SqlPartitionIndexStore
from openglue.store.partitions import SqlPartitionStore
from openglue.store.sql import SqlStore
from openglue.store.tables import SqlTableStore
from openglue.store.tags import SqlTagStore


@dataclass
class Services:
    settings: ServerSettings
    sql: SqlStore
    databases: DatabaseService
    partitions: PartitionService
    partition_indexes: PartitionIndexService
    tables: TableService
    connections: ConnectionService
    functions: FunctionService
    tags: TagService
    jobs: JobService
    job_runs: JobRunService
    supervisor: Supervisor
    logs: LogsService

    @property
    def catalog_id(self) -> str:
        return self.settings.account_id

    def start_job_runs(self, endpoint_url: str) -> None:
        """Start running jobs, once the server knows the URL its job processes call back on."""
        settings = self.settings
        key = next(iter(settings.access_keys.items()), ("openglue", "openglue"))
        context = RunContext(settings.data_dir.resolve(), endpoint_url, settings.region, key)
        self.supervisor.start(context)

    def close(self) -> None:
        self.supervisor.stop()
        self.sql.dispose()


def build_services(settings: ServerSettings) -> Services:
    sql = SqlStore(settings.resolved_store_url)
    migrate(sql)
    partition_store = SqlPartitionStore(sql)
    connection_store = SqlConnectionStore(sql)
    job_store = SqlJobStore(sql)
    tags = TagService(
        SqlTagStore(sql),
        SqlDatabaseStore(sql),
        connection_store,
        settings.region,
        settings.account_id,
        job_store,
    )
    run_store = SqlJobRunStore(sql)
    ledger = RunLedger(run_store, settings.data_dir.resolve())
    owner = server_identity()
    supervisor = Supervisor(run_store, job_store, ledger, owner, settings.job_timeout_unit_seconds)
    jobs = JobService(job_store, tags)
    jobs.on_delete = lambda _name: supervisor.wake()
    return Services(
        settings=settings,
        sql=sql,
        databases=DatabaseService(SqlDatabaseStore(sql), settings.account_id),
        partitions=PartitionService(partition_store, settings.account_id),
        partition_indexes=PartitionIndexService(SqlPartitionIndexStore(sql), partition_store),
        tables=TableService(SqlTableStore(sql), settings.account_id),
        connections=ConnectionService(connection_store, tags),
        functions=FunctionService(SqlFunctionStore(sql), settings.account_id),
        tags=tags,
        jobs=jobs,
        job_runs=JobRunService(run_store, jobs, ledger, owner, supervisor.wake),
        supervisor=supervisor,
        logs=LogsService(
            LogLayout(settings.data_dir.resolve(), settings.region, settings.account_id)
        ),
    )
