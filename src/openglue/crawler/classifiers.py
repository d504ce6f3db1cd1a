"""Custom classifiers as Glue has them: four kinds (Grok, CSV, JSON, XML) sharing one name
space, each update bumping ``Version``; crawlers try them first, in the order they list them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from openglue.catalog.names import now
from openglue.crawler.grok import GrokError, compile_grok, parse_custom_patterns
from openglue.crawler.plan import (
    CsvClassifierSpec,
    CustomClassifier,
    GrokClassifierSpec,
    JsonClassifierSpec,
    XmlClassifierSpec,
)
from openglue.errors import InvalidInputException
from openglue.store.classifiers import ClassifierRecord, ClassifierStore, classifier_not_found

# The request member of each kind, and the member the Classifier shape answers with.
KINDS = {
    "GrokClassifier": "grok",
    "XMLClassifier": "xml",
    "JsonClassifier": "json",
    "CsvClassifier": "csv",
}
_MEMBER = {kind: member for member, kind in KINDS.items()}
_GROK_REFERENCE = re.compile(r"%\{([A-Za-z0-9_]+)(?::[^:}]+(?::[a-z]+)?)?\}")


def to_aws(record: ClassifierRecord) -> dict[str, Any]:
    """The ``Classifier`` shape: one member, named after the kind."""
    body = {
        **record.spec,
        "Name": record.name,
        "CreationTime": record.creation_time,
        "LastUpdated": record.last_updated,
        "Version": record.version,
    }
    return {_MEMBER[record.kind]: body}


def _one_kind(operation: str, body: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    given = [member for member in KINDS if body.get(member) is not None]
    if len(given) != 1:
        raise InvalidInputException(
            f"{operation} takes exactly one of {', '.join(KINDS)}; {len(given)} were given"
        )
    return KINDS[given[0]], dict(body[given[0]])


def _check(kind: str, spec: dict[str, Any]) -> None:
    if kind == "csv":
        delimiter, quote = spec.get("Delimiter", ","), spec.get("QuoteSymbol", '"')
        if delimiter == quote:
            raise InvalidInputException(
                f"CsvClassifier QuoteSymbol and Delimiter are both {delimiter!r}; they must differ"
            )
        if spec.get("CustomDatatypes") and not spec.get("CustomDatatypeConfigured"):
            raise InvalidInputException(
                "CsvClassifier CustomDatatypes needs CustomDatatypeConfigured set to true"
            )
    if kind == "json" and not str(spec.get("JsonPath", "")).startswith("$"):
        raise InvalidInputException(
            f"JsonClassifier JsonPath {spec.get('JsonPath')!r} must start with '$' "
            "(for example $[*] or $.records[*])"
        )
    if kind == "grok":
        pattern = str(spec.get("GrokPattern", ""))
        if pattern.count("%{") != len(_GROK_REFERENCE.findall(pattern)):
            raise InvalidInputException(
                f"GrokPattern {pattern!r} has a malformed %{{...}}; write %{{PATTERN}}, "
                "%{PATTERN:field} or %{PATTERN:field:type}"
            )
        # Compile it now, as a crawl would: an undefined pattern, a bad regex or type must be
        # refused here, not fail every crawl that uses the classifier.
        try:
            compile_grok(pattern, parse_custom_patterns(spec.get("CustomPatterns")))
        except GrokError as exc:
            raise InvalidInputException(f"GrokClassifier {exc}") from None


def to_crawl_spec(record: ClassifierRecord) -> CustomClassifier:
    """The classifier as inference applies it."""
    spec = record.spec
    if record.kind == "grok":
        return GrokClassifierSpec(
            record.name, spec["Classification"], spec["GrokPattern"], spec.get("CustomPatterns")
        )
    if record.kind == "json":
        return JsonClassifierSpec(record.name, spec["JsonPath"])
    if record.kind == "xml":
        return XmlClassifierSpec(record.name, spec["Classification"], spec.get("RowTag", ""))
    header = spec.get("Header")
    return CsvClassifierSpec(
        record.name,
        delimiter=spec.get("Delimiter", ","),
        quote_symbol=spec.get("QuoteSymbol", '"'),
        contains_header=spec.get("ContainsHeader", "UNKNOWN"),
        header=tuple(header) if header else None,
        disable_value_trimming=bool(spec.get("DisableValueTrimming", False)),
        allow_single_column=bool(spec.get("AllowSingleColumn", False)),
        custom_datatype_configured=bool(spec.get("CustomDatatypeConfigured", False)),
        custom_datatypes=tuple(spec.get("CustomDatatypes") or ()),
        serde=spec.get("Serde"),
    )


class ClassifierService:
    def __init__(self, store: ClassifierStore) -> None:
        self.store = store

    def create(self, body: Mapping[str, Any]) -> None:
        kind, given = _one_kind("CreateClassifier", body)
        name = given.pop("Name")
        _check(kind, given)
        stamp = now()
        self.store.create(ClassifierRecord(name, kind, given, stamp, stamp, 1))

    def get(self, name: str) -> ClassifierRecord:
        record = self.store.get(name)
        if record is None:
            raise classifier_not_found(name)
        return record

    def list(self, after: str | None, limit: int) -> list[ClassifierRecord]:
        return self.store.list(after, limit)

    def update(self, body: Mapping[str, Any]) -> None:
        kind, given = _one_kind("UpdateClassifier", body)
        name = given.pop("Name")
        current = self.get(name)
        if current.kind != kind:
            raise InvalidInputException(
                f"Classifier {name} is a {_MEMBER[current.kind]}; update it with "
                f"{_MEMBER[current.kind]}, or delete it and create a {_MEMBER[kind]}"
            )
        spec = {**current.spec, **{k: v for k, v in given.items() if v is not None}}
        _check(kind, spec)
        record = ClassifierRecord(
            name, kind, spec, current.creation_time, now(), current.version + 1
        )
        self.store.replace(record, expected_version=current.version)

    def delete(self, name: str) -> None:
        if not self.store.delete(name):
            raise classifier_not_found(name)

    def for_crawl(self, names: Sequence[str]) -> tuple[CustomClassifier, ...]:
        """A crawler's classifiers in its order; a missing one is an error naming it."""
        found = self.store.get_many(names)
        missing = [n for n in names if n not in found]
        if missing:
            raise InvalidInputException(
                f"Classifier(s) {', '.join(missing)} not found; create them or remove them "
                "from the crawler's Classifiers"
            )
        return tuple(to_crawl_spec(found[n]) for n in names)
