"""A crawler's ``Configuration``: the versioned JSON string that tunes what a crawl writes.

Only the documented keys are accepted, so a typo ("TableGroupPolicy") is an error at
CreateCrawler rather than a setting silently ignored at every crawl.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from openglue.errors import InvalidInputException

_TOP_KEYS = {"Version", "CrawlerOutput", "Grouping", "CreatePartitionIndex"}
_OUTPUT_KEYS = {"Partitions", "Tables"}
_GROUPING_KEYS = {"TableGroupingPolicy", "TableLevelConfiguration"}


@dataclass(frozen=True)
class CrawlerConfiguration:
    inherit_from_table: bool = False  # CrawlerOutput.Partitions.AddOrUpdateBehavior
    merge_new_columns: bool = False  # CrawlerOutput.Tables.AddOrUpdateBehavior
    table_threshold: int | None = None  # CrawlerOutput.Tables.TableThreshold
    combine_compatible_schemas: bool = False  # Grouping.TableGroupingPolicy
    table_level: int | None = None  # Grouping.TableLevelConfiguration
    create_partition_index: bool = True


def _bad(reason: str) -> InvalidInputException:
    return InvalidInputException(f"Crawler Configuration is not valid: {reason}")


def _object(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(f"{where} must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _bad(f"{where} has unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    return value


def _enum(section: dict[str, Any], key: str, value: str, where: str) -> bool:
    found = section.get(key)
    if found is None:
        return False
    if found != value:
        raise _bad(f"{where}.{key} must be {value!r}, not {found!r}")
    return True


def _positive(section: dict[str, Any], key: str, where: str) -> int | None:
    found = section.get(key)
    if found is None:
        return None
    if isinstance(found, bool) or not isinstance(found, int) or found < 1:
        raise _bad(f"{where}.{key} must be a whole number of at least 1, not {found!r}")
    return found


def parse_configuration(text: str | None) -> CrawlerConfiguration:
    """The settings in a Configuration string; ``InvalidInputException`` explains a bad one."""
    if not text:
        return CrawlerConfiguration()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _bad(f"it is not JSON ({exc})") from None
    top = _object(data, "the configuration", _TOP_KEYS)
    if top.get("Version") != 1.0:
        raise _bad('"Version" must be 1.0, the only version Glue defines')
    output = _object(top.get("CrawlerOutput", {}), "CrawlerOutput", _OUTPUT_KEYS)
    partitions = _object(
        output.get("Partitions", {}), "CrawlerOutput.Partitions", {"AddOrUpdateBehavior"}
    )
    tables = _object(
        output.get("Tables", {}),
        "CrawlerOutput.Tables",
        {"AddOrUpdateBehavior", "TableThreshold"},
    )
    grouping = _object(top.get("Grouping", {}), "Grouping", _GROUPING_KEYS)
    index = top.get("CreatePartitionIndex", True)
    if not isinstance(index, bool):
        raise _bad(f"CreatePartitionIndex must be true or false, not {index!r}")
    return CrawlerConfiguration(
        inherit_from_table=_enum(
            partitions, "AddOrUpdateBehavior", "InheritFromTable", "CrawlerOutput.Partitions"
        ),
        merge_new_columns=_enum(
            tables, "AddOrUpdateBehavior", "MergeNewColumns", "CrawlerOutput.Tables"
        ),
        table_threshold=_positive(tables, "TableThreshold", "CrawlerOutput.Tables"),
        combine_compatible_schemas=_enum(
            grouping, "TableGroupingPolicy", "CombineCompatibleSchemas", "Grouping"
        ),
        table_level=_positive(grouping, "TableLevelConfiguration", "Grouping"),
        create_partition_index=index,
    )
