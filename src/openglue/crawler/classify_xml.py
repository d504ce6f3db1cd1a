"""XML: Glue's built-in XML classifier and custom XML classifiers (a row tag).

A file is XML when it starts with a tag. Each row element is a record: its attributes and its
child elements are columns; a child with children or attributes of its own is a ``struct``, a
child tag repeated within one row is an ``array``, and leaf text is typed like a CSV cell.
Without a custom row tag, the rows are the root element's children, named after the first one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator
from typing import cast

from openglue.crawler.hive_schema import (
    HiveType,
    array_of,
    merge_columns,
    merge_types,
    struct_of,
)
from openglue.crawler.probe import SAMPLE_RECORDS, FileSchema, Probe
from openglue.crawler.text_types import text_type

__all__ = ["classify_xml", "classify_xml_row_tag"]


def classify_xml(probe: Probe) -> FileSchema | None:
    return _classify(probe, None, "xml")


def classify_xml_row_tag(row_tag: str, classification: str, probe: Probe) -> FileSchema | None:
    return _classify(probe, row_tag, classification)


def _classify(probe: Probe, row_tag: str | None, classification: str) -> FileSchema | None:
    if probe.is_binary or not probe.text.lstrip().startswith("<"):
        return None
    columns: list[tuple[str, HiveType]] = []
    records = 0
    tag = row_tag
    attributes: dict[str, None] = {}
    for element in _rows(probe.text, row_tag):
        tag = element.tag
        attributes.update(dict.fromkeys(name.lower() for name in element.attrib))
        columns = merge_columns(columns, _element_fields(element))
        records += 1
        if records >= SAMPLE_RECORDS:
            break
    if records == 0 or tag is None:
        return None
    return FileSchema(
        classification,
        tuple((name.lower(), kind) for name, kind in columns),
        records=records,
        record_bytes=len(probe.head.data),
        exact=probe.head.complete and records < SAMPLE_RECORDS,
        format=(("rowTag", tag),),
        extras=(("attributes", ",".join(attributes)),),
    )


def _rows(text: str, row_tag: str | None) -> Iterator[ElementTree.Element]:
    """Row elements as they close; a sample cut mid-document ends the rows, not the crawl.
    Without a row tag, the rows are the root's children with the most common tag (a header
    element before the records does not decide it)."""
    parser: ElementTree.XMLPullParser[ElementTree.Element]
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    depth = 0
    children: list[ElementTree.Element] = []
    try:
        parser.feed(text)
        for event_and_element in parser.read_events():
            event, element = cast(tuple[str, ElementTree.Element], event_and_element)
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if row_tag is None:
                if depth == 1:
                    children.append(element)
            elif element.tag == row_tag:
                yield element
                element.clear()
    except ElementTree.ParseError:
        pass
    if row_tag is None and children:
        tags = Counter(child.tag for child in children)
        common = max(tags, key=lambda tag: tags[tag])  # first seen wins a tie
        yield from (child for child in children if child.tag == common)


def _element_fields(element: ElementTree.Element) -> list[tuple[str, HiveType]]:
    fields: list[tuple[str, HiveType]] = [
        (name, text_type(value)) for name, value in element.attrib.items()
    ]
    counts: dict[str, int] = {}
    for child in element:
        counts[child.tag] = counts.get(child.tag, 0) + 1
    seen: dict[str, HiveType] = {}
    for child in element:
        kind = _element_type(child)
        seen[child.tag] = merge_types(seen[child.tag], kind) if child.tag in seen else kind
    for tag, kind in seen.items():
        fields.append((tag, array_of(kind) if counts[tag] > 1 else kind))
    return fields


def _element_type(element: ElementTree.Element) -> HiveType:
    if len(element) or element.attrib:
        return struct_of(_element_fields(element))
    return text_type(element.text or "")
