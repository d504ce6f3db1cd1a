"""``drop_null_fields``: remove the fields that have no value in any record.

Glue drops fields whose type is ``NullType`` — fields missing or null in every record. A
DataFrame often types such a field anyway (Spark's JSON and CSV readers say ``string``), so the
fields are found by one aggregation counting the non-null values of every field, nested struct
fields included; a struct left with no fields goes too. Arrays and maps are kept or dropped
whole, as Glue does not look into maps either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_choice import is_choice

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["drop_null_fields"]

Path = tuple[str, ...]


def _leaves(schema: StructType, prefix: Path = ()) -> list[Path]:
    from pyspark.sql.types import StructType

    found: list[Path] = []
    for field in schema.fields:
        path = (*prefix, field.name)
        if (
            isinstance(field.dataType, StructType)
            and not is_choice(field)
            and field.dataType.fields
        ):
            found.extend(_leaves(field.dataType, path))
        else:
            found.append(path)
    return found


def _empty_structs(schema: StructType, dropped: set[Path], prefix: Path = ()) -> set[Path]:
    """Struct paths all of whose fields are dropped (so the struct goes too)."""
    from pyspark.sql.types import StructType

    result: set[Path] = set()
    for field in schema.fields:
        path = (*prefix, field.name)
        if isinstance(field.dataType, StructType) and not is_choice(field):
            inner = _empty_structs(field.dataType, dropped, path)
            result |= inner
            children = {(*path, f.name) for f in field.dataType.fields}
            if children and children <= (dropped | inner):
                result.add(path)
    return result


def drop_null_fields(frame: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import NullType

    leaves = _leaves(frame.schema)
    if not leaves:
        return frame
    counts = frame.agg(
        *[F.count(field_paths.column_at(p)).alias(str(i)) for i, p in enumerate(leaves)]
    ).collect()[0]
    dropped = {
        path
        for index, path in enumerate(leaves)
        if counts[str(index)] == 0 or isinstance(field_paths.type_at(frame.schema, path), NullType)
    }
    if not dropped:
        return frame
    structs = _empty_structs(frame.schema, dropped)
    # Keep the outermost paths only: dropping a struct drops what is inside it.
    paths = dropped | structs
    outer = [p for p in paths if not any(p[:end] in paths for end in range(1, len(p)))]
    return field_paths.drop_paths(frame, outer)
