"""Golden crawls of generated binary trees: columnar formats and compressed text."""

from __future__ import annotations

from pathlib import Path

from openglue.crawler.plan import CrawlOptions
from tests.crawler.binary_fixtures import write_columnar_tree, write_compressed_tree
from tests.crawler.golden import FIXTURES, check_golden

# Byte sizes of generated files depend on the writer's version: not part of the expectation.
_SIZES = frozenset({"sizeKey", "averageRecordSize"})


def test_columnar_schemas_come_from_file_metadata(tmp_path: Path) -> None:
    write_columnar_tree(tmp_path)
    plan = check_golden(
        tmp_path, FIXTURES / "columnar" / "expected.json", CrawlOptions(), volatile=_SIZES
    )
    avro = next(table for table in plan.tables if table.classification == "avro")
    assert '"name": "User"' in avro.parameters["avro.schema.literal"]
    assert avro.serde_parameters["avro.schema.literal"] == avro.parameters["avro.schema.literal"]


def test_every_compression_is_looked_inside(tmp_path: Path) -> None:
    write_compressed_tree(tmp_path)
    check_golden(
        tmp_path, FIXTURES / "compression" / "expected.json", CrawlOptions(), volatile=_SIZES
    )
