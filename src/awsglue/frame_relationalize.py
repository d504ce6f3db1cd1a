"""``relationalize``: a nested frame as flat tables that join back together.

The root table is the frame with its structs unnested (``address.city``); each array field
``c`` becomes a child table ``<table>_<c>`` with the columns ``id`` (the value the parent row
now holds in ``c``), ``index`` (the element's position) and ``c.val`` — or ``c.val.<field>``
… when elements are structs. Arrays inside elements pivot again, into
``<root>_<c>.val.<field>`` tables.
So ``root.c == child.id`` joins a row to its elements, as in Glue.

Why the staging path: the ids are generated (``monotonically_increasing_id``), and a generated
value is only stable once written down — computed twice, for the parent and for the child, it
could differ. So each table that has arrays is written to the staging path as Parquet with its
ids and read back before its children are cut from it; tables without arrays are not written.
Arrays that are null give a null id and no child rows; maps are kept as they are.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from awsglue import field_paths, storage
from awsglue.engine import is_connect_session
from awsglue.frame_unnest import flat_columns

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["relationalize"]

_ROW_ID = "__openglue_row_id"


def _staged(frame: DataFrame, folder: str) -> DataFrame:
    """``frame`` with a row id column, written to ``folder`` and read back."""
    from pyspark.sql import functions as F

    session = frame.sparkSession
    with_ids = frame.select("*", F.monotonically_increasing_id().alias(_ROW_ID))
    with_ids.write.mode("overwrite").parquet(folder)
    return session.read.parquet(folder)


def _element_columns(child: DataFrame, prefix: str) -> list[Column]:
    """The element column ``val`` of an exploded array as ``<prefix>.val[.<field>…]``."""
    from pyspark.sql.types import StructType

    return flat_columns(StructType([child.schema["val"]]), name_prefix=f"{prefix}.")


def _pivot(
    root: str, name: str, frame: DataFrame, staging: str, tables: dict[str, DataFrame]
) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType

    flat = frame.select(*flat_columns(frame.schema))
    arrays = [f.name for f in flat.schema.fields if isinstance(f.dataType, ArrayType)]
    if not arrays:
        tables[name] = flat
        return
    stable = _staged(flat, f"{staging}/{len(tables)}-{uuid.uuid4().hex}")
    row_id = F.col(_ROW_ID)
    tables[name] = stable.select(
        *[
            F.when(F.col(field_paths.quote(c)).isNotNull(), row_id).alias(c)
            if c in arrays
            else F.col(field_paths.quote(c))
            for c in flat.columns
        ]
    )
    for column in arrays:
        exploded = stable.select(
            row_id.alias("id"), F.posexplode(F.col(field_paths.quote(column))).alias("index", "val")
        )
        child = exploded.select("id", "index", *_element_columns(exploded, column))
        # Child columns carry their full path (``a.val.b``), so names stay ``<root>_<path>``.
        _pivot(root, f"{root}_{column}", child, staging, tables)


def relationalize(
    frame: DataFrame, root_table_name: str, staging_path: str
) -> dict[str, DataFrame]:
    """The tables of ``frame``, root first, by name."""
    if not staging_path:
        raise ValueError("relationalize needs a staging_path (an s3:// or local folder)")
    connect = is_connect_session(frame.sparkSession)
    staging = storage.resolve(staging_path.rstrip("/"), connect=connect)
    staging = f"{staging}/openglue-relationalize-{uuid.uuid4().hex}"
    tables: dict[str, DataFrame] = {}
    _pivot(root_table_name, root_table_name, frame, staging, tables)
    return tables
