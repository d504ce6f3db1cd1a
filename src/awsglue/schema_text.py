"""Text forms of Glue types: Glue's JSON and catalog type strings in, ``printSchema`` trees out.

Catalog strings (``array<struct<a:int,b:string>>``) are parsed by ``awsglue.hive_types`` into a
neutral tree; this module turns that tree into Glue types. ``print_schema`` renders a schema the
way Glue's ``DynamicFrame.printSchema()`` does (layout taken from Glue's documented outputs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from awsglue import gluetypes as glue
from awsglue import hive_types

__all__ = ["from_hive_node", "from_json_value", "parse_hive_type", "print_schema"]


def print_schema(struct: glue.StructType, indent: int = 0) -> str:
    """The text of Glue's ``DynamicFrame.printSchema()``, ending in a newline.

    ``root`` then one ``|-- name: type`` line per field (Glue type names: ``int``, ``long``,
    ``decimal``), each nesting level adding ``|    ``; arrays show an ``element`` line, maps
    ``keyType``/``valueType`` lines, and a choice lists its alternatives (sorted by name) one
    level down. ``indent`` pre-indents every field line by that many levels.
    """
    lines = ["root"]
    _tree_lines(struct, "|    " * indent, lines)
    return "\n".join(lines) + "\n"


def _tree_lines(data_type: glue.DataType, prefix: str, lines: list[str]) -> None:
    members: list[tuple[str, glue.DataType]]
    if isinstance(data_type, glue.StructType):
        members = [(field.name + ": ", field.dataType) for field in data_type]
    elif isinstance(data_type, glue.ArrayType):
        members = [("element: ", data_type.elementType)]
    elif isinstance(data_type, glue.MapType):
        members = [("keyType: ", glue.StringType()), ("valueType: ", data_type.valueType)]
    elif isinstance(data_type, glue.ChoiceType):
        members = [("", choice) for choice in data_type.sorted_choices()]
    else:
        return
    for label, member in members:
        lines.append(f"{prefix}|-- {label}{member.typeName()}")
        _tree_lines(member, prefix + "|    ", lines)


def parse_hive_type(type_string: str) -> glue.DataType:
    """The Glue type of a catalog type string: ``array<struct<a:int,b:string>>`` → ArrayType.

    Accepts Hive names (``bigint``, ``char(n)``/``varchar(n)`` → string …) and Glue's (``long``,
    ``integer``, ``choice<…>``, ``set<…>``), case-insensitively. A bare ``decimal`` is Glue's
    ``decimal(10,2)`` (what ``ApplyMapping`` means by it), not Hive's ``decimal(10,0)``; map
    keys become strings. Raises ``ValueError`` naming the position of a malformed string.
    """
    return from_hive_node(hive_types.parse(type_string))


def from_hive_node(node: hive_types.HiveType) -> glue.DataType:
    parts = [from_hive_node(child) for child in node.children]
    if node.name == "struct":
        pairs = zip(node.field_names, parts, strict=True)
        return glue.StructType(glue.Field(name, part) for name, part in pairs)
    if node.name == "array":
        return glue.ArrayType(parts[0])
    if node.name == "set":
        return glue.SetType(parts[0])
    if node.name == "map":
        return glue.MapType(parts[1])
    if node.name == "choice":
        choice = glue.ChoiceType()
        choice.merge(parts)  # uniontype<int,int> is legal Hive; alternatives merge by name
        return choice
    if node.name == "decimal":
        if not node.params:
            return glue.DecimalType()
        return glue.DecimalType(node.params[0], node.params[1] if len(node.params) > 1 else 0)
    if node.name in ("char", "varchar"):
        return glue.StringType()
    return _BY_HIVE_NAME[node.name]()


_BY_HIVE_NAME = {cls().simpleString(): cls for cls in glue.ATOMIC_TYPES}
_BY_TYPE_NAME = {cls.typeName(): cls for cls in glue.ATOMIC_TYPES}


def from_json_value(value: Mapping[str, Any] | str) -> glue.DataType:
    """Rebuild a type from ``jsonValue()`` output (a dict or its JSON text)."""
    data: Mapping[str, Any] = json.loads(value) if isinstance(value, str) else value
    name, props = data["dataType"], data.get("properties") or {}
    if name in _BY_TYPE_NAME:
        return _BY_TYPE_NAME[name](props)
    if name == "decimal":
        return glue.DecimalType(data.get("precision", 10), data.get("scale", 2), props)
    if name == "enum":
        return glue.EnumType(data.get("options", []), props)
    if name in ("array", "set"):
        return (glue.ArrayType if name == "array" else glue.SetType)(
            from_json_value(data["elementType"]), props
        )
    if name == "map":
        return glue.MapType(from_json_value(data["valueType"]), props)
    if name == "choice":
        return glue.ChoiceType([from_json_value(c) for c in data["choices"]], props)
    if name == "struct":
        fields = (
            glue.Field(f["name"], from_json_value(f["container"]), f.get("properties"))
            for f in data["fields"]
        )
        return glue.StructType(fields, props)
    raise ValueError(f"unknown Glue type {name!r} in {dict(data)!r}")
