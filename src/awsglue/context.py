"""``GlueContext``: the entry point of a Glue script — sources, sinks, the catalog, logging.

``GlueContext(sc)`` accepts a SparkContext (classic, or the Connect stand-in of
``awsglue.spark_context``), a SparkSession, or nothing; in every case the session is the one of
the process's engine (``awsglue.engine``) unless a SparkSession is given. Importing this module
gets the process ready for its engine, so that the script's own ``SparkContext()`` works.

Catalog calls go to the Glue API through boto3 (``AWS_ENDPOINT_URL_GLUE`` /
``AWS_ENDPOINT_URL`` point them at an OpenGlue server); ``s3://`` addresses follow
``awsglue.storage``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from awsglue import bookmarks, catalog, engine, jdbc, sinks, sources, storage
from awsglue.data_source import DataSink, DataSource
from awsglue.dynamicframe import DynamicFrame
from awsglue.frame_collection import DynamicFrameCollection
from awsglue.frame_errors import ERROR_SCHEMA
from awsglue.glue_logger import GlueLogger, script_logger
from awsglue.readers import DataFrameReader, DataFrameWriter, DynamicFrameReader, DynamicFrameWriter

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

__all__ = ["GlueContext", "GlueLogger"]

engine.prepare_process()

_NO_OPTIONS: Mapping[str, Any] = {}


def _database(database: str | None, kwargs: dict[str, Any]) -> str:
    legacy = kwargs.pop("name_space", None)
    if database and legacy:
        raise ValueError("give database or name_space (its legacy name), not both")
    name = database or legacy
    if not name:
        raise ValueError("a database name is needed")
    return str(name)


class GlueContext:
    """Sources, sinks and catalog access for a Glue script (see the module docstring)."""

    Spark_SQL_Formats = frozenset({"parquet", "orc"})
    Unsupported_Compression_Types = frozenset({"lzo"})

    def __init__(self, sparkContext: Any = None, **options: Any) -> None:
        self.spark_session: SparkSession = _session_of(sparkContext)
        self._options = options
        self._glue_client: Any = None
        self.create_dynamic_frame = DynamicFrameReader(self)
        self.create_data_frame = DataFrameReader(self)
        self.write_dynamic_frame = DynamicFrameWriter(self)
        self.write_data_frame = DataFrameWriter(self)

    @property
    def glue_client(self) -> Any:
        """The boto3 Glue client catalog reads go through (created on first use)."""
        if self._glue_client is None:
            from awsglue.catalog import glue_client

            self._glue_client = glue_client()
        return self._glue_client

    def _is_connect(self) -> bool:
        return engine.is_connect_session(self.spark_session)

    # -- reading ---------------------------------------------------------------------------------

    def create_dynamic_frame_from_options(
        self,
        connection_type: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        format: str | None = None,
        format_options: Mapping[str, Any] = _NO_OPTIONS,
        transformation_ctx: str = "",
        push_down_predicate: str = "",
        **kwargs: Any,
    ) -> DynamicFrame:
        frame = self.create_data_frame_from_options(
            connection_type,
            connection_options,
            format,
            format_options,
            transformation_ctx,
            push_down_predicate,
        )
        if (format or "").strip().lower() == "json" and not push_down_predicate.strip():
            # DynamicFrames show fields whose JSON records disagree on the type as choices.
            from awsglue.json_choices import with_json_choices

            frame = with_json_choices(self.spark_session, frame, format_options or {})
        elif (format or "").strip().lower() == "csv" and not jdbc.is_jdbc(connection_type):
            # Glue's DynamicFrame CSV reader types values (long, double) and shows choices.
            from awsglue.csv_choices import with_csv_types

            frame = with_csv_types(frame)
        return DynamicFrame(frame, self, transformation_ctx)

    def create_data_frame_from_options(
        self,
        connection_type: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        format: str | None = None,
        format_options: Mapping[str, Any] = _NO_OPTIONS,
        transformation_ctx: str = "",
        push_down_predicate: str = "",
        **kwargs: Any,
    ) -> DataFrame:
        shown = {k: v for k, v in connection_options.items() if k != "password"}  # for logs
        bookmarks.warn_missing_ctx(f"{connection_type} {shown}", transformation_ctx)
        if jdbc.is_jdbc(connection_type):
            return jdbc.read_options(self, connection_type, connection_options, transformation_ctx)
        return sources.read_options(
            self.spark_session,
            connection_type,
            connection_options,
            format,
            format_options,
            push_down_predicate,
            transformation_ctx=transformation_ctx,
        )

    def create_dynamic_frame_from_catalog(
        self,
        database: str | None = None,
        table_name: str | None = None,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        push_down_predicate: str = "",
        additional_options: Mapping[str, Any] = _NO_OPTIONS,
        catalog_id: str | None = None,
        **kwargs: Any,
    ) -> DynamicFrame:
        frame = self.create_data_frame_from_catalog(
            database,
            table_name,
            redshift_tmp_dir,
            transformation_ctx,
            push_down_predicate,
            additional_options,
            catalog_id,
            **kwargs,
        )
        return DynamicFrame(frame, self, str(table_name or ""))

    def create_data_frame_from_catalog(
        self,
        database: str | None = None,
        table_name: str | None = None,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        push_down_predicate: str = "",
        additional_options: Mapping[str, Any] = _NO_OPTIONS,
        catalog_id: str | None = None,
        **kwargs: Any,
    ) -> DataFrame:
        name = _database(database, kwargs)
        if not table_name:
            raise ValueError("a table_name is needed")
        bookmarks.warn_missing_ctx(f"catalog table {name}.{table_name}", transformation_ctx)
        table = catalog.get_table(self.glue_client, name, table_name, catalog_id)
        if jdbc.is_jdbc_table(table):
            return jdbc.read_catalog(
                self, table, additional_options, transformation_ctx, catalog_id
            )
        return sources.read_catalog(
            self.spark_session,
            self.glue_client,
            name,
            table_name,
            push_down_predicate,
            additional_options,
            catalog_id,
            transformation_ctx=transformation_ctx,
            table=table,
        )

    def create_dynamic_frame_from_rdd(
        self,
        data: Any,
        name: str,
        schema: Any = None,
        sample_ratio: float | None = None,
        transformation_ctx: str = "",
    ) -> DynamicFrame:
        """A frame from local data (a list of dicts, Rows or tuples), or an RDD on classic
        Spark."""
        frame = self.spark_session.createDataFrame(data, schema, samplingRatio=sample_ratio)
        return DynamicFrame(frame, self, name)

    def get_catalog_schema_as_spark_schema(
        self, database: str, table_name: str, catalog_id: str | None = None
    ) -> StructType:
        from awsglue import catalog

        table = catalog.get_table(self.glue_client, database, table_name, catalog_id)
        return sources.spark_schema(table.columns + table.partition_keys)

    # -- writing ---------------------------------------------------------------------------------

    def write_dynamic_frame_from_options(
        self,
        frame: DynamicFrame,
        connection_type: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        format: str | None = None,
        format_options: Mapping[str, Any] = _NO_OPTIONS,
        transformation_ctx: str = "",
    ) -> DynamicFrame:
        return self.write_from_options(
            frame, connection_type, connection_options, format, format_options, transformation_ctx
        )

    def write_from_options(
        self,
        frame_or_dfc: DynamicFrame | DynamicFrameCollection,
        connection_type: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        format: str | None = None,
        format_options: Mapping[str, Any] = _NO_OPTIONS,
        transformation_ctx: str = "",
        **kwargs: Any,
    ) -> DynamicFrame:
        """Write a frame (or each frame of a collection, in a folder named after it)."""
        if isinstance(frame_or_dfc, DynamicFrameCollection):
            path = str(connection_options.get("path", "")).rstrip("/")
            for name, member in frame_or_dfc.items():
                options = {**connection_options, "path": f"{path}/{name}/"}
                self.write_from_options(member, connection_type, options, format, format_options)
            return self._no_errors("collection")
        if jdbc.is_jdbc(connection_type):
            jdbc.write_options(self, frame_or_dfc.toDF(), connection_type, connection_options)
            return self._no_errors(frame_or_dfc.name)
        sinks.write_options(
            frame_or_dfc.toDF(), connection_type, connection_options, format, format_options
        )
        return self._no_errors(frame_or_dfc.name)

    def write_dynamic_frame_from_catalog(
        self,
        frame: DynamicFrame,
        database: str | None = None,
        table_name: str | None = None,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        additional_options: Mapping[str, Any] = _NO_OPTIONS,
        catalog_id: str | None = None,
        **kwargs: Any,
    ) -> DynamicFrame:
        self.write_data_frame_from_catalog(
            frame.toDF(),
            database,
            table_name,
            redshift_tmp_dir,
            transformation_ctx,
            additional_options,
            catalog_id,
            **kwargs,
        )
        return self._no_errors(frame.name)

    def write_data_frame_from_catalog(
        self,
        frame: DataFrame,
        database: str | None = None,
        table_name: str | None = None,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        additional_options: Mapping[str, Any] = _NO_OPTIONS,
        catalog_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        from awsglue import catalog_update

        name = _database(database, kwargs)
        if not table_name:
            raise ValueError("a table_name is needed")
        table = catalog.get_table(self.glue_client, name, table_name, catalog_id)
        if jdbc.is_jdbc_table(table):
            jdbc.write_catalog(self, frame, table, additional_options, catalog_id)
            return
        sinks.write_catalog(
            frame, self.glue_client, name, table_name, additional_options, catalog_id, table=table
        )
        options = dict(additional_options)
        if table.partition_keys and str(options.get("enableUpdateCatalog", "")).lower() == "true":
            catalog_update.update_catalog(
                self.glue_client,
                frame,
                name,
                table_name,
                location=table.location,
                fmt=table.classification,
                partition_keys=[k.name for k in table.partition_keys],
                update_behavior=str(options.get("updateBehavior", "UPDATE_IN_DATABASE")),
                catalog_id=catalog_id,
            )

    def write_dynamic_frame_from_jdbc_conf(
        self,
        frame: DynamicFrame,
        catalog_connection: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        catalog_id: str | None = None,
    ) -> DynamicFrame:
        return self.write_from_jdbc_conf(
            frame,
            catalog_connection,
            connection_options,
            redshift_tmp_dir,
            transformation_ctx,
            catalog_id,
        )

    def write_from_jdbc_conf(
        self,
        frame_or_dfc: DynamicFrame | DynamicFrameCollection,
        catalog_connection: str,
        connection_options: Mapping[str, Any] = _NO_OPTIONS,
        redshift_tmp_dir: str = "",
        transformation_ctx: str = "",
        catalog_id: str | None = None,
    ) -> DynamicFrame:
        """Append to ``connection_options['dbtable']`` through a catalog JDBC connection (a
        collection's frames all go to that table)."""
        members = (
            list(frame_or_dfc.values())
            if isinstance(frame_or_dfc, DynamicFrameCollection)
            else [frame_or_dfc]
        )
        for member in members:
            jdbc.write_jdbc_conf(
                self, member.toDF(), catalog_connection, connection_options, catalog_id
            )
        name = frame_or_dfc.name if isinstance(frame_or_dfc, DynamicFrame) else "collection"
        return self._no_errors(name)

    def extract_jdbc_conf(
        self, connection_name: str, catalog_id: str | None = None
    ) -> dict[str, str]:
        """The JDBC settings of a catalog connection: ``url`` (without the database),
        ``fullUrl``, ``user``, ``password``, ``vendor`` and the SSL settings."""
        from awsglue.jdbc_connections import connection_conf

        return connection_conf(self.glue_client, connection_name, catalog_id)

    def _no_errors(self, name: str) -> DynamicFrame:
        empty = self.spark_session.createDataFrame([], ERROR_SCHEMA)
        return DynamicFrame(empty, self, f"{name}_errors")

    # -- sources and sinks -----------------------------------------------------------------------

    def getSource(
        self,
        connection_type: str,
        format: str | None = None,
        transformation_ctx: str = "",
        push_down_predicate: str = "",
        **options: Any,
    ) -> DataSource:
        source = DataSource(self, connection_type, options, transformation_ctx, push_down_predicate)
        if format:
            source.setFormat(format)
        return source

    def getSink(
        self,
        connection_type: str,
        format: str | None = None,
        transformation_ctx: str = "",
        **options: Any,
    ) -> DataSink:
        sink = DataSink(self, connection_type, options, transformation_ctx)
        if format:
            sink.setFormat(format)
        return sink

    # -- housekeeping ----------------------------------------------------------------------------

    def purge_s3_path(
        self, s3_path: str, options: Mapping[str, Any] = _NO_OPTIONS, transformation_ctx: str = ""
    ) -> None:
        """Delete files under ``s3_path`` older than ``retentionPeriod`` hours (default 168);
        ``manifestFilePath`` gets a ``Success.csv`` listing them. Embedded buckets, local
        paths and S3 endpoints alike."""
        retention = float(options.get("retentionPeriod", 168))
        deleted = storage.purge_local(s3_path, retention)
        manifest = options.get("manifestFilePath")
        if manifest:
            storage.write_manifest(str(manifest), deleted)

    def get_logger(self) -> GlueLogger:
        return GlueLogger(script_logger())

    def currentTimeMillis(self) -> int:
        return int(time.time() * 1000)

    def sql(self, query: str) -> DataFrame:
        """Spark SQL on the session (GlueContext is an SQLContext in Glue)."""
        return self.spark_session.sql(query)


def _session_of(spark_context: Any) -> SparkSession:
    from pyspark.sql import SparkSession

    from awsglue.spark_context import ConnectSparkContext

    if isinstance(spark_context, ConnectSparkContext):
        return spark_context.sparkSession
    if isinstance(spark_context, SparkSession) or engine.is_connect_session(spark_context):
        return cast("SparkSession", spark_context)
    # None, or a classic SparkContext: the process's session (which reuses that context).
    return engine.get_spark_session()
