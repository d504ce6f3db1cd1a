"""``unnest``: nested struct fields become top-level fields named by their full path (``a.b``).

Arrays and maps stay as they are (``relationalize`` pivots arrays), and so do choice columns:
a choice is a field, not a struct of the data. A struct that is null gives null fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_choice import is_choice

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import StructType

__all__ = ["flat_columns", "unnest"]


def flat_columns(
    schema: StructType, prefix: tuple[str, ...] = (), name_prefix: str = ""
) -> list[Column]:
    """Columns for every non-struct field of ``schema``, aliased ``<name_prefix>a.b.c``."""
    from pyspark.sql.types import StructType

    columns: list[Column] = []
    for field in schema.fields:
        path = (*prefix, field.name)
        if isinstance(field.dataType, StructType) and not is_choice(field):
            columns.extend(flat_columns(field.dataType, path, name_prefix))
        else:
            value = field_paths.column_at(path)
            columns.append(value.alias(name_prefix + ".".join(path), metadata=field.metadata))
    return columns


def unnest(frame: DataFrame) -> DataFrame:
    return frame.select(*flat_columns(frame.schema))
