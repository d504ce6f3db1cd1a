"""Reading record fields and calling functions and methods, as ``Value``s.

Two record models, as the caller's ``record_factory`` builds them:

- null fields present as None (a plain ``dict`` of the row): ``x["f"]`` is None on a null;
- null fields absent (Glue's ``DynamicRecord``): ``x["f"]`` raises KeyError on a null, the
  record is dropped; ``x.get("f", d)`` gives ``d``.

A field the schema does not have raises KeyError in both. A method called on a value that may
be None raises AttributeError, which is not a dropping error: such calls are translated only
where the value cannot be None (a non-nullable column, an absent-null model, or a guard such as
``x["s"] is not None and x["s"].lower() == "a"``, which the caller records in ``nonnull``).
"""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsglue.record_functions.expr import FALSE, NULL, TRUE, Col, Lit, call, isnull, not_, or_
from awsglue.record_functions.values import (
    PYTHON_WHITESPACE,
    Kind,
    Nulls,
    Untranslatable,
    Value,
    full_err,
    is_literal,
    settle,
)

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructField, StructType


@dataclass(frozen=True)
class Fields:
    """What the translator knows about the record: its schema and null model."""

    schema: StructType | None  # None: every field assumed present, of the type its use needs
    nulls_absent: bool
    nonnull: frozenset[tuple[str, ...]] = field(default_factory=frozenset)


def _kind(data_type: DataType) -> Kind:
    from pyspark.sql import types as T

    if isinstance(data_type, T.StringType):
        return Kind.STR
    if isinstance(data_type, T.ByteType | T.ShortType | T.IntegerType | T.LongType):
        return Kind.INT
    if isinstance(data_type, T.FloatType | T.DoubleType):
        return Kind.FLOAT
    if isinstance(data_type, T.BooleanType):
        return Kind.BOOL
    if isinstance(data_type, T.StructType):
        return Kind.STRUCT
    if isinstance(data_type, T.NullType):
        return Kind.NONE
    return Kind.OTHER


def _lookup(struct: StructType | None, name: str) -> StructField | None:
    if struct is None:
        return None
    matches = [f for f in struct.fields if f.name.lower() == name.lower()]
    if len(matches) > 1:
        raise Untranslatable(f"fields differing only in case ({name!r}) are ambiguous in Spark")
    return matches[0] if matches and matches[0].name == name else None


def _missing(kind: Kind = Kind.NONE) -> Value:
    return Value(NULL, kind, err=TRUE)  # KeyError: the record is dropped


def _field_value(fields: Fields, path: tuple[str, ...], found: StructField | None) -> Value:
    from pyspark.sql.types import StructType

    if found is None:  # no schema at all
        return Value(Col(path), Kind.UNKNOWN, "error" if fields.nulls_absent else "none", path=path)
    kind = _kind(found.dataType)
    struct = found.dataType if isinstance(found.dataType, StructType) else None
    if kind is Kind.NONE:
        return _missing() if fields.nulls_absent else Value(NULL, Kind.NONE, path=path)
    if not found.nullable:
        return Value(Col(path), kind, "never", path=path, struct=struct)
    return Value(
        Col(path), kind, "error" if fields.nulls_absent else "none", path=path, struct=struct
    )


def subscript(fields: Fields, base: Value, key: Value) -> Value:
    """``base[key]`` where base is the record or a nested record."""
    name = key.expr.value if isinstance(key.expr, Lit) else None
    if not isinstance(name, str):
        raise Untranslatable("only constant string keys are translated")
    if base.kind is Kind.RECORD:
        if fields.schema is None:
            return _field_value(fields, (name,), None)
        found = _lookup(fields.schema, name)
        return _field_value(fields, (name,), found) if found else _missing()
    base = settle(base, Kind.STRUCT)
    if base.kind is Kind.NONE:
        return _missing()  # None[...] is a TypeError
    if base.kind is not Kind.STRUCT or not isinstance(base.expr, Col):
        raise Untranslatable(f"indexing a {base.kind.value} value is not translated")
    err = or_(base.err, isnull(base.expr)) if base.nulls != "never" else base.err
    path = (*base.expr.path, name)
    if base.struct is None and fields.schema is None:
        inner = _field_value(fields, path, None)
    else:
        found = _lookup(base.struct, name)
        inner = _field_value(fields, path, found) if found else _missing()
    return dataclasses.replace(inner, err=or_(err, inner.err))


def has_key(fields: Fields, container: Value, key: Value) -> Value:
    """``key in container`` where container is the record or a nested record."""
    container = settle(container, Kind.STRUCT)
    if container.kind not in (Kind.RECORD, Kind.STRUCT) or fields.schema is None:
        raise Untranslatable(f"'in' on a {container.kind.value} value is not translated")
    found = subscript(fields, container, key)
    if found.err == TRUE:  # not a field
        err = container.err
        if container.kind is Kind.STRUCT and container.nulls != "never":
            err = or_(err, isnull(container.expr))  # in None: TypeError
        return Value(FALSE, Kind.BOOL, err=err)
    present = fields.nulls_absent and found.nulls != "never" and found.kind is not Kind.NONE
    return Value(not_(isnull(found.expr)) if present else TRUE, Kind.BOOL, err=found.err)


def get(fields: Fields, base: Value, key: Value, default: Value) -> Value:
    """``base.get(key, default)`` on the record or a nested record."""
    if not (is_literal(default) or default.kind is Kind.NONE):
        raise Untranslatable("only constant defaults of .get() are translated")
    if base.kind is not Kind.RECORD:
        base = settle(base, Kind.STRUCT)
        if base.kind is not Kind.STRUCT:
            raise Untranslatable(f".get() on a {base.kind.value} value is not translated")
        require_not_none(fields, base, "get")
    found = subscript(fields, base, key)
    if found.err == TRUE:  # not in the schema: the default
        return dataclasses.replace(
            default, err=FALSE if base.kind is Kind.RECORD else full_err(base)
        )
    if not fields.nulls_absent or found.nulls == "never" or default.kind is Kind.NONE:
        return dataclasses.replace(found, nulls="none" if found.nulls != "never" else "never")
    found = settle(found, default.kind)
    if found.kind is not default.kind:
        raise Untranslatable(".get() with a default of another type is not translated")
    expr = call("coalesce", found.expr, default.expr)
    return dataclasses.replace(found, expr=expr, nulls="never", path=None)


def require_not_none(fields: Fields, value: Value, method: str) -> None:
    if value.nulls in ("never", "error"):
        return
    if value.path is not None and value.path in fields.nonnull:
        return
    raise Untranslatable(
        f".{method}() on a value that may be None raises AttributeError (not a dropping"
        " error); guard it with 'is not None' to translate it"
    )


_NO_ARGS = {"lower", "upper"}
_STRIPS = {"strip": "btrim", "lstrip": "ltrim", "rstrip": "rtrim"}


def string_method(fields: Fields, receiver: Value, name: str, args: list[Value]) -> Value:
    """``receiver.<name>(*args)`` for the string methods that have an SQL twin."""
    receiver = settle(receiver, Kind.STR)
    if receiver.kind is not Kind.STR:
        raise Untranslatable(f".{name}() on a {receiver.kind.value} value is not translated")
    require_not_none(fields, receiver, name)
    err = receiver.err
    nulls = receiver.nulls
    if name in _NO_ARGS and not args:
        expr = call(name, receiver.expr)
    elif name in _STRIPS and len(args) <= 1:
        chars = _strip_characters(name, args)
        expr = call(_STRIPS[name], receiver.expr, Lit(chars)) if chars else receiver.expr
    elif name in ("startswith", "endswith") and len(args) == 1:
        (affix,) = args
        if affix.kind is Kind.TUPLE and all(isinstance(i, str) for i in affix.items):
            tests = [call(name, receiver.expr, Lit(item)) for item in affix.items]
            return Value(or_(*tests) if tests else FALSE, Kind.BOOL, nulls, err)
        affix = settle(affix, Kind.STR)
        if affix.kind is not Kind.STR:
            raise Untranslatable(f".{name}() of a {affix.kind.value} value is not translated")
        if affix.nulls in ("none", "error"):
            nulls = "error"  # startswith(None): TypeError
        return Value(call(name, receiver.expr, affix.expr), Kind.BOOL, nulls, or_(err, affix.err))
    else:
        raise Untranslatable(f"the string method .{name}() is not translated")
    return Value(expr, Kind.STR, nulls, err)


def _strip_characters(name: str, args: list[Value]) -> str:
    chars = args[0].expr.value if args and isinstance(args[0].expr, Lit) else None
    if args and not (is_literal(args[0]) and (chars is None or isinstance(chars, str))):
        raise Untranslatable(f"only constant characters to .{name}() are translated")
    return chars if isinstance(chars, str) else PYTHON_WHITESPACE


def length(value: Value) -> Value:
    """``len(value)``."""
    value = settle(value, Kind.STR)
    if value.kind is Kind.TUPLE:
        return Value(Lit(len(value.items)), Kind.INT)
    if value.kind is Kind.STR:
        nulls: Nulls = "error" if value.nulls in ("none", "error") else "never"
        return Value(call("char_length", value.expr), Kind.INT, nulls, value.err)
    if value.kind in (Kind.NONE, Kind.INT, Kind.FLOAT, Kind.BOOL):
        return Value(NULL, Kind.INT, err=TRUE)  # object of type ... has no len()
    raise Untranslatable(f"len() of a {value.kind.value} value is not translated")


_INSTANCE_KINDS: dict[object, frozenset[Kind]] = {
    builtins.str: frozenset({Kind.STR}),
    builtins.int: frozenset({Kind.INT, Kind.BOOL}),
    builtins.float: frozenset({Kind.FLOAT}),
    builtins.bool: frozenset({Kind.BOOL}),
    builtins.dict: frozenset({Kind.STRUCT, Kind.RECORD}),
    type(None): frozenset({Kind.NONE}),
}


def is_instance(value: Value, types: object) -> Value:
    """``isinstance(value, types)`` for the builtin scalar types."""
    wanted = types if isinstance(types, tuple) else (types,)
    if value.kind in (Kind.UNKNOWN, Kind.OTHER) or any(t not in _INSTANCE_KINDS for t in wanted):
        raise Untranslatable("isinstance() is translated for str, int, float, bool, dict, None")
    kinds = frozenset().union(*(_INSTANCE_KINDS[t] for t in wanted))
    if value.nulls != "none" or value.kind is Kind.NONE:
        return Value(Lit(value.kind in kinds), Kind.BOOL, err=full_err(value))
    none = isnull(value.expr)  # a None field is an instance of NoneType only
    if value.kind in kinds:
        test = TRUE if Kind.NONE in kinds else not_(none)
    else:
        test = none if Kind.NONE in kinds else FALSE
    return Value(test, Kind.BOOL, err=value.err)
