"""Choice columns and ``resolveChoice`` (see the choice-type design in ``awsglue.dynamicframe``).

A choice column is a struct with one field per alternative, named by Glue type name, tagged
``{"openglue.choice": true}``; each record sets at most one alternative. Every action here is a
column expression over that struct, so resolving costs no pass over the data:

* ``cast:T`` — each alternative cast to ``T`` (a value that does not fit gives null), coalesced;
  on a field that is not a choice it casts the field.
* ``project:T`` — the ``T`` alternative only (null for records holding another type); on a
  field that is not a choice, the field if it is of type ``T``, else nulls.
* ``make_cols`` — one column ``<name>_<type>`` per alternative, where the field was.
* ``make_struct`` — the untagged struct (fields named by type).
* ``match_catalog`` — ``cast:`` to the type of the same-named column of a catalog table.

Paths are full field paths (``a.b``); choices inside arrays (``list[].x``) are not supported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import TYPE_CHECKING

from awsglue import field_paths
from awsglue.frame_schema import CHOICE_METADATA_KEY

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.types import DataType, StructField, StructType

__all__ = [
    "ChoiceError",
    "choice_column",
    "is_choice",
    "replace_fields",
    "resolve_choice",
    "spark_type_named",
]

Path = tuple[str, ...]
_ACTIONS = ("cast", "project", "make_cols", "make_struct", "match_catalog")


class ChoiceError(ValueError):
    """A resolveChoice spec that cannot be applied."""


def is_choice(field: StructField) -> bool:
    from pyspark.sql.types import StructType

    return isinstance(field.dataType, StructType) and bool(field.metadata.get(CHOICE_METADATA_KEY))


def spark_type_named(type_name: str) -> DataType:
    """The Spark type of a Glue/Hive type name (``int``, ``long``, ``decimal(10,2)`` …)."""
    from awsglue import gluetypes

    try:
        return gluetypes.parse_hive_type_to_spark(type_name.strip())
    except (ValueError, TypeError) as error:
        raise ChoiceError(
            f"unknown type {type_name!r} in a resolveChoice action: {error}"
        ) from None


def _glue_name(spark_type: DataType) -> str:
    from awsglue import gluetypes

    return gluetypes.from_spark(spark_type).typeName()


def choice_column(name: str, alternatives: Mapping[str, Column]) -> Column:
    """A tagged choice column from ``{glue type name: value column}`` (sorted by name)."""
    from pyspark.sql import functions as F

    values = [alternatives[key] for key in sorted(alternatives)]
    parts = [value.alias(key) for key, value in zip(sorted(alternatives), values, strict=True)]
    # A record with none of the alternatives does not have the field: null, not an empty struct.
    present = reduce(lambda left, right: left | right, [v.isNotNull() for v in values])
    return F.when(present, F.struct(*parts)).alias(name, metadata={CHOICE_METADATA_KEY: True})


def _parse(action: str) -> tuple[str, str]:
    kind, _, argument = action.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in _ACTIONS:
        raise ChoiceError(
            f"resolveChoice action {action!r} is not one of cast:<type>, project:<type>,"
            " make_cols, make_struct, match_catalog"
        )
    if kind in ("cast", "project") and not argument.strip():
        raise ChoiceError(f"resolveChoice action {action!r} needs a type, e.g. {kind}:string")
    return kind, argument.strip()


def _resolve_one(
    field: StructField, value: Column, kind: str, argument: str, catalog_type: DataType | None
) -> list[Column]:
    """The columns that replace ``field`` (whose value is ``value``) under one action."""
    from pyspark.sql import functions as F

    name = field.name
    choice = is_choice(field)
    alternatives: list[StructField] = list(field.dataType.fields) if choice else []  # type: ignore[attr-defined]
    if kind == "match_catalog":
        if catalog_type is None:
            return [value.alias(name, metadata=field.metadata)]
        kind = "cast"
    target = catalog_type if catalog_type is not None else None
    if kind in ("cast", "project") and target is None:
        target = spark_type_named(argument)
    if kind == "cast":
        assert target is not None
        if not choice:
            same = field.dataType == target
            return [(value if same else value.try_cast(target)).alias(name)]
        casts = [value.getField(a.name).try_cast(target) for a in alternatives]
        return [F.coalesce(*casts).alias(name) if casts else F.lit(None).cast(target).alias(name)]
    if kind == "project":
        assert target is not None
        if not choice:
            kept = value if field.dataType == target else F.lit(None).cast(target)
            return [kept.alias(name)]
        wanted = _glue_name(target)
        match = next((a for a in alternatives if a.name == wanted), None)
        projected = value.getField(wanted) if match is not None else F.lit(None).cast(target)
        return [projected.alias(name)]
    if not choice:
        return [value.alias(name)]  # make_cols / make_struct leave plain fields alone, as in Glue
    if kind == "make_cols":
        return [value.getField(a.name).alias(f"{name}_{a.name}") for a in alternatives]
    return [value.alias(name, metadata={})]  # make_struct: the same struct, untagged


def replace_fields(
    schema: StructType,
    prefix: Path,
    targets: Mapping[Path, Callable[[StructField, Column], list[Column]]],
) -> list[Column]:
    """Columns for ``schema``'s fields where the field at each ``targets`` path is replaced by
    the columns its function returns (given the field and its value); structs on the way are
    rebuilt, staying null where they were null."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    parents = {path[:end] for path in targets for end in range(1, len(path))}
    columns: list[Column] = []
    for field in schema.fields:
        path = (*prefix, field.name)
        value = field_paths.column_at(path)
        if path in targets:
            columns.extend(targets[path](field, value))
        elif path in parents and isinstance(field.dataType, StructType):
            inner = replace_fields(field.dataType, path, targets)
            columns.append(F.when(value.isNotNull(), F.struct(*inner)).alias(field.name))
        else:
            columns.append(value.alias(field.name, metadata=field.metadata))
    return columns


def _choice_paths(schema: StructType, prefix: Path = ()) -> list[Path]:
    from pyspark.sql.types import StructType

    found: list[Path] = []
    for field in schema.fields:
        path = (*prefix, field.name)
        if is_choice(field):
            found.append(path)
        elif isinstance(field.dataType, StructType):
            found.extend(_choice_paths(field.dataType, path))
    return found


def resolve_choice(
    frame: DataFrame,
    specs: Sequence[tuple[str, str]] | None,
    choice: str,
    catalog_types: Mapping[str, DataType] | None = None,
) -> DataFrame:
    """``frame`` with choices resolved by ``specs`` (path, action) or one ``choice`` action for
    every choice field; ``catalog_types`` (lower-case top-level name → type) serve
    ``match_catalog``."""
    if bool(specs) == bool(choice):
        raise ChoiceError("resolveChoice takes either specs or choice (exactly one of them)")
    schema = frame.schema
    plan: dict[Path, tuple[str, str]] = {}
    if choice:
        plan = {path: _parse(choice) for path in _choice_paths(schema)}
    for path_text, action in specs or ():
        if "[]" in path_text:
            raise ChoiceError(
                f"resolveChoice path {path_text!r}: choices in arrays are not supported"
            )
        kind, argument = _parse(action)
        if kind == "match_catalog":
            raise ChoiceError("match_catalog is a choice= action (with database and table_name)")
        resolved = field_paths.resolve(schema, field_paths.split(path_text))
        if resolved is not None:  # Glue ignores specs for fields the frame does not have
            plan[resolved] = (kind, argument)
    if plan and any(kind == "match_catalog" for kind, _ in plan.values()) and catalog_types is None:
        raise ChoiceError("match_catalog needs database and table_name")

    def action_for(path: Path) -> Callable[[StructField, Column], list[Column]]:
        kind, argument = plan[path]
        catalog_type = (
            (catalog_types or {}).get(path[-1].lower()) if kind == "match_catalog" else None
        )
        return lambda field, value: _resolve_one(field, value, kind, argument, catalog_type)

    if not plan:
        return frame
    return frame.select(*replace_fields(schema, (), {path: action_for(path) for path in plan}))
