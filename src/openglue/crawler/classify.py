"""Try classifiers on a file in Glue's order and keep the first certain answer.

The crawler's custom classifiers run first, in the order given; then the built-ins in Glue's
invocation order: Avro, ORC, Parquet, JSON, XML, the log formats, CSV. The first classifier
that is certain (1.0) wins; otherwise the most certain one does; a file no classifier
recognises is skipped and the reason says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial

import pyarrow as pa

from openglue.crawler.classify_columnar import classify_avro, classify_orc, classify_parquet
from openglue.crawler.classify_csv import classify_csv, classify_custom_csv
from openglue.crawler.classify_json import classify_json, classify_json_path
from openglue.crawler.classify_logs import (
    BUILTIN_LOGS,
    classify_builtin_log,
    classify_custom_grok,
)
from openglue.crawler.classify_xml import classify_xml, classify_xml_row_tag
from openglue.crawler.compression import UnreadableObject
from openglue.crawler.plan import (
    CsvClassifierSpec,
    CustomClassifier,
    GrokClassifierSpec,
    JsonClassifierSpec,
    XmlClassifierSpec,
)
from openglue.crawler.probe import FileSchema, Probe

__all__ = ["Classifier", "classifier_chain", "classify_file"]

Classifier = tuple[str, Callable[[Probe], FileSchema | None]]  # (name, classify)

_BUILTINS: tuple[Classifier, ...] = (
    ("avro", classify_avro),
    ("orc", classify_orc),
    ("parquet", classify_parquet),
    ("json", classify_json),
    ("xml", classify_xml),
    *((name, partial(classify_builtin_log, name, pattern)) for name, pattern in BUILTIN_LOGS),
    ("csv", classify_csv),
)
# What a broken or unexpected file can raise inside a classifier: it means "not this format".
_NOT_THIS_FORMAT = (ValueError, OSError, EOFError, KeyError, IndexError, pa.ArrowException)


def classifier_chain(custom: Sequence[CustomClassifier]) -> tuple[Classifier, ...]:
    return (*(_custom(spec) for spec in custom), *_BUILTINS)


def _custom(spec: CustomClassifier) -> Classifier:
    if isinstance(spec, GrokClassifierSpec):
        return spec.name, partial(classify_custom_grok, spec)
    if isinstance(spec, CsvClassifierSpec):
        return spec.name, partial(classify_custom_csv, spec)
    if isinstance(spec, JsonClassifierSpec):
        return spec.name, partial(classify_json_path, spec.json_path)
    assert isinstance(spec, XmlClassifierSpec)
    return spec.name, partial(classify_xml_row_tag, spec.row_tag, spec.classification)


def classify_file(probe: Probe, chain: Sequence[Classifier]) -> tuple[FileSchema, str] | None:
    """The winning schema and the classifier's name, or None when nothing recognises it."""
    best: tuple[FileSchema, str] | None = None
    for name, classify in chain:
        try:
            found = classify(probe)
        except UnreadableObject:
            raise  # no classifier can read it: the crawl skips the object and says why
        except _NOT_THIS_FORMAT:
            continue
        if found is None or found.certainty <= 0.0:
            continue
        if best is None or found.certainty > best[0].certainty:
            best = (found, name)
        if found.certainty >= 1.0:
            break
    if best is None:
        return None
    # Columnar files never have their head read: their compression is internal, "none" to Glue.
    compression = probe.head.compression if "head" in probe.__dict__ else "none"
    return dataclasses.replace(best[0], compression=compression), best[1]
