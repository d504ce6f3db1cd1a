"""``DataSource`` and ``DataSink``: the builder-style source and sink of ``getSource`` /
``getSink`` (``sink.setFormat("glueparquet"); sink.setCatalogInfo(...); sink.writeFrame(dyf)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.frame_collection import DynamicFrameCollection

__all__ = ["DataSink", "DataSource"]


class DataSource:
    def __init__(
        self,
        glue_context: GlueContext,
        connection_type: str,
        options: Mapping[str, Any],
        transformation_ctx: str = "",
        push_down_predicate: str = "",
    ) -> None:
        self._glue_context = glue_context
        self._connection_type = connection_type
        self._options = dict(options)
        self._format: str | None = None
        self._format_options: dict[str, Any] = {}
        self._transformation_ctx = transformation_ctx
        self._push_down_predicate = push_down_predicate

    def setFormat(self, format: str, **options: Any) -> None:
        self._format = format
        self._format_options = options

    def getFrame(self, **options: Any) -> DynamicFrame:
        return self._glue_context.create_dynamic_frame_from_options(
            self._connection_type,
            self._options,
            self._format,
            self._format_options,
            self._transformation_ctx,
            self._push_down_predicate,
        )

    def getDataFrame(self) -> DataFrame:
        return self.getFrame().toDF()

    def getSampleFrame(self, num: int, **options: Any) -> DynamicFrame:
        from awsglue.dynamicframe import DynamicFrame

        frame = self.getFrame()
        return DynamicFrame(frame.toDF().limit(num), frame.glue_ctx, frame.name)


class DataSink:
    def __init__(
        self,
        glue_context: GlueContext,
        connection_type: str,
        options: Mapping[str, Any],
        transformation_ctx: str = "",
    ) -> None:
        self._glue_context = glue_context
        self._connection_type = connection_type
        self._options = dict(options)
        self._format: str | None = None
        self._format_options: dict[str, Any] = {}
        self._transformation_ctx = transformation_ctx
        self._catalog: tuple[str, str, str] | None = None

    def setFormat(self, format: str, **options: Any) -> None:
        self._format = format
        self._format_options = options

    def setAccumulableSize(self, size: int) -> None:
        """Glue tunes an internal accumulator with this; nothing to tune here."""

    def setCatalogInfo(
        self,
        catalogDatabase: str,
        catalogTableName: str,
        catalogId: str = "",
    ) -> None:
        self._catalog = (catalogDatabase, catalogTableName, catalogId)

    def writeFrame(self, dynamic_frame: DynamicFrame, info: str = "") -> DynamicFrame:
        from awsglue import catalog_update

        result = self._glue_context.write_dynamic_frame_from_options(
            dynamic_frame,
            self._connection_type,
            self._options,
            self._format,
            self._format_options,
            self._transformation_ctx,
        )
        if self._catalog is not None and _flag(self._options.get("enableUpdateCatalog")):
            database, table, catalog_id = self._catalog
            catalog_update.update_catalog(
                self._glue_context.glue_client,
                dynamic_frame.toDF(),
                database,
                table,
                location=str(self._options.get("path", "")),
                fmt=self._format or "parquet",
                partition_keys=list(self._options.get("partitionKeys") or []),
                update_behavior=str(self._options.get("updateBehavior", "UPDATE_IN_DATABASE")),
                catalog_id=catalog_id or None,
            )
        return result

    def writeDataFrame(
        self, dataframe: DataFrame, glue_context: GlueContext, info: str = ""
    ) -> DataFrame:
        from awsglue.dynamicframe import DynamicFrame

        self.writeFrame(DynamicFrame.fromDF(dataframe, glue_context, ""), info)
        return dataframe

    def write(
        self, dynamic_frame_or_dfc: DynamicFrame | DynamicFrameCollection, info: str = ""
    ) -> DynamicFrame:
        from awsglue.frame_collection import DynamicFrameCollection

        if isinstance(dynamic_frame_or_dfc, DynamicFrameCollection):
            results = [self.writeFrame(frame, info) for frame in dynamic_frame_or_dfc.values()]
            return results[-1]
        return self.writeFrame(dynamic_frame_or_dfc, info)


def _flag(value: Any) -> bool:
    return value.strip().lower() == "true" if isinstance(value, str) else bool(value)
