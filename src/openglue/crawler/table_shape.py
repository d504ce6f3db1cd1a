"""The storage descriptor, SerDe and parameters Glue's crawler writes for each classification.

Spark, Athena-style engines and our ``awsglue`` ``from_catalog`` read a crawled table through
these: the input/output formats and SerDe say how, the ``classification`` parameter says what,
and CSV tables carry their delimiter (``field.delim``), quoting and header line count.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from openglue.crawler.folder_tree import SchemaGroup

__all__ = ["Shape", "shape_for", "statistics"]

_TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
_LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
_OPEN_CSV = "org.apache.hadoop.hive.serde2.OpenCSVSerde"

Shape = tuple[str, str, str, dict[str, str], dict[str, str]]
# (input format, output format, SerDe library, SerDe parameters, table parameters)

_COLUMNAR: Mapping[str, tuple[str, str, str, dict[str, str]]] = {
    "parquet": (
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {"serialization.format": "1"},
    ),
    "orc": (
        "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
        {"serialization.format": "1"},
    ),
    "avro": (
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
        "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
        {},
    ),
}


def shape_for(group: SchemaGroup, column_names: Sequence[str], quoted: bool = False) -> Shape:
    """How the table reads its files, from the group its format facts come from; ``quoted``
    when any of its CSV files quotes values."""
    facts = dict(group.format)
    if group.classification in _COLUMNAR:
        input_format, output_format, serde, serde_params = _COLUMNAR[group.classification]
        params = {}
        if "avro.schema.literal" in group.extras:
            params["avro.schema.literal"] = group.extras["avro.schema.literal"]
            serde_params = {**serde_params, **params}
        return input_format, output_format, serde, dict(serde_params), params
    if "delimiter" in facts:
        return _csv_shape(facts, quoted or group.extras.get("quoted") == "true")
    if "grokPattern" in facts:
        serde_params = {"input.format": facts["grokPattern"]}
        if "grokCustomPatterns" in facts:
            serde_params["input.grokCustomPatterns"] = facts["grokCustomPatterns"]
        return _TEXT_IN, _TEXT_OUT, "com.amazonaws.glue.serde.GrokSerDe", serde_params, {}
    if "rowTag" in facts:
        tag = facts["rowTag"]
        attributes = set(group.extras.get("attributes", "").split(","))
        serde_params = {
            f"column.xpath.{name}": f"/{tag}/@{name}" if name in attributes else f"/{tag}/{name}"
            for name in column_names
        }
        return (
            "com.ibm.spss.hive.serde2.xml.XmlInputFormat",
            _TEXT_OUT,
            "com.ibm.spss.hive.serde2.xml.XmlSerDe",
            serde_params,
            {"rowTag": tag, "xmlinput.start": f"<{tag} ", "xmlinput.end": f"</{tag}>"},
        )
    params = {"jsonPath": facts["jsonPath"]} if "jsonPath" in facts else {}
    serde_params = {"paths": ",".join(column_names)}
    return _TEXT_IN, _TEXT_OUT, "org.openx.data.jsonserde.JsonSerDe", serde_params, params


def _csv_shape(facts: dict[str, str], quoted: bool) -> Shape:
    delimiter, quote = facts["delimiter"], facts.get("quote", '"')
    params = {
        "delimiter": delimiter,
        "areColumnsQuoted": "true" if quoted else "false",
        "columnsOrdered": "true",
    }
    if facts.get("header") == "1":
        params["skip.header.line.count"] = "1"
    serde = facts.get("serde", "")
    # Quoted values need OpenCSVSerde to read back right (LazySimpleSerDe keeps the quotes);
    # a custom classifier's explicit choice wins.
    use_open_csv = serde == "OpenCSVSerDe" or (quoted and serde != "LazySimpleSerDe")
    if use_open_csv:
        serde_params = {"separatorChar": delimiter, "quoteChar": quote, "escapeChar": "\\"}
        return _TEXT_IN, _TEXT_OUT, _OPEN_CSV, serde_params, params
    serde_params = {"field.delim": delimiter, "serialization.format": delimiter}
    return _TEXT_IN, _TEXT_OUT, _LAZY_SIMPLE, serde_params, params


def statistics(groups: Sequence[SchemaGroup]) -> dict[str, str]:
    """recordCount, averageRecordSize, objectCount and sizeKey over the given files."""
    records = sum(group.records for group in groups)
    sample_records = sum(group.sample_records for group in groups)
    sample_bytes = sum(group.sample_bytes for group in groups)
    return {
        "recordCount": str(round(records)),
        "averageRecordSize": str(round(sample_bytes / sample_records) if sample_records else 0),
        "objectCount": str(sum(group.files for group in groups)),
        "sizeKey": str(sum(group.size for group in groups)),
    }


def exclusions_parameter(root_uri: str, patterns: Sequence[str]) -> str:
    """Glue stores the crawler's exclusions on the table as full-path globs."""
    return json.dumps([root_uri + pattern for pattern in patterns])
