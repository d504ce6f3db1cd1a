"""Error records of a DynamicFrame: what ``filter`` and ``map`` could not process.

A frame keeps the (uncomputed) error DataFrames of its own stage and of every frame it was
derived from, so counting them runs only the stages that produce them, and only when asked.
Error records have the fields ``errorMessage``, ``errorStage`` and ``record`` (the input record
as JSON); see ``awsglue.record_ops``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame

__all__ = ["ERROR_SCHEMA", "ErrorRecords"]

ERROR_SCHEMA = "errorMessage string, errorStage string, record string"


class ErrorRecords:
    """The error-record methods of ``DynamicFrame``."""

    _frame: DataFrame
    _errors: tuple[DataFrame, ...]
    _stage_errors: DataFrame | None
    glue_ctx: GlueContext
    name: str

    def errorsCount(self) -> int:
        """Error records produced by this frame and the frames it was derived from."""
        return sum(int(errors.count()) for errors in self._errors)

    def stageErrorsCount(self) -> int:
        """Error records produced by the transformation that made this frame."""
        return int(self._stage_errors.count()) if self._stage_errors is not None else 0

    def errorsAsDynamicFrame(self) -> DynamicFrame:
        """The error records as a frame named ``<name>_errors``."""
        from awsglue.dynamicframe import DynamicFrame

        if not self._errors:
            empty = self._frame.sparkSession.createDataFrame([], ERROR_SCHEMA)
            return DynamicFrame(empty, self.glue_ctx, self.name + "_errors")
        frame = self._errors[0]
        for more in self._errors[1:]:
            frame = frame.unionByName(more)
        return DynamicFrame(frame, self.glue_ctx, self.name + "_errors")

    def assertErrorThreshold(self, stageThreshold: int = 0, totalThreshold: int = 0) -> None:
        """Fail when error records exceed a threshold; 0 means no limit."""
        if stageThreshold > 0 and (count := self.stageErrorsCount()) > stageThreshold:
            raise RuntimeError(
                f"{count} error records in this stage exceed stageThreshold {stageThreshold}"
            )
        if totalThreshold > 0 and (count := self.errorsCount()) > totalThreshold:
            raise RuntimeError(f"{count} error records exceed totalThreshold {totalThreshold}")
