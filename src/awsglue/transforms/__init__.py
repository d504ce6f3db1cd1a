"""The built-in transforms, used as ``from awsglue.transforms import *`` then
``Filter.apply(frame=…, f=…)``.

Each transform is a ``GlueTransform`` whose ``apply`` calls the matching DynamicFrame (or
DynamicFrameCollection) method. ``ALL_TRANSFORMS`` holds Glue's 22; the ML transforms
(``FillMissingValues``, ``FindMatches``, ``FindIncrementalMatches``) are importable from here
and from ``awsglueml.transforms``, as in Glue, but are not star-imported.
"""

from awsglue.transforms.collection_transforms import (
    ErrorsAsDynamicFrame,
    FlatMap,
    MapToCollection,
    SelectFromCollection,
)
from awsglue.transforms.field_transforms import ApplyMapping, DropFields, RenameField, SelectFields
from awsglue.transforms.frame_transforms import Coalesce, Join, Repartition, Union
from awsglue.transforms.ml_transforms import FillMissingValues, FindIncrementalMatches, FindMatches
from awsglue.transforms.record_transforms import Filter, Map
from awsglue.transforms.reshape_transforms import (
    DropNullFields,
    Relationalize,
    ResolveChoice,
    Spigot,
    SplitFields,
    SplitRows,
    Unbox,
    UnnestFrame,
)
from awsglue.transforms.transform import GlueTransform

__all__ = [
    "ALL_TRANSFORMS",
    "ApplyMapping",
    "Coalesce",
    "DropFields",
    "DropNullFields",
    "ErrorsAsDynamicFrame",
    "Filter",
    "FlatMap",
    "GlueTransform",
    "Join",
    "Map",
    "MapToCollection",
    "Relationalize",
    "RenameField",
    "Repartition",
    "ResolveChoice",
    "SelectFields",
    "SelectFromCollection",
    "Spigot",
    "SplitFields",
    "SplitRows",
    "Unbox",
    "Union",
    "UnnestFrame",
    "get_transform",
    "get_transforms",
]

ALL_TRANSFORMS: frozenset[type[GlueTransform]] = frozenset(
    {
        ApplyMapping,
        Coalesce,
        DropFields,
        DropNullFields,
        ErrorsAsDynamicFrame,
        Filter,
        FlatMap,
        Join,
        Map,
        MapToCollection,
        Relationalize,
        RenameField,
        Repartition,
        ResolveChoice,
        SelectFields,
        SelectFromCollection,
        Spigot,
        SplitFields,
        SplitRows,
        Unbox,
        Union,
        UnnestFrame,
    }
)

_TRANSFORMS: dict[str, type[GlueTransform]] = {
    cls.__name__: cls
    for cls in (*ALL_TRANSFORMS, FillMissingValues, FindIncrementalMatches, FindMatches)
}


def get_transforms() -> set[type[GlueTransform]]:
    return set(ALL_TRANSFORMS)


def get_transform(name: str) -> type[GlueTransform] | None:
    return _TRANSFORMS.get(name)
