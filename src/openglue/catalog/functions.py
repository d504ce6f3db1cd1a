"""User-defined functions as Glue has them: names folded to lowercase like tables, updates
that replace the definition (and may rename it), and the governance rules the model documents
on ``UserDefinedFunctionInput``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from openglue.catalog.filtered_listing import filtered_page
from openglue.catalog.names import fold, now
from openglue.errors import InvalidInputException
from openglue.store.functions import FunctionRecord, FunctionStore, function_not_found

IAM_ONLY = "IAM_ONLY"
LAKE_FORMATION = "LAKE_FORMATION"
MAX_LAKE_FORMATION_URIS = 10


def governance_mode(spec: Mapping[str, Any]) -> str:
    return str(spec.get("GovernanceMode") or IAM_ONLY)


def to_aws(record: FunctionRecord, catalog_id: str) -> dict[str, Any]:
    """The ``UserDefinedFunction`` shape."""
    out = {
        **record.spec,
        "FunctionName": record.name,
        "DatabaseName": record.database,
        "CreateTime": record.create_time,
        "CatalogId": catalog_id,
        "GovernanceMode": governance_mode(record.spec),
    }
    if out["GovernanceMode"] != LAKE_FORMATION:
        # "Glue returns this field only for functions whose GovernanceMode is LAKE_FORMATION."
        out.pop("ArtifactLocation", None)
    return out


def name_pattern(pattern: str) -> re.Pattern[str]:
    """The ``Pattern`` of GetUserDefinedFunctions as a matcher of whole function names.

    Hive metastore clients pass Hive patterns (``*``, ``sum_*|avg_*``) and Glue's own clients
    pass regular expressions (``.*``), so a ``*`` that is not already ``.*`` (or escaped) is a
    wildcard, ``|`` separates alternatives, and the rest is a regular expression. Matching
    ignores case, as Hive's does."""
    translated = re.sub(r"(?<![.\\])\*", ".*", pattern)
    try:
        return re.compile(f"(?:{translated})", re.IGNORECASE | re.DOTALL)
    except re.error as exc:
        raise InvalidInputException(
            f"Pattern {pattern!r} is not a valid regular expression ({exc}); use e.g. '.*' or "
            "'sum_*' to match every function or those starting with sum_"
        ) from None


def _check_governance(fn_input: Mapping[str, Any], current: FunctionRecord | None) -> str:
    """The governance mode the function will have; ``InvalidInputException`` for a request
    the model's documentation forbids."""
    if current is None:
        mode = governance_mode(fn_input)
    else:
        mode = governance_mode(current.spec)
        asked = fn_input.get("GovernanceMode")
        if asked and asked != mode:
            raise InvalidInputException(
                f"Function {current.name} is governed by {mode}; the governance mode cannot "
                "change after a function is created (delete and recreate it instead)"
            )
        new_name = fn_input.get("FunctionName")
        if mode == LAKE_FORMATION and new_name and fold(new_name) != current.name:
            raise InvalidInputException(
                f"Function {current.name} is governed by LAKE_FORMATION and cannot be renamed"
            )
    if mode == LAKE_FORMATION:
        location = fn_input.get("ArtifactLocation")
        if not location:
            raise InvalidInputException(
                "ArtifactLocation is required when GovernanceMode is LAKE_FORMATION"
            )
        uris = [u.get("Uri", "") for u in fn_input.get("ResourceUris") or ()]
        if not 1 <= len(uris) <= MAX_LAKE_FORMATION_URIS:
            raise InvalidInputException(
                f"A LAKE_FORMATION function needs 1 to {MAX_LAKE_FORMATION_URIS} ResourceUris, "
                f"not {len(uris)}"
            )
        outside = [u for u in uris if not u.startswith(location.rstrip("/") + "/")]
        if outside:
            raise InvalidInputException(
                f"Every resource URI of a LAKE_FORMATION function must be under its "
                f"ArtifactLocation {location}; {outside[0]} is not"
            )
    return mode


def _spec(fn_input: Mapping[str, Any], mode: str) -> dict[str, Any]:
    spec = {k: v for k, v in fn_input.items() if k != "FunctionName"}
    spec["GovernanceMode"] = mode
    return spec


class FunctionService:
    def __init__(self, store: FunctionStore, catalog_id: str) -> None:
        self.store = store
        self.catalog_id = catalog_id

    def create(self, database: str, fn_input: Mapping[str, Any]) -> None:
        name = fn_input.get("FunctionName")
        if not name:
            raise InvalidInputException("FunctionInput.FunctionName is required")
        mode = _check_governance(fn_input, None)
        self.store.create(FunctionRecord(fold(database), fold(name), _spec(fn_input, mode), now()))

    def get(self, database: str, name: str) -> FunctionRecord:
        record = self.store.get(fold(database), fold(name))
        if record is None:
            raise function_not_found(fold(database), fold(name))
        return record

    def list(
        self,
        database: str | None,
        pattern: str,
        function_type: str | None,
        after: tuple[str, str] | None,
        limit: int,
    ) -> list[FunctionRecord]:
        """Up to ``limit`` functions of ``database`` (of all databases when ``None``) whose
        name matches ``pattern`` and whose type is ``function_type`` (when given)."""
        matcher = name_pattern(pattern)
        folded = None if database is None else fold(database)

        def keep(record: FunctionRecord) -> bool:
            if function_type and record.spec.get("FunctionType") != function_type:
                return False
            return matcher.fullmatch(record.name) is not None

        return filtered_page(
            lambda cursor, n: self.store.list(folded, cursor, n),
            lambda r: (r.database, r.name),
            keep,
            after,
            limit,
        )

    def update(self, database: str, name: str, fn_input: Mapping[str, Any]) -> None:
        current = self.get(database, name)
        mode = _check_governance(fn_input, current)
        # FunctionName is optional in the model; without it the function keeps its name.
        new_name = fold(fn_input.get("FunctionName") or current.name)
        self.store.replace(
            current.database,
            current.name,
            FunctionRecord(current.database, new_name, _spec(fn_input, mode), current.create_time),
        )

    def delete(self, database: str, name: str) -> None:
        if not self.store.delete(fold(database), fold(name)):
            raise function_not_found(fold(database), fold(name))
