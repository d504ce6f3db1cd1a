"""``DynamicFrame``: Glue's self-describing frame, here a Spark DataFrame plus Glue semantics.

A DynamicFrame wraps a DataFrame (``toDF()`` returns it, ``fromDF`` wraps one), its
``GlueContext`` and a name. Every method is written against the DataFrame API only — no RDDs
— so frames work on classic Spark and on Spark Connect engines. Records, as record functions
see them, are ``DynamicRecord`` dicts (``awsglue.dynamic_record``); ``filter`` and ``map`` keep
Glue's error-record semantics (``awsglue.record_ops``), and error records travel with the frames
derived from the one that produced them (``errorsCount``, ``errorsAsDynamicFrame``).

Choice types — the design the ``resolveChoice`` work builds on. Glue gives a field a
``ChoiceType`` when its records disagree on its type. In the DataFrame such a field is a struct
column with one field per alternative, named by the Glue type name (``int``, ``string``,
``struct`` …, in ``ChoiceType.sorted_choices()`` order, exactly ``gluetypes.to_spark`` of the
choice), of which each row sets at most one; the column's ``StructField.metadata`` carries
``{"openglue.choice": true}`` so that ``schema()`` shows a ``ChoiceType`` rather than a struct.
``toDF()`` hands the struct over as it is, which is what Glue's ``toDF`` shows for an unresolved
choice; ``resolveChoice`` actions are column expressions over it: ``cast:T`` casts and
coalesces the alternatives, ``project:T`` keeps one, ``make_cols`` splits it into
``<name>_<type>`` columns, ``make_struct`` drops the tag. Sources that meet conflicting types
(JSON, CSV without a catalog) and ``union`` of disagreeing frames are to build these columns;
Spark carries field metadata through projections, so the tag follows the column.
``schema()`` and ``toDF([ResolveOption(...)])`` understand tagged columns (``frame_schema``);
JSON and CSV reads build them (``json_choices``, ``csv_choices``), ``resolveChoice`` settles
them (``frame_choice``) and ``union`` makes them where the two frames disagree on a field's
type (``frame_union``).
The reshaping methods live in ``frame_reshape`` (one module per concern behind them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from awsglue import field_paths, record_ops
from awsglue.dynamic_record import DynamicRecord
from awsglue.engine import is_connect_session
from awsglue.frame_collection import DynamicFrameCollection
from awsglue.frame_errors import ErrorRecords
from awsglue.frame_reshape import ReshapeMethods, path_list
from awsglue.frame_schema import CHOICE_METADATA_KEY, ResolveOption, glue_type, resolve_for_df

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from awsglue import gluetypes
    from awsglue.context import GlueContext

__all__ = [
    "CHOICE_METADATA_KEY",
    "DynamicFrame",
    "DynamicFrameCollection",
    "DynamicRecord",
    "ResolveOption",
]


def _mapping_specs(mappings: Any) -> list[tuple[str, str, str, str]]:
    if isinstance(mappings, tuple):
        mappings = [mappings]
    specs: list[tuple[str, str, str, str]] = []
    for mapping in mappings:
        if len(mapping) == 4:
            source, source_type, target, target_type = mapping
        elif len(mapping) == 2:
            (source, target), source_type, target_type = mapping, "", ""
        else:
            raise ValueError(
                f"apply_mapping takes (source, source_type, target, target_type) tuples, got"
                f" {mapping!r}"
            )
        specs.append((str(source), str(source_type), str(target), str(target_type)))
    return specs


class DynamicFrame(ErrorRecords, ReshapeMethods):
    """A distributed collection of self-describing records (see the module docstring)."""

    def __init__(
        self,
        jdf: DataFrame,
        glue_ctx: GlueContext,
        name: str = "",
        *,
        errors: Sequence[DataFrame] = (),
        stage_errors: DataFrame | None = None,
    ) -> None:
        self._frame = jdf
        self.glue_ctx = glue_ctx
        self.name = name
        self._stage_errors = stage_errors
        self._errors = (*errors, *([stage_errors] if stage_errors is not None else []))

    def _derive(
        self,
        frame: DataFrame,
        name: str | None = None,
        stage_errors: DataFrame | None = None,
        *,
        parents: Sequence[DynamicFrame] = (),
    ) -> DynamicFrame:
        inherited = [e for parent in (self, *parents) for e in parent._errors]
        return DynamicFrame(
            frame,
            self.glue_ctx,
            self.name if name is None else name,
            errors=inherited,
            stage_errors=stage_errors,
        )

    @classmethod
    def fromDF(cls, dataframe: DataFrame, glue_ctx: GlueContext, name: str = "") -> DynamicFrame:
        return cls(dataframe, glue_ctx, name)

    def toDF(self, options: Sequence[ResolveOption] | None = None) -> DataFrame:
        if not options:
            return self._frame
        return resolve_for_df(self._frame, options)

    # -- information ---------------------------------------------------------------------------

    def schema(self) -> gluetypes.StructType:
        from awsglue import gluetypes

        result = glue_type(self._frame.schema)
        assert isinstance(result, gluetypes.StructType)
        return result

    def printSchema(self) -> None:
        from awsglue import gluetypes

        print(gluetypes.print_schema(self.schema()), end="")

    def show(self, num_rows: int = 20) -> None:
        """Print up to ``num_rows`` records as JSON, one per line, as Glue does."""
        for line in self._json_lines(num_rows):
            print(line)

    def _json_lines(self, num_rows: int) -> list[str]:
        from pyspark.sql import functions as F

        columns = [F.col(field_paths.quote(c)) for c in self._frame.columns]
        if not columns:
            return ["{}"] * len(self._frame.limit(num_rows).collect())
        rows = self._frame.limit(num_rows).select(F.to_json(F.struct(*columns)).alias("j"))
        return [row["j"] for row in rows.collect()]

    def count(self) -> int:
        return int(self._frame.count())

    def getNumPartitions(self) -> int:
        """The number of partitions (on Spark Connect: the number of non-empty ones)."""
        if not is_connect_session(self._frame.sparkSession):
            return int(self._frame.rdd.getNumPartitions())
        from pyspark.sql import functions as F

        return int(self._frame.select(F.spark_partition_id()).distinct().count())

    def with_frame_schema(self, schema: Any) -> DynamicFrame:
        """Glue attaches a precomputed schema; here the DataFrame always knows its own."""
        return self

    # -- fields ----------------------------------------------------------------------------------

    def _resolved(
        self, paths: str | Sequence[str], case_sensitive: bool = True
    ) -> list[tuple[str, ...]]:
        schema = self._frame.schema
        found = (
            field_paths.resolve(schema, field_paths.split(p), case_sensitive)
            for p in path_list(paths)
        )
        return [path for path in found if path is not None]

    def select_fields(
        self,
        paths: str | Sequence[str],
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return self._derive(field_paths.select_paths(self._frame, self._resolved(paths)))

    def drop_fields(
        self,
        paths: str | Sequence[str],
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return self._derive(field_paths.drop_paths(self._frame, self._resolved(paths)))

    def rename_field(
        self,
        oldName: str,
        newName: str,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        old = field_paths.resolve(self._frame.schema, field_paths.split(oldName))
        if old is None:
            return self._derive(self._frame)  # Glue: renaming an absent field changes nothing
        new = field_paths.split(newName)
        if len(new) > 1 and field_paths.resolve(self._frame.schema, new[:-1]) is None:
            raise ValueError(f"rename_field: {newName!r} names a struct that does not exist")
        return self._derive(field_paths.rename_path(self._frame, old, new))

    def apply_mapping(
        self,
        mappings: Any,
        case_sensitive: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Select, rename and cast by ``(source, source_type, target, target_type)`` tuples;
        unmapped fields are dropped, dotted targets build structs, failed casts give null."""
        from awsglue import gluetypes

        schema = self._frame.schema
        assignments = []
        for source, _source_type, target, target_type in _mapping_specs(mappings):
            found = field_paths.resolve(schema, field_paths.split(source), case_sensitive)
            if found is None:
                continue  # records without the source field have no target field either
            column = field_paths.column_at(found)
            if target_type:
                wanted = gluetypes.parse_hive_type_to_spark(target_type)
                if wanted != field_paths.type_at(schema, found):
                    column = column.try_cast(wanted)
            assignments.append((field_paths.split(target), column))
        return self._derive(self._frame.select(*field_paths.build_columns(assignments)))

    applyMapping = apply_mapping

    # -- records ---------------------------------------------------------------------------------

    def filter(
        self,
        f: Any,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Keep the records for which ``f(record)`` is true (see ``awsglue.record_ops``)."""
        from awsglue.record_functions import translate_filter

        # A function that translates into a native condition costs no Python call per record
        # (and cannot raise, so it makes no error records); the others run in Arrow batches.
        native = translate_filter(f, self._frame.schema, nulls_absent=True)
        if native is not None:
            return self._derive(self._frame.filter(native))
        result = record_ops.filter_records(self._frame, f, _stage("Filter", info))
        frame = self._derive(result.frame, stage_errors=result.errors)
        frame.assertErrorThreshold(stageThreshold, totalThreshold)
        return frame

    def map(
        self,
        f: Any,
        preservesPartitioning: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """The records ``f(record)`` returns; failures become error records."""
        result = record_ops.map_records(self._frame, f, _stage("Map", info))
        frame = self._derive(result.frame, stage_errors=result.errors)
        frame.assertErrorThreshold(stageThreshold, totalThreshold)
        return frame

    # -- frames ----------------------------------------------------------------------------------

    def repartition(
        self,
        num_partitions: int,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        return self._derive(self._frame.repartition(num_partitions))

    def coalesce(
        self,
        num_partitions: int,
        shuffle: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        frame = (
            self._frame.repartition(num_partitions)
            if shuffle
            else self._frame.coalesce(num_partitions)
        )
        return self._derive(frame)

    def union(
        self,
        other_frame: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """All records of both frames; fields missing on one side are absent (null), and a
        field the frames type differently becomes a choice."""
        from awsglue.frame_union import union_frames

        frame = union_frames(self._frame, other_frame._frame)
        return self._derive(frame, parents=[other_frame])

    def join(
        self,
        paths1: str | Sequence[str],
        paths2: str | Sequence[str],
        frame2: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold: int = 0,
        totalThreshold: int = 0,
    ) -> DynamicFrame:
        """Equi-join on ``paths1`` = ``paths2``; each result record is the two records merged
        (on a field name both have, ``frame2``'s value is kept). Named ``self.name +
        frame2.name``."""
        from awsglue.frame_join import equi_join

        joined = equi_join(self._frame, path_list(paths1), frame2._frame, path_list(paths2))
        return self._derive(joined, self.name + frame2.name, parents=[frame2])

    def write(
        self,
        connection_type: str,
        connection_options: Mapping[str, Any] | None = None,
        format: str | None = None,
        format_options: Mapping[str, Any] | None = None,
        accumulator_size: int = 0,
    ) -> DynamicFrame:
        return self.glue_ctx.write_dynamic_frame_from_options(
            self, connection_type, connection_options or {}, format, format_options or {}
        )

    def __repr__(self) -> str:
        return f"DynamicFrame(name={self.name!r}, fields={self._frame.columns})"


def _stage(transform: str, info: str) -> str:
    return f"{transform}: {info}" if info else transform
