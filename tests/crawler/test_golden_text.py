"""Golden crawls of checked-in text fixtures: each tree's plan must equal its expected file."""

from __future__ import annotations

import pytest

from openglue.crawler.plan import (
    CrawlOptions,
    CsvClassifierSpec,
    GrokClassifierSpec,
    JsonClassifierSpec,
    XmlClassifierSpec,
)
from tests.crawler.golden import FIXTURES, check_golden

_CUSTOM = (
    GrokClassifierSpec(
        "app-log",
        "applog",
        r"%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} \[%{THREAD:thread}\] %{INT:code:int}"
        r" %{GREEDYDATA:message}",
        custom_patterns="THREAD [a-z0-9-]+",
    ),
    CsvClassifierSpec("hash-csv", delimiter="#", contains_header="ABSENT"),
    JsonClassifierSpec("rows-only", "$.rows[*]"),
    XmlClassifierSpec("entries", "feed_entry", "entry"),
)

CASES = {
    "csv_hive_partitions": ("expected.json", CrawlOptions()),
    "csv_delimiters": ("expected.json", CrawlOptions()),
    "json_nested": ("expected.json", CrawlOptions()),
    "unnamed_partitions": ("expected.json", CrawlOptions()),
    "similarity_split": ("expected.json", CrawlOptions()),
    "similarity_group": ("expected.json", CrawlOptions()),
    "combine_schemas": ("expected.json", CrawlOptions()),
    "combine_schemas/combined": (
        "expected_combined.json",
        CrawlOptions(combine_compatible_schemas=True),
    ),
    "exclusions": (
        "expected.json",
        CrawlOptions(
            exclusions=("**.tmp", "archive/**", "2015/0[!8]/*.csv", "*/*/skip-{me,you}.csv")
        ),
    ),
    "logs": ("expected.json", CrawlOptions()),
    "xml_builtin": ("expected.json", CrawlOptions()),
    # The fixture sits at s3://bucket/data/: level 1 is the bucket, 2 "data", 3 "mydataset".
    "table_level": ("expected.json", CrawlOptions(table_level=3)),
    "table_level/default": ("expected_default.json", CrawlOptions()),
    "custom_classifiers": ("expected.json", CrawlOptions(classifiers=_CUSTOM)),
    "custom_classifiers/builtin_only": ("expected_builtin.json", CrawlOptions()),
    "skipped": ("expected.json", CrawlOptions()),
    "csv_hive_partitions/only_new": (
        "expected_only_new.json",
        CrawlOptions(only_folders=frozenset({"year=2024"})),
    ),
    # SampleSize 2: the third file of the folder is counted but never read (it is not CSV).
    "sampled": ("expected.json", CrawlOptions(sample_size=2)),
    "sampled/all": ("expected_all.json", CrawlOptions()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str) -> None:
    expected, options = CASES[case]
    fixture = FIXTURES / case.split("/")[0]
    check_golden(fixture / "tree", fixture / expected, options)
