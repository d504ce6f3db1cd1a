"""The DynamicFrame type system: Glue's own types, which unlike Spark's have a ``ChoiceType``.

A DynamicFrame computes its schema from its records; a field seen with several types becomes a
``ChoiceType`` until ``resolveChoice`` settles it. Types compare by value (properties included,
as in Glue), render as Glue names (``typeName``: ``int``, ``long``, ``choice``) and as catalog
type strings (``simpleString``: ``bigint``, ``struct<a:int>``), and serialise to Glue's JSON
shape (``jsonValue``; ``schema_text.from_json_value`` reads it back). Conversions to and from
Spark types and Hive type strings are at the end; Spark is imported only when they run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pyspark.sql import types as spark

Properties = Mapping[str, Any]


class DataType:
    """Base of all types. ``properties`` is free-form metadata carried along with the type."""

    def __init__(self, properties: Properties | None = None) -> None:
        self.properties: dict[str, Any] = dict(properties or {})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._repr_args())})"

    def _repr_args(self) -> list[str]:
        return [repr(self.properties)] if self.properties else []

    @classmethod
    def typeName(cls) -> str:
        """The Glue name, as ``printSchema`` shows it: ``StringType`` → ``string``."""
        return cls.__name__[: -len("Type")].lower()

    def simpleString(self) -> str:
        """The catalog (Hive) type string; Glue-only types keep their Glue names."""
        return self.typeName()

    def jsonValue(self) -> dict[str, Any]:
        return {"dataType": self.typeName(), "properties": dict(self.properties)}


class AtomicType(DataType):
    """A type without parts. ``_hive`` is the catalog name where it differs from Glue's."""

    _hive: ClassVar[str | None] = None

    def simpleString(self) -> str:
        return self._hive or self.typeName()


class BinaryType(AtomicType):
    pass


class BooleanType(AtomicType):
    pass


class ByteType(AtomicType):
    _hive = "tinyint"


class DateType(AtomicType):
    pass


class DecimalType(AtomicType):
    def __init__(
        self, precision: int = 10, scale: int = 2, properties: Properties | None = None
    ) -> None:
        super().__init__(properties)
        self.precision = precision
        self.scale = scale

    def _repr_args(self) -> list[str]:
        return [str(self.precision), str(self.scale), *super()._repr_args()]

    def simpleString(self) -> str:
        return f"decimal({self.precision},{self.scale})"

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "precision": self.precision, "scale": self.scale}


class DoubleType(AtomicType):
    pass


class EnumType(AtomicType):
    """A string limited to ``options``; stored (and written to catalogs) as a string."""

    _hive = "string"

    def __init__(self, options: Iterable[str], properties: Properties | None = None) -> None:
        super().__init__(properties)
        self.options = list(options)

    def _repr_args(self) -> list[str]:
        return [repr(self.options), *super()._repr_args()]

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "options": list(self.options)}


class FloatType(AtomicType):
    pass


class IntegerType(AtomicType):
    @classmethod
    def typeName(cls) -> str:
        return "int"  # Glue's name, not Spark's "integer"


class LongType(AtomicType):
    _hive = "bigint"


class NullType(AtomicType):
    pass


class ShortType(AtomicType):
    _hive = "smallint"


class StringType(AtomicType):
    pass


class TimestampType(AtomicType):
    pass


class TimestampNTZType(AtomicType):
    _hive = "timestamp_ntz"


class UnknownType(AtomicType):
    pass


class ArrayType(DataType):
    def __init__(
        self, elementType: DataType | None = None, properties: Properties | None = None
    ) -> None:
        super().__init__(properties)
        self.elementType = _checked(
            UnknownType() if elementType is None else elementType, "elementType"
        )

    def _repr_args(self) -> list[str]:
        return [repr(self.elementType), *super()._repr_args()]

    def simpleString(self) -> str:
        return f"{self.typeName()}<{self.elementType.simpleString()}>"

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "elementType": self.elementType.jsonValue()}


class SetType(ArrayType):
    """An array whose elements are distinct (Glue-only; Spark and catalogs see an array)."""


class ChoiceType(DataType):
    """A field that holds values of several types; at most one choice per ``typeName``."""

    def __init__(
        self, choices: Iterable[DataType] = (), properties: Properties | None = None
    ) -> None:
        super().__init__(properties)
        self.choices: dict[str, DataType] = {}
        for choice in choices:
            self.add(choice)

    def add(self, choice: DataType) -> None:
        if choice.typeName() in self.choices:
            raise ValueError(f"choice already has a {choice.typeName()} alternative: {choice!r}")
        self.choices[_checked(choice, "choice").typeName()] = choice

    def merge(self, choices: DataType | Iterable[DataType]) -> None:
        """Add alternatives, merging each with an existing one of the same ``typeName``."""
        for choice in [choices] if isinstance(choices, DataType) else choices:
            existing = self.choices.get(choice.typeName(), UnknownType())
            self.choices[choice.typeName()] = mergeDataTypes(existing, choice)

    def sorted_choices(self) -> list[DataType]:
        return [self.choices[name] for name in sorted(self.choices)]

    def _repr_args(self) -> list[str]:
        return [repr(self.sorted_choices()), *super()._repr_args()]

    def simpleString(self) -> str:
        return f"choice<{','.join(c.simpleString() for c in self.sorted_choices())}>"

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "choices": [c.jsonValue() for c in self.sorted_choices()]}


class MapType(DataType):
    """A map with string keys (DynamicFrame maps are keyed by strings, so only values vary)."""

    def __init__(
        self, valueType: DataType | None = None, properties: Properties | None = None
    ) -> None:
        super().__init__(properties)
        self.valueType = _checked(UnknownType() if valueType is None else valueType, "valueType")

    def _repr_args(self) -> list[str]:
        return [repr(self.valueType), *super()._repr_args()]

    def simpleString(self) -> str:
        return f"map<string,{self.valueType.simpleString()}>"

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "valueType": self.valueType.jsonValue()}


class Field:
    """A named struct member. Equality ignores ``properties``, as in Glue."""

    def __init__(self, name: str, dataType: DataType, properties: Properties | None = None) -> None:
        self.name = name
        self.dataType = _checked(dataType, f"type of field {name!r}")
        self.properties: dict[str, Any] = dict(properties or {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Field) and (self.name, self.dataType) == (
            other.name,
            other.dataType,
        )

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        extra = f", {self.properties!r}" if self.properties else ""
        return f"Field({self.name!r}, {self.dataType!r}{extra})"

    def jsonValue(self) -> dict[str, Any]:
        container = self.dataType.jsonValue()
        return {"name": self.name, "container": container, "properties": dict(self.properties)}


class StructType(DataType):
    def __init__(self, fields: Iterable[Field] = (), properties: Properties | None = None) -> None:
        super().__init__(properties)
        self.fields: list[Field] = []
        self.field_map: dict[str, Field] = {}
        for field in fields:
            self.add(field)

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def add(self, field: Field) -> None:
        if not isinstance(field, Field):
            raise TypeError(f"StructType holds Field objects, got {field!r}")
        self.fields.append(field)
        self.field_map[field.name] = field

    def hasField(self, field: Field | str) -> bool:
        return (field.name if isinstance(field, Field) else field) in self.field_map

    def getField(self, field: Field | str) -> Field:
        return self.field_map[field.name if isinstance(field, Field) else field]

    def _repr_args(self) -> list[str]:
        return [repr(self.fields), *super()._repr_args()]

    def simpleString(self) -> str:
        members = (f"{_hive_name(f.name)}:{f.dataType.simpleString()}" for f in self.fields)
        return f"struct<{','.join(members)}>"

    def jsonValue(self) -> dict[str, Any]:
        return {**super().jsonValue(), "fields": [f.jsonValue() for f in self.fields]}


class EntityType(DataType):
    """Declared by Glue's library but unsupported there too; kept so imports keep working."""

    def __init__(
        self, entity: str, base_type: DataType, properties: Properties | None = None
    ) -> None:
        raise NotImplementedError("EntityType is not supported (nor is it in AWS Glue's library)")


def _checked(value: DataType, what: str) -> DataType:
    if not isinstance(value, DataType):
        raise TypeError(f"{what} must be a gluetypes DataType, got {value!r}")
    return value


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]+")


def _hive_name(name: str) -> str:
    return name if _PLAIN_NAME.fullmatch(name) else "`" + name.replace("`", "``") + "`"


ATOMIC_TYPES: list[type[AtomicType]] = [
    BinaryType,
    BooleanType,
    ByteType,
    DateType,
    DoubleType,
    FloatType,
    IntegerType,
    LongType,
    NullType,
    ShortType,
    StringType,
    TimestampType,
    TimestampNTZType,
    UnknownType,
]


def mergeDataTypes(s1: DataType, s2: DataType) -> DataType:
    """The type of a field seen as ``s1`` in some records and ``s2`` in others.

    Null/unknown give way to the other side; structs merge field by field (``s1``'s order, then
    new fields of ``s2``); arrays, sets and maps merge their parts; differing types become a
    ``ChoiceType``. Like Glue, two decimals keep ``s1``'s precision and properties are not merged.
    """
    if isinstance(s1, (UnknownType, NullType)):
        return s2
    if isinstance(s2, (UnknownType, NullType)):
        return s1
    if isinstance(s1, ChoiceType) or type(s1) is not type(s2):
        merged = ChoiceType(
            s1.choices.values() if isinstance(s1, ChoiceType) else [s1], s1.properties
        )
        merged.merge(list(s2.choices.values()) if isinstance(s2, ChoiceType) else s2)
        return merged
    if isinstance(s1, StructType) and isinstance(s2, StructType):
        fields = [
            Field(f.name, mergeDataTypes(f.dataType, s2.getField(f).dataType), f.properties)
            if s2.hasField(f)
            else f
            for f in s1
        ]
        fields += [f for f in s2 if not s1.hasField(f)]
        return StructType(fields, s1.properties)
    if isinstance(s1, ArrayType) and isinstance(s2, ArrayType):
        return type(s1)(mergeDataTypes(s1.elementType, s2.elementType), s1.properties)
    if isinstance(s1, MapType) and isinstance(s2, MapType):
        return MapType(mergeDataTypes(s1.valueType, s2.valueType), s1.properties)
    if isinstance(s1, EnumType) and isinstance(s2, EnumType):
        return EnumType(dict.fromkeys(s1.options + s2.options), s1.properties)
    return s1


# The text and Spark forms live in their own modules (which build on the classes above) and
# are imported on first use: that keeps this module free of import cycles and of pyspark.


def print_schema(struct: StructType, indent: int = 0) -> str:
    """The text of Glue's ``DynamicFrame.printSchema()`` for ``struct`` (see ``schema_text``)."""
    from awsglue import schema_text

    return schema_text.print_schema(struct, indent)


def parse_hive_type(type_string: str) -> DataType:
    """The Glue type of a catalog type string such as ``array<struct<a:int,b:string>>``
    (see ``schema_text.parse_hive_type`` for the accepted names)."""
    from awsglue import schema_text

    return schema_text.parse_hive_type(type_string)


def from_spark(spark_type: spark.DataType) -> DataType:
    """The Glue type of a Spark type (nullability is dropped: Glue types have none)."""
    from awsglue import spark_types

    return spark_types.from_spark(spark_type)


def to_spark(glue_type: DataType) -> spark.DataType:
    """The Spark type of a Glue type; an unresolved choice becomes a struct of its alternatives
    named by type (``struct<int:int,string:string>``), as Glue's ``toDF`` shows it."""
    from awsglue import spark_types

    return spark_types.to_spark(glue_type)


def parse_hive_type_to_spark(type_string: str) -> spark.DataType:
    """The Spark type of a catalog type string; unlike the Glue route, map key types are kept."""
    from awsglue import spark_types

    return spark_types.from_hive(type_string)
