"""Golden-file support: a plan rendered as plain JSON, compared with ``expected*.json``.

``OPENGLUE_REGEN_GOLDEN=1`` rewrites the expected files from the current output; review the
diff before keeping it — the expected files are the specification of what a crawl decides.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from openglue.crawler.infer import plan_target
from openglue.crawler.plan import CrawlOptions, TargetPlan
from openglue.storage.local_objects import LocalObjectSource

FIXTURES = Path(__file__).parent / "fixtures"
ROOT_URI = "s3://bucket/data/"  # fixtures are planned as if they sat at this S3 prefix
_SHORT = "org.apache.hadoop."


def render(plan: TargetPlan, volatile: frozenset[str] = frozenset()) -> dict[str, Any]:
    def relative(uri: str) -> str:
        return uri.replace(plan.root_uri, "ROOT/", 1)

    tables = []
    for table in plan.tables:
        columns = [f"{c.name} {c.type}" for c in table.columns]
        partitions = []
        for partition in table.partitions:
            entry: dict[str, Any] = {
                "values": list(partition.values),
                "location": relative(partition.location),
                "objects": partition.object_count,
            }
            own = [f"{c.name} {c.type}" for c in partition.columns]
            if own != columns:
                entry["columns"] = own
            partitions.append(entry)
        tables.append(
            {
                "name": table.name,
                "location": relative(table.location),
                "classification": table.classification,
                "columns": columns,
                "partition_keys": [f"{c.name} {c.type}" for c in table.partition_keys],
                "partitions": partitions,
                "formats": [
                    f.replace(_SHORT, "") for f in (table.input_format, table.output_format)
                ],
                "serde": table.serde_library.replace(_SHORT, ""),
                "serde_parameters": dict(table.serde_parameters),
                "parameters": {k: v for k, v in table.parameters.items() if k not in volatile},
                "compressed": table.compressed,
                "objects": list(table.object_keys),
            }
        )
    return {
        "tables": tables,
        "skipped": {s.key: s.reason for s in plan.skipped},
        "grouping": [
            f"{d.kind} {d.subject} {d.similarity}"
            for d in plan.decisions
            if d.kind in ("grouped", "split")
        ],
    }


def check_golden(
    tree: Path,
    expected_file: Path,
    options: CrawlOptions,
    volatile: frozenset[str] = frozenset(),
    root_uri: str = ROOT_URI,
) -> TargetPlan:
    plan = plan_target(LocalObjectSource(tree, root_uri), options)
    actual = render(plan, volatile)
    if os.environ.get("OPENGLUE_REGEN_GOLDEN"):
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    expected = json.loads(expected_file.read_text())
    assert actual == expected
    return plan
