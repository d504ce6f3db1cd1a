"""The DynamicFrame methods that reshape a frame: resolveChoice, split_fields / split_rows,
relationalize, unbox, unnest, unnest_ddb_json / simplify_ddb_json, drop_null_fields, spigot,
mergeDynamicFrame.

Each method is thin: the work is a function over DataFrames in its own module (``frame_choice``,
``frame_split``, ``frame_relationalize`` …); here it gets Glue's signature and the frame's
lineage (error records travel on, see ``frame_errors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from awsglue.frame_collection import DynamicFrameCollection

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType

    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["ReshapeMethods", "path_list"]


def path_list(paths: str | Sequence[str]) -> list[str]:
    """Glue's methods take one field path or several: always a list here."""
    return [paths] if isinstance(paths, str) else list(paths)


class ReshapeMethods:
    """Mixed into ``DynamicFrame``."""

    _frame: DataFrame
    glue_ctx: GlueContext
    name: str

    def _derive(
        self,
        frame: DataFrame,
        name: str | None = None,
        stage_errors: DataFrame | None = None,
        *,
        parents: Sequence[DynamicFrame] = (),
    ) -> DynamicFrame:
        raise NotImplementedError  # DynamicFrame's

    def _collection(self, frames: Mapping[str, DataFrame]) -> DynamicFrameCollection:
        return DynamicFrameCollection(
            {key: self._derive(frame, key) for key, frame in frames.items()}, self.glue_ctx
        )

    def resolveChoice(
        self,
        specs: Sequence[tuple[str, str]] | None = None,
        choice: str = "",
        database: str | None = None,
        table_name: str | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
        catalog_id: str | None = None,
    ) -> DynamicFrame:
        """Resolve choice fields: ``specs`` = [(path, action)] or one ``choice`` action for all
        (``cast:T``, ``project:T``, ``make_cols``, ``make_struct``, ``match_catalog``)."""
        from awsglue.frame_choice import resolve_choice

        catalog_types: dict[str, DataType] | None = None
        if choice.strip().lower() == "match_catalog":
            catalog_types = self._catalog_types(database, table_name, catalog_id)
        if isinstance(specs, tuple) and len(specs) == 2 and isinstance(specs[0], str):
            specs = [specs]
        return self._derive(resolve_choice(self._frame, specs, choice, catalog_types))

    def _catalog_types(
        self, database: str | None, table_name: str | None, catalog_id: str | None
    ) -> dict[str, DataType]:
        from awsglue import catalog, gluetypes

        if not database or not table_name:
            raise ValueError("resolveChoice choice='match_catalog' needs database and table_name")
        table = catalog.get_table(self.glue_ctx.glue_client, database, table_name, catalog_id)
        return {
            column.name.lower(): gluetypes.parse_hive_type_to_spark(column.type)
            for column in (*table.columns, *table.partition_keys)
        }

    def split_fields(
        self,
        paths: str | Sequence[str],
        name1: str,
        name2: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        """{name1: the frame with only ``paths``, name2: the frame without them}."""
        from awsglue.frame_split import split_fields

        selected, rest = split_fields(self._frame, path_list(paths))
        return self._collection({name1: selected, name2: rest})

    def split_rows(
        self,
        comparison_dict: Mapping[str, Any],
        name1: str,
        name2: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        """{name1: records meeting every comparison, name2: the others}."""
        from awsglue.frame_split import split_rows

        matched, rest = split_rows(self._frame, comparison_dict)
        return self._collection({name1: matched, name2: rest})

    def relationalize(
        self,
        root_table_name: str,
        staging_path: str,
        options: Mapping[str, Any] | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrameCollection:
        """Flat tables: the root, and one per array (see ``awsglue.frame_relationalize``)."""
        from awsglue.frame_relationalize import relationalize

        return self._collection(relationalize(self._frame, root_table_name, staging_path))

    def unbox(
        self,
        path: str,
        format: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
        **options: Any,
    ) -> DynamicFrame:
        """Parse the string field ``path`` as ``format`` (json or csv) into a struct."""
        from awsglue.frame_unbox import unbox

        return self._derive(unbox(self._frame, path, format, options))

    def unnest(
        self,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Nested struct fields as top-level fields named ``a.b``."""
        from awsglue.frame_unnest import unnest

        return self._derive(unnest(self._frame))

    def unnest_ddb_json(
        self,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """DynamoDB JSON (``{"S": "x"}``, ``{"N": "1"}``, ``{"M": {…}}``) as plain values."""
        from awsglue.frame_ddb import unnest_ddb_json

        return self._derive(unnest_ddb_json(self._frame))

    def simplify_ddb_json(self) -> DynamicFrame:
        """Like ``unnest_ddb_json`` but an export's ``Item`` struct stays."""
        from awsglue.frame_ddb import unnest_ddb_json

        return self._derive(unnest_ddb_json(self._frame, unwrap_item=False))

    def drop_null_fields(
        self,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Without the fields that are null (or absent) in every record."""
        from awsglue.frame_nulls import drop_null_fields

        return self._derive(drop_null_fields(self._frame))

    def spigot(
        self,
        path: str,
        options: Mapping[str, Any] | None = None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Write a sample (``topk``, ``prob``) to ``path`` as JSON; the frame passes through."""
        from awsglue.frame_spigot import write_sample

        write_sample(self._frame, path, options)
        return self._derive(self._frame)

    def mergeDynamicFrame(
        self,
        stage_dynamic_frame: DynamicFrame,
        primary_keys: Sequence[str],
        transformation_ctx: str = "",
        options: Mapping[str, Any] | None = None,
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Upsert: staging records replace source records with the same ``primary_keys``."""
        from awsglue.frame_merge import merge_frames

        merged = merge_frames(self._frame, stage_dynamic_frame._frame, primary_keys)
        return self._derive(merged, parents=[stage_dynamic_frame])
