"""Delta and Iceberg tables planned from their metadata: schema, partition columns, location
and totals as the catalog gets them, from hand-written logs and metadata files."""

from __future__ import annotations

from pathlib import Path

from openglue.crawler.lake_targets import plan_delta_target, plan_iceberg_target
from openglue.crawler.plan import TablePlan
from openglue.storage.local_objects import LocalObjectSource
from tests.crawler.lake_fixtures import (
    ORDERS_SCHEMA,
    PROTOCOL,
    add_action,
    iceberg_field,
    iceberg_v2,
    metadata_action,
    spark_schema,
    write_checkpoint,
    write_commit,
    write_json,
)

ROOT = "s3://lake/warehouse/"


def _columns(table: TablePlan) -> list[str]:
    return [f"{c.name} {c.type}" for c in table.columns]


def test_delta_log_replayed_into_schema_partitions_and_totals(tmp_path: Path) -> None:
    table = tmp_path / "orders"
    write_commit(
        table,
        0,
        [
            PROTOCOL,
            metadata_action(ORDERS_SCHEMA, ["day"]),
            add_action("day=2024-01-01/part-0.parquet", 100, "2024-01-01", 5),
            add_action("day=2024-01-02/part-0.parquet", 300, "2024-01-02", 15),
        ],
    )
    # Commit 1 evolves the schema and replaces a file.
    evolved = ORDERS_SCHEMA.replace(
        '{"name": "day"',
        '{"name": "note", "type": "string", "nullable": true, "metadata": '
        '{"comment": "free text"}}, {"name": "day"',
    )
    write_commit(
        table,
        1,
        [
            metadata_action(evolved, ["day"]),
            {"remove": {"path": "day=2024-01-01/part-0.parquet", "dataChange": True}},
            add_action("day=2024-01-01/part-1.parquet", 200, "2024-01-01", 8),
            {"commitInfo": {"operation": "WRITE"}},
        ],
    )
    plan = plan_delta_target(LocalObjectSource(table, ROOT + "orders/"), native=True)
    assert plan.skipped == []
    [orders] = plan.tables
    assert orders.name == "orders"
    assert orders.location == ROOT + "orders/"
    assert orders.classification == "delta"
    assert _columns(orders) == [
        "id bigint",
        "amount decimal(10,2)",
        "tags array<string>",
        "buyer struct<name:string,age:int>",
        "note string",
    ]
    assert orders.columns[-1].comment == "free text"
    assert [f"{c.name} {c.type}" for c in orders.partition_keys] == ["day date"]
    assert orders.partitions == ()
    assert orders.parameters["spark.sql.sources.provider"] == "delta"
    assert orders.parameters["objectCount"] == "2"
    assert orders.parameters["sizeKey"] == "500"
    assert orders.parameters["recordCount"] == "23"
    assert orders.serde_parameters["path"] == ROOT + "orders/"
    assert any("version 1" in d.reason for d in plan.decisions if d.kind == "table")


def test_delta_checkpoint_then_later_commits(tmp_path: Path) -> None:
    table = tmp_path / "events"
    # Commits up to the checkpoint are never read: make them unreadable to prove it.
    (table / "_delta_log").mkdir(parents=True)
    (table / "_delta_log" / f"{0:020d}.json").write_text("not json\n")
    write_checkpoint(
        table,
        4,
        ORDERS_SCHEMA,
        [("day=2024-01-01/a.parquet", 10), ("day=2024-01-02/b.parquet", 20)],
    )
    write_commit(table, 5, [add_action("day=2024-01-03/c.parquet", 30, "2024-01-03", None)])
    plan = plan_delta_target(LocalObjectSource(table, ROOT + "events/"), native=False)
    [events] = plan.tables
    assert events.parameters["objectCount"] == "3"
    assert events.parameters["sizeKey"] == "60"
    assert "recordCount" not in events.parameters  # the last file has no statistics
    assert [c.name for c in events.partition_keys] == ["day"]
    assert any("no symlink manifests" in d.reason for d in plan.decisions)


def test_a_folder_of_delta_tables_and_a_broken_log(tmp_path: Path) -> None:
    write_commit(tmp_path / "a", 0, [PROTOCOL, metadata_action(spark_schema(("x", "short")), [])])
    write_commit(tmp_path / "b", 0, [PROTOCOL])  # no metaData: no schema
    write_commit(tmp_path / "c", 1, [PROTOCOL])  # a gap: commit 0 missing
    plan = plan_delta_target(LocalObjectSource(tmp_path, ROOT), native=True)
    assert [(t.name, _columns(t)) for t in plan.tables] == [("a", ["x smallint"])]
    reasons = {s.key: s.reason for s in plan.skipped}
    assert "no metaData action" in reasons["b/_delta_log/"]
    assert "commit 1 follows no checkpoint: the log has a gap" in reasons["c/_delta_log/"]


def test_iceberg_current_metadata_by_version_hint(tmp_path: Path) -> None:
    location = ROOT + "db/clicks"
    first = [
        iceberg_field(1, "id", "long"),
        iceberg_field(2, "url", "string"),
        iceberg_field(3, "ts", "timestamptz"),
    ]
    second = [
        *first,
        iceberg_field(4, "price", "decimal(9, 2)", doc="in euros"),
        iceberg_field(
            5,
            "attrs",
            {
                "type": "map",
                "key-id": 6,
                "key": "string",
                "value-id": 7,
                "value": {
                    "type": "list",
                    "element-id": 8,
                    "element": "uuid",
                    "element-required": False,
                },
                "value-required": False,
            },
        ),
    ]
    metadata = tmp_path / "db" / "clicks" / "metadata"
    write_json(metadata / "v1.metadata.json", iceberg_v2(location, [first]))
    previous = location + "/metadata/v1.metadata.json"
    write_json(metadata / "v2.metadata.json", iceberg_v2(location, [first, second], previous))
    write_json(metadata / "v3.metadata.json", {"not": "committed"})  # ignored: the hint says 2
    (metadata / "version-hint.text").write_text("2\n")
    (tmp_path / "db" / "clicks" / "data").mkdir()
    (tmp_path / "db" / "clicks" / "data" / "x.parquet").write_bytes(b"PAR1")

    plan = plan_iceberg_target(LocalObjectSource(tmp_path, ROOT))
    [clicks] = plan.tables
    assert clicks.name == "clicks"
    assert clicks.location == location
    assert _columns(clicks) == [
        "id bigint",
        "url string",
        "ts timestamp",
        "price decimal(9,2)",
        "attrs map<string,array<string>>",
    ]
    assert clicks.columns[3].comment == "in euros"
    assert clicks.partition_keys == ()
    assert clicks.parameters["table_type"] == "ICEBERG"
    assert clicks.parameters["metadata_location"] == ROOT + "db/clicks/metadata/v2.metadata.json"
    assert clicks.parameters["previous_metadata_location"] == previous
    assert (clicks.parameters["recordCount"], clicks.parameters["objectCount"]) == ("42", "3")
    assert any("day(field 3)" in d.reason for d in plan.decisions)


def test_iceberg_exclusions_depth_and_format_v1(tmp_path: Path) -> None:
    v1 = {
        "format-version": 1,
        "location": ROOT + "t1",
        "schema": {"type": "struct", "fields": [iceberg_field(1, "n", "fixed[16]")]},
        "partition-spec": [],
    }
    write_json(tmp_path / "t1" / "metadata" / "00001-6a0c-4b1e.metadata.json", v1)
    write_json(tmp_path / "t1" / "metadata" / "00000-1f2e-4d3c.metadata.json", {"location": "x"})
    write_json(tmp_path / "archive" / "t2" / "metadata" / "v1.metadata.json", v1)
    write_json(tmp_path / "a" / "b" / "c" / "t3" / "metadata" / "v1.metadata.json", v1)
    plan = plan_iceberg_target(
        LocalObjectSource(tmp_path, ROOT), exclusions=("archive/**",), max_depth=3
    )
    assert [(t.name, _columns(t)) for t in plan.tables] == [("t1", ["n binary"])]
    reasons = {s.key: s.reason for s in plan.skipped}
    assert "exclusion pattern 'archive/**'" in reasons["archive/t2/metadata/"]
    assert "5 levels deep (MaximumTraversalDepth 3)" in reasons["a/b/c/t3/metadata/"]
