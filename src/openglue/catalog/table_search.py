"""SearchTables: free text, property filters and one sort criterion over every table.

Matching runs in Python over a scan of the catalog in batches: the fields searched live inside
JSON definitions that neither SQLite nor PostgreSQL can match the same way. That is a linear
pass per request, fine for catalogs of thousands of tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from openglue.api.validation import parse_timestamp
from openglue.errors import InvalidInputException
from openglue.store.tables import TableRecord, TableStore

_SCAN_BATCH = 500

Field = Callable[[TableRecord], str | float | None]

# Well-known keys, matched case-insensitively; any other filter key names a table parameter.
_TEXT_FIELDS: dict[str, Field] = {
    "databasename": lambda r: r.database,
    "tablename": lambda r: r.name,
    "name": lambda r: r.name,
    "description": lambda r: r.spec.get("Description"),
    "owner": lambda r: r.spec.get("Owner"),
    "tabletype": lambda r: r.spec.get("TableType"),
}
_TIME_FIELDS: dict[str, Field] = {
    "createtime": lambda r: r.create_time,
    "updatetime": lambda r: r.update_time,
    "lastaccesstime": lambda r: r.spec.get("LastAccessTime"),
    "lastanalyzedtime": lambda r: r.spec.get("LastAnalyzedTime"),
}
_SORT_FIELDS = {
    key: field
    for key, field in {**_TEXT_FIELDS, **_TIME_FIELDS}.items()
    if key not in ("owner", "lastaccesstime", "lastanalyzedtime")
}

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "EQUALS": lambda a, b: bool(a == b),
    "GREATER_THAN": lambda a, b: bool(a > b),
    "LESS_THAN": lambda a, b: bool(a < b),
    "GREATER_THAN_EQUALS": lambda a, b: bool(a >= b),
    "LESS_THAN_EQUALS": lambda a, b: bool(a <= b),
}

# AWS splits string fields on punctuation and compares each token with the filter value, so
# Value=link finds "customer-link"; underscores split too, as in "customer_link".
_TOKEN_SPLIT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Predicate:
    field: Field
    is_time: bool
    value: str | float
    comparator: str

    def __call__(self, record: TableRecord) -> bool:
        actual = self.field(record)
        if actual is None:
            return False
        if self.is_time:
            return _COMPARE[self.comparator](float(actual), self.value)
        wanted, text = str(self.value).casefold(), str(actual).casefold()
        if self.comparator == "EQUALS":
            return wanted == text or wanted in _TOKEN_SPLIT.split(text)
        numbers = _numbers(text, wanted)
        if numbers is not None:
            return _COMPARE[self.comparator](*numbers)
        return _COMPARE[self.comparator](text, wanted)


def _numbers(a: str, b: str) -> tuple[float, float] | None:
    try:
        return float(a), float(b)
    except ValueError:
        return None


def _parameter(key: str) -> Field:
    return lambda r: r.spec.get("Parameters", {}).get(key)


def _predicate(index: int, item: dict[str, Any]) -> _Predicate:
    key, value = item.get("Key"), item.get("Value")
    if not key or value is None:
        raise InvalidInputException(f"Filters[{index}] needs both a Key and a Value")
    comparator = item.get("Comparator") or "EQUALS"
    time_field = _TIME_FIELDS.get(key.lower())
    if time_field is not None:
        when = parse_timestamp(value)
        if when is None:
            raise InvalidInputException(
                f"Filters[{index}].Value {value!r} is not a time: {key} compares with epoch "
                "seconds or an ISO 8601 timestamp"
            )
        return _Predicate(time_field, True, when, comparator)
    return _Predicate(_TEXT_FIELDS.get(key.lower(), _parameter(key)), False, value, comparator)


def _text_matcher(search_text: str | None) -> Callable[[TableRecord], bool]:
    """Case-insensitive match on table name, description, database name and parameter
    values: a substring, or the whole value when the text is in double quotes."""
    text = (search_text or "").strip()
    if not text:
        return lambda r: True
    exact = len(text) >= 2 and text[0] == text[-1] == '"'
    wanted = (text[1:-1] if exact else text).casefold()

    def matches(record: TableRecord) -> bool:
        values = [record.name, record.database, record.spec.get("Description") or ""]
        values.extend(str(v) for v in record.spec.get("Parameters", {}).values())
        folded = (v.casefold() for v in values)
        if exact:
            return any(v == wanted for v in folded)
        return any(wanted in v for v in folded)

    return matches


def _sort(records: list[TableRecord], criteria: list[dict[str, Any]]) -> list[TableRecord]:
    records.sort(key=lambda r: (r.database, r.name))
    if not criteria:
        return records
    name = criteria[0].get("FieldName") or ""
    field = _SORT_FIELDS.get(name.lower())
    if field is None:
        raise InvalidInputException(
            f"SortCriteria FieldName {name!r} is not sortable; use one of DatabaseName, "
            "TableName, Description, TableType, CreateTime, UpdateTime"
        )
    # Tables without the field go last whatever the direction.
    present = [r for r in records if field(r) is not None]
    missing = [r for r in records if field(r) is None]
    present.sort(key=lambda r: _sort_value(field(r)), reverse=criteria[0].get("Sort") == "DESC")
    return present + missing


def _sort_value(value: str | float | None) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _all_tables(store: TableStore) -> Iterator[TableRecord]:
    after: tuple[str, str] | None = None
    while True:
        batch = store.scan(after, _SCAN_BATCH)
        yield from batch
        if len(batch) < _SCAN_BATCH:
            return
        after = (batch[-1].database, batch[-1].name)


def search(
    store: TableStore,
    search_text: str | None,
    filters: list[dict[str, Any]],
    sort_criteria: list[dict[str, Any]],
) -> list[TableRecord]:
    """Every table matching the text and all filters, in the requested order (by database
    and name when none is given)."""
    predicates = [_predicate(i, item) for i, item in enumerate(filters)]
    text_matches = _text_matcher(search_text)
    found = [
        record
        for record in _all_tables(store)
        if text_matches(record) and all(p(record) for p in predicates)
    ]
    return _sort(found, sort_criteria)
