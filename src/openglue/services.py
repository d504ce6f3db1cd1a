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
from openglue.crawler.catalog_writer import ServiceCatalog
from openglue.crawler.classifiers import ClassifierService
from openglue.crawler.definitions import CrawlerService
from openglue.crawler.jdbc_crawl import jdbc_planner
from openglue.crawler.runner import CrawlRunner
from openglue.jobs.bookmarks import JobBookmarkService
from openglue.jobs.definitions import JobService
from openglue.jobs.launch import RunContext
from openglue.jobs.ledger import RunLedger
from openglue.jobs.recovery import server_identity
from openglue.jobs.runs import JobRunService
from openglue.jobs.supervisor import Supervisor
from openglue.logs.groups import LogLayout
from openglue.logs.service import LogsService
from openglue.scheduler.clock import Clock
from openglue.scheduler.event_wiring import EventTriggers, build_event_triggers
from openglue.scheduler.loop import Scheduler
from openglue.scheduler.triggers import TriggerService
from openglue.scheduler.wiring import build_trigger_parts
from openglue.scheduler.workflow_runs import WorkflowRuns
from openglue.scheduler.workflow_wiring import build_workflows
from openglue.scheduler.workflows import WorkflowService
from openglue.settings import ServerSettings
from openglue.storage.job_s3 import JobS3
from openglue.storage.sources import object_source_for, s3_endpoint
from openglue.store.classifiers import SqlClassifierStore
from openglue.store.connections import SqlConnectionStore
from openglue.store.crawlers import SqlCrawlerStore
from openglue.store.databases import SqlDatabaseStore
from openglue.store.functions import SqlFunctionStore
from openglue.store.job_bookmarks import SqlJobBookmarkStore
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
    job_bookmarks: JobBookmarkService
    supervisor: Supervisor
    logs: LogsService
    triggers: TriggerService
    scheduler: Scheduler
    classifiers: ClassifierService
    crawlers: CrawlerService
    crawl_runner: CrawlRunner
    events: EventTriggers
    workflows: WorkflowService
    workflow_runs: WorkflowRuns

    @property
    def catalog_id(self) -> str:
        return self.settings.account_id

    def start_job_runs(self, endpoint_url: str) -> None:
        """Start running jobs, once the server knows the URL its job processes call back on."""
        settings = self.settings
        key = next(iter(settings.access_keys.items()), ("openglue", "openglue"))
        endpoint = s3_endpoint(settings)
        s3 = None if endpoint is None else JobS3(endpoint, not settings.auth_enabled)
        context = RunContext(settings.data_dir.resolve(), endpoint_url, settings.region, key, s3=s3)
        self.supervisor.start(context)
        self.scheduler.start()
        self.events.start()

    def close(self) -> None:
        self.events.stop()
        self.scheduler.stop()
        self.crawl_runner.close()
        self.supervisor.stop()
        self.sql.dispose()


def build_services(settings: ServerSettings, clock: Clock | None = None) -> Services:
    """``clock``: the scheduler's time (tests pass a ``ManualClock``; the wall clock else)."""
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
    job_runs = JobRunService(run_store, jobs, ledger, owner, supervisor.wake)
    trigger_parts = build_trigger_parts(sql, jobs, job_runs, ledger, tags, owner, clock)
    databases = DatabaseService(SqlDatabaseStore(sql), settings.account_id)
    partitions = PartitionService(partition_store, settings.account_id)
    tables = TableService(SqlTableStore(sql), settings.account_id)
    connections = ConnectionService(connection_store, tags)
    classifiers = ClassifierService(SqlClassifierStore(sql))
    crawlers = CrawlerService(SqlCrawlerStore(sql), classifiers, tags)
    tags.crawlers = crawlers.store
    crawl_runner = CrawlRunner(
        crawlers,
        classifiers,
        ServiceCatalog(tables, partitions),
        databases,
        settings.data_dir.resolve(),
        owner,
        lambda path: object_source_for(path, settings),
        jdbc_planner(connections),
    )
    crawl_runner.recover()
    workflow_parts = build_workflows(
        sql, trigger_parts.triggers, job_runs, trigger_parts.scheduler, tags, crawl_runner
    )
    services = Services(
        settings=settings,
        sql=sql,
        databases=databases,
        partitions=partitions,
        partition_indexes=PartitionIndexService(SqlPartitionIndexStore(sql), partition_store),
        tables=tables,
        connections=connections,
        functions=FunctionService(SqlFunctionStore(sql), settings.account_id),
        tags=tags,
        jobs=jobs,
        job_runs=job_runs,
        job_bookmarks=JobBookmarkService(SqlJobBookmarkStore(sql), run_store),
        supervisor=supervisor,
        logs=LogsService(
            LogLayout(settings.data_dir.resolve(), settings.region, settings.account_id)
        ),
        triggers=trigger_parts.triggers,
        scheduler=trigger_parts.scheduler,
        classifiers=classifiers,
        crawlers=crawlers,
        crawl_runner=crawl_runner,
        events=build_event_triggers(
            sql, trigger_parts.triggers, trigger_parts.scheduler, tags, settings
        ),
        workflows=workflow_parts.workflows,
        workflow_runs=workflow_parts.runs,
    )
    # Trigger actions start crawls through the crawl runner, which reports how they end.
    trigger_parts.connect_crawls(services.crawl_runner, sql)
    return services
