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
