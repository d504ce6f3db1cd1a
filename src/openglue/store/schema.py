"""The catalog's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Resource bodies are kept as the model-shaped JSON the client sent (``spec``); what the store
must search, join or constrain lives in real columns. Partition values get a row per key in
``partition_values`` with indexed text and numeric projections, so a GetPartitions expression
becomes SQL over an index. Children cascade on delete, which is how DeleteDatabase and
DeleteTable take their tables, versions, partitions, indexes and functions with them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL needs BIGINT for 100k+ rows a table.
BigId = BigInteger().with_variant(Integer(), "sqlite")

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)

databases = Table(
    "databases",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("spec", JSON, nullable=False),
    Column("create_time", Float, nullable=False),
)

tables = Table(
    "tables",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("database_id", BigId, ForeignKey("databases.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("create_time", Float, nullable=False),
    Column("update_time", Float, nullable=False),
    Column("version_id", Integer, nullable=False),
    UniqueConstraint("database_id", "name", name="uq_tables_database_name"),
)

table_versions = Table(
    "table_versions",
    metadata,
    Column("table_id", BigId, ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True),
    Column("version_id", Integer, primary_key=True),
    Column("spec", JSON, nullable=False),
    Column("update_time", Float, nullable=False),
)

partitions = Table(
    "partitions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("table_id", BigId, ForeignKey("tables.id", ondelete="CASCADE"), nullable=False),
    # JSON text of the values list: the identity of a partition within its table.
    Column("values_key", Text, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("creation_time", Float, nullable=False),
    UniqueConstraint("table_id", "values_key", name="uq_partitions_table_values"),
)

partition_values = Table(
    "partition_values",
    metadata,
    Column(
        "partition_id", BigId, ForeignKey("partitions.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", SmallInteger, primary_key=True, autoincrement=False),
    Column("table_id", BigId, nullable=False),
    # Byte order ("C") on PostgreSQL so string comparisons and LIKE prefixes follow Hive's
    # code-point order and can use the index, whatever the database's locale.
    Column("str_value", Text().with_variant(Text(collation="C"), "postgresql"), nullable=False),
    # Typed projection (numbers, dates as days, timestamps as seconds) for typed comparisons.
    Column("num_value", Float, nullable=True),
    # No partition_id in these: PostgreSQL, before its statistics are gathered, would pick
    # them (instead of the primary key) to probe one partition's value, scanning the whole
    # key position each time (measured: 10 s per GetPartitions at 100k partitions).
    Index("ix_partition_values_str", "table_id", "position", "str_value"),
    Index("ix_partition_values_num", "table_id", "position", "num_value"),
)

partition_indexes = Table(
    "partition_indexes",
    metadata,
    Column("table_id", BigId, ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("keys", JSON, nullable=False),
    Column("create_time", Float, nullable=False),
)

connections = Table(
    "connections",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("spec", JSON, nullable=False),
    Column("creation_time", Float, nullable=False),
    Column("last_updated_time", Float, nullable=False),
)

functions = Table(
    "functions",
    metadata,
    Column("database_id", BigId, ForeignKey("databases.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("spec", JSON, nullable=False),
    Column("create_time", Float, nullable=False),
)

tags = Table(
    "tags",
    metadata,
    Column("resource_arn", String(1024), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", String(256), nullable=False),
)

# Jobs and their runs (schema version 2). Job names keep their case. A run's ``seq`` orders
# runs by creation (GetJobRuns pages newest first by it); its ``id`` is the Glue JobRunId.
jobs = Table(
    "jobs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("spec", JSON, nullable=False),
    Column("created_on", Float, nullable=False),
    Column("last_modified_on", Float, nullable=False),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("id", String(255), nullable=False, unique=True),
    Column("job_id", BigId, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("previous_run_id", String(255), nullable=True),
    Column("started_on", Float, nullable=False),
    Column("last_modified_on", Float, nullable=False),
    Column("running_on", Float, nullable=True),
    Column("completed_on", Float, nullable=True),
    Column("error_message", Text, nullable=True),
    Column("state_detail", Text, nullable=True),
    # The JobRun members fixed when the run starts (Arguments, Timeout, capacity, …).
    Column("spec", JSON, nullable=False),
    # What starting the process needs, snapshotted from the job definition at StartJobRun.
    Column("launch", JSON, nullable=False),
    # The server process watching the run, and the run's process (pid + kernel start time, so
    # a recycled pid is never mistaken for the run).
    Column("owner", String(255), nullable=False),
    Column("pid", Integer, nullable=True),
    Column("pid_start", BigInteger, nullable=True),
    Index("ix_job_runs_job_seq", "job_id", "seq"),
    Index("ix_job_runs_state", "state"),
)

# Crawlers, their crawl history and custom classifiers (schema version 3). Crawler and
# classifier names keep their case. ``state`` is READY / RUNNING / STOPPING; a crawl's ``seq``
# orders the history (ListCrawls pages newest first by it).
crawlers = Table(
    "crawlers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    # The Crawler members a client sets (Role, Targets, DatabaseName, policies, …).
    Column("spec", JSON, nullable=False),
    Column("schedule", Text, nullable=True),
    Column("schedule_state", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("creation_time", Float, nullable=False),
    Column("last_updated", Float, nullable=False),
    Column("last_crawl", JSON, nullable=True),
    # The crawl in progress (its id and start), while state is not READY.
    Column("current_crawl", String(64), nullable=True),
    Column("crawl_started", Float, nullable=True),
    # The server running it (``host:pid:start``), so a restarted server can end crawls that
    # died with their server.
    Column("crawl_owner", String(255), nullable=True),
)

crawls = Table(
    "crawls",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("crawler_id", BigId, ForeignKey("crawlers.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("start_time", Float, nullable=False),
    Column("end_time", Float, nullable=True),
    Column("summary", Text, nullable=True),
    Column("error_message", Text, nullable=True),
    # What the crawl did and why: tables and partitions written, decisions, skipped files.
    Column("report", JSON, nullable=True),
    Column("dpu_hour", Float, nullable=False),
    Index("ix_crawls_crawler_seq", "crawler_id", "seq"),
)

classifiers = Table(
    "classifiers",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("kind", String(16), nullable=False),  # grok, csv, json, xml
    Column("spec", JSON, nullable=False),
    Column("creation_time", Float, nullable=False),
    Column("last_updated", Float, nullable=False),
    Column("version", BigInteger, nullable=False),
)

# Job bookmarks (schema version 4): one row per committed version of a job's bookmark, kept
# as history so ResetJobBookmark(RunId) can rewind and pause ranges can read old states. The
# primary key (job, version) is what makes two racing commits of one job fail one of them.
job_bookmarks = Table(
    "job_bookmarks",
    metadata,
    Column("job_id", BigId, ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("run", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("run_id", String(255), nullable=True),
    Column("previous_run_id", String(255), nullable=True),
    Column("bookmark", Text, nullable=False),  # JSON text of {transformation_ctx: element}
    Column("committed_on", Float, nullable=False),
    Index("ix_job_bookmarks_run", "job_id", "run_id"),
)

# Triggers and the scheduler's state (schema version 5). Trigger names keep their case.
# ``spec`` holds the Trigger members a client sets (Schedule, Actions, Predicate, …);
# ``next_fire_on`` is when an ACTIVATED SCHEDULED trigger fires next (epoch seconds).
triggers = Table(
    "triggers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("type", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("workflow_name", String(255), nullable=True),
    Column("spec", JSON, nullable=False),
    Column("next_fire_on", Float, nullable=True),
    Column("created_on", Float, nullable=False),
    Column("last_modified_on", Float, nullable=False),
    Index("ix_triggers_next_fire", "next_fire_on"),
    Index("ix_triggers_workflow", "workflow_name"),
)

# What a trigger watches (its Predicate's jobs and crawlers) and what it starts (its Actions'),
# so a finished run finds its triggers, and GetTriggers(DependentJobName), by index.
trigger_links = Table(
    "trigger_links",
    metadata,
    Column("trigger_id", BigId, ForeignKey("triggers.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(8), primary_key=True),  # watches, starts
    Column("kind", String(8), primary_key=True),  # job, crawler
    Column("name", String(255), primary_key=True),
    Index("ix_trigger_links_target", "role", "kind", "name"),
)

# Every firing (and every skipped one), one row per (trigger, fire key): the unique key is
# what makes a fire happen once, however many schedulers share the store. The key names what
# caused it: a schedule's due time, the runs that met a predicate, a StartTrigger call.
trigger_fires = Table(
    "trigger_fires",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("trigger_id", BigId, ForeignKey("triggers.id", ondelete="CASCADE"), nullable=False),
    Column("fire_key", String(512), nullable=False),
    Column("due_on", Float, nullable=True),
    Column("fired_on", Float, nullable=False),
    Column("owner", String(255), nullable=False),
    Column("reason", Text, nullable=False),
    # What its actions started, or why they failed; NULL until they have run.
    Column("outcome", JSON(none_as_null=True), nullable=True),
    # What its actions need besides the trigger (PredecessorRuns), to resume it after a crash.
    Column("context", JSON(none_as_null=True), nullable=True),
    UniqueConstraint("trigger_id", "fire_key", name="uq_trigger_fires_key"),
    Index("ix_trigger_fires_trigger_seq", "trigger_id", "seq"),
)

# When each scheduled crawler crawls next: the scheduler's copy of the crawler's Schedule, so a
# changed schedule is noticed, and the compare-and-set that makes one server start each crawl.
crawler_schedules = Table(
    "crawler_schedules",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("schedule", Text, nullable=False),
    Column("next_fire_on", Float, nullable=True),
)

# The latest way each job and crawler ended, for predicates that need several (Logical AND).
watched_outcomes = Table(
    "watched_outcomes",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("run_id", String(255), nullable=False),
    Column("state", String(16), nullable=False),
    Column("finished_on", Float, nullable=False),
    Column("trigger_name", String(255), nullable=True),  # the trigger that started the run
)

# Workflows and their runs (schema version 6). A run keeps the workflow's triggers as they were
# when it started (``graph``, Glue's snapshot) and one row per node it reached: the job runs
# and crawls it started and the triggers that fired, unique per run so each happens once.
workflows = Table(
    "workflows",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("spec", JSON, nullable=False),  # Description, DefaultRunProperties, MaxConcurrentRuns
    Column("created_on", Float, nullable=False),
    Column("last_modified_on", Float, nullable=False),
)

workflow_runs = Table(
    "workflow_runs",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("id", String(255), nullable=False, unique=True),
    Column("workflow_id", BigId, ForeignKey("workflows.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("previous_run_id", String(255), nullable=True),
    Column("properties", JSON, nullable=False),
    Column("graph", JSON, nullable=False),  # the Trigger shapes of the workflow at run start
    # An EVENT trigger's run: the batch condition that started it (BatchSize or BatchWindow).
    Column("starting_condition", JSON(none_as_null=True), nullable=True),
    Column("started_on", Float, nullable=False),
    Column("completed_on", Float, nullable=True),
    Column("error_message", Text, nullable=True),
    Index("ix_workflow_runs_workflow_seq", "workflow_id", "seq"),
)

workflow_run_nodes = Table(
    "workflow_run_nodes",
    metadata,
    Column("run_seq", BigId, ForeignKey("workflow_runs.seq", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # job, crawler, trigger
    Column("name", String(255), primary_key=True),
    Column("run_id", String(255), nullable=True),  # JobRunId or crawl id
    Column("state", String(16), nullable=False),
    Column("started_on", Float, nullable=False),
    Column("completed_on", Float, nullable=True),
    Column("error_message", Text, nullable=True),
    Column("started_by", String(255), nullable=True),  # the trigger that started it
    Index("ix_workflow_run_nodes_run_id", "kind", "run_id"),
)

# EVENT triggers (schema version 7). Each new object under a trigger's prefix is one event,
# kept until its batch fires and afterwards (so a poll after a restart knows what it saw).
# ``event_id`` is the object's address and version (ETag, or size and mtime): the same object
# version reported twice (a webhook retry, a poll after a notification) is one event.
# ``batch_key`` is NULL while the event waits for its batch; then the fire key of that batch.
trigger_events = Table(
    "trigger_events",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("trigger_id", BigId, ForeignKey("triggers.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(1400), nullable=False),
    Column("address", Text, nullable=False),
    Column("received_on", Float, nullable=False),
    Column("batch_key", String(512), nullable=True),
    UniqueConstraint("trigger_id", "event_id", name="uq_trigger_events_id"),
    Index("ix_trigger_events_pending", "trigger_id", "batch_key", "seq"),
)

# The prefixes whose existing objects a poll has taken stock of: objects there when a trigger
# starts watching a prefix are not events; only those that appear after are.
trigger_event_watches = Table(
    "trigger_event_watches",
    metadata,
    Column("trigger_id", BigId, ForeignKey("triggers.id", ondelete="CASCADE"), primary_key=True),
    Column("address", String(1100), primary_key=True),
    Column("started_on", Float, nullable=False),
)
