"""Line-oriented logs matched by grok: the built-in log classifiers and custom Grok ones.

A grok classifier's certainty is the share of sampled lines its pattern matches in full, so a
log with a few odd lines still classifies, below a classifier that matches every line. The
first line decides quickly whether a pattern can match at all, which keeps the cost of trying
three log formats on every CSV file negligible.
"""

from __future__ import annotations

from functools import cache

from openglue.crawler.classify_csv import line_counts
from openglue.crawler.grok import GrokPattern, compile_grok, parse_custom_patterns
from openglue.crawler.hive_schema import primitive
from openglue.crawler.plan import GrokClassifierSpec
from openglue.crawler.probe import FileSchema, Probe

__all__ = ["BUILTIN_LOGS", "classify_builtin_log", "classify_custom_grok"]

# Glue's built-in log classifiers, in the order Glue tries them.
BUILTIN_LOGS: tuple[tuple[str, str], ...] = (
    ("combined_apache", "%{COMBINEDAPACHELOG}"),
    ("apache", "%{COMMONAPACHELOG}"),
    ("linux_kernel", "%{SYSLOGBASE} %{GREEDYDATA:message}"),
)


@cache
def _compiled(pattern: str, custom: str | None) -> GrokPattern:
    return compile_grok(pattern, parse_custom_patterns(custom))


def classify_builtin_log(classification: str, pattern: str, probe: Probe) -> FileSchema | None:
    return _classify(probe, classification, _compiled(pattern, None), None)


def classify_custom_grok(spec: GrokClassifierSpec, probe: Probe) -> FileSchema | None:
    compiled = _compiled(spec.grok_pattern, spec.custom_patterns)
    return _classify(probe, spec.classification, compiled, spec.custom_patterns)


def _classify(
    probe: Probe, classification: str, grok: GrokPattern, custom: str | None
) -> FileSchema | None:
    if probe.is_binary or not probe.lines or not grok.fields:
        return None
    lines = probe.lines
    if grok.regex.fullmatch(lines[0].rstrip("\r")) is None:
        return None
    matched = sum(1 for line in lines if grok.regex.fullmatch(line.rstrip("\r")))
    count, size = line_counts(probe)
    format_ = [("grokPattern", grok.source)]
    if custom:
        format_.append(("grokCustomPatterns", custom))
    return FileSchema(
        classification,
        tuple((field.name.lower(), primitive(field.type)) for field in grok.fields),
        records=count,
        record_bytes=size,
        exact=probe.head.complete,
        certainty=matched / len(lines),
        format=tuple(format_),
    )
