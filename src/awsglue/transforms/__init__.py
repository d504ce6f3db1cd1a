"""The built-in transforms, used as ``from awsglue.transforms import *`` then
``Filter.apply(frame=…, f=…)``.

Each transform is a ``GlueTransform`` whose ``apply`` calls the matching DynamicFrame method.
The transforms still to come (SplitFields, SplitRows, ResolveChoice, Relationalize, Unbox,
UnnestFrame, DropNullFields, Spigot, ErrorsAsDynamicFrame, the collection transforms) join
``__all__`` here as they land.
"""

from awsglue.transforms.field_transforms import ApplyMapping, DropFields, RenameField, SelectFields
from awsglue.transforms.frame_transforms import Coalesce, Join, Repartition, Union
from awsglue.transforms.record_transforms import Filter, Map
from awsglue.transforms.transform import GlueTransform

__all__ = [
    "ApplyMapping",
    "Coalesce",
    "DropFields",
    "Filter",
    "GlueTransform",
    "Join",
    "Map",
    "RenameField",
    "Repartition",
    "SelectFields",
    "Union",
    "get_transform",
    "get_transforms",
]

_TRANSFORMS: dict[str, type[GlueTransform]] = {
    cls.__name__: cls
    for cls in (
        ApplyMapping,
        Coalesce,
        DropFields,
        Filter,
        Join,
        Map,
        RenameField,
        Repartition,
        SelectFields,
        Union,
    )
}


def get_transforms() -> set[type[GlueTransform]]:
    return set(_TRANSFORMS.values())


def get_transform(name: str) -> type[GlueTransform] | None:
    return _TRANSFORMS.get(name)
