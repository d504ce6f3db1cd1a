"""Reconciling planned tables with a real catalog (the store on SQLite and PostgreSQL) under
the crawler policies: what is created, updated, deprecated, deleted, and why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from openglue.catalog.databases import DatabaseService
from openglue.catalog.partitions import PartitionService
from openglue.catalog.tables import TableService
from openglue.crawler.catalog_writer import ServiceCatalog
from openglue.crawler.plan import ColumnPlan, PartitionPlan, TablePlan
from openglue.crawler.reconcile import (
    PlannedTable,
    ReconcilePolicy,
    Reconciliation,
    plan_changes,
    stale_tables,
)
from openglue.store.databases import SqlDatabaseStore
from openglue.store.partitions import SqlPartitionStore
from openglue.store.sql import SqlStore
from openglue.store.tables import SqlTableStore

ROOT = "s3://lake/orders/"
CSV_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"


def _columns(*pairs: str) -> tuple[ColumnPlan, ...]:
    return tuple(ColumnPlan(*pair.split(":")) for pair in pairs)


def _partition(year: str, *columns: str) -> PartitionPlan:
    return PartitionPlan((year,), f"{ROOT}year={year}/", 2, 100, _columns(*columns))


def _orders(*years: str, columns: tuple[str, ...] = ("id:bigint", "amount:double")) -> TablePlan:
    return TablePlan(
        name="orders",
        location=ROOT,
        classification="csv",
        columns=_columns(*columns),
        partition_keys=_columns("year:string"),
        partitions=tuple(_partition(y, *columns) for y in years),
        input_format="org.apache.hadoop.mapred.TextInputFormat",
        output_format="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serde_library=CSV_SERDE,
        serde_parameters={"field.delim": ","},
        parameters={"classification": "csv", "delimiter": ",", "recordCount": "10"},
    )


@pytest.fixture
def catalog(sql_store: SqlStore) -> ServiceCatalog:
    DatabaseService(SqlDatabaseStore(sql_store), "1").create({"Name": "lake"})
    return ServiceCatalog(
        TableService(SqlTableStore(sql_store), "1"),
        PartitionService(SqlPartitionStore(sql_store), "1"),
    )


def _policy(**changes: object) -> ReconcilePolicy:
    return replace(ReconcilePolicy("nightly", "lake", table_prefix="raw_"), **changes)  # type: ignore[arg-type]


def _run(catalog: ServiceCatalog, plan: TablePlan, policy: ReconcilePolicy) -> Reconciliation:
    planned = [PlannedTable(plan, "lake", "raw_" + plan.name)]
    out = plan_changes(planned, catalog, policy)
    stale_tables(catalog, policy, [p.name for p in planned], [ROOT], out)
    for change in out.changes:
        catalog.apply(change)
    return out


def _actions(out: Reconciliation) -> list[str]:
    return [c.action for c in out.changes]


def test_first_crawl_creates_table_and_partitions(catalog: ServiceCatalog) -> None:
    out = _run(catalog, _orders("2023", "2024"), _policy())
    assert _actions(out) == ["create_table", "add_partitions"]
    table = catalog.get_table("lake", "raw_orders")
    assert table is not None
    parameters = table["Parameters"]
    assert parameters["UPDATED_BY_CRAWLER"] == "nightly"
    assert parameters["CrawlerSchemaSerializerVersion"] == "1.0"
    assert parameters["classification"] == "csv"
    descriptor = table["StorageDescriptor"]
    assert descriptor["Location"] == ROOT and descriptor["NumberOfBuckets"] == -1
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == CSV_SERDE
    assert table["PartitionKeys"] == [{"Name": "year", "Type": "string"}]
    assert table["TableType"] == "EXTERNAL_TABLE"
    records, _ = catalog.partitions.page(
        "lake", "raw_orders", expression=None, segment=None, after=None, limit=10
    )
    locations = sorted(r.spec["StorageDescriptor"]["Location"] for r in records)
    assert locations == [f"{ROOT}year=2023/", f"{ROOT}year=2024/"]
    assert records[0].spec["Parameters"]["objectCount"] == "2"

    # The same data again: nothing to do, and the crawl says so.
    assert _run(catalog, _orders("2023", "2024"), _policy()).changes == []


def test_new_partition_and_schema_change(catalog: ServiceCatalog) -> None:
    _run(catalog, _orders("2023"), _policy())
    wider = ("id:bigint", "amount:double", "note:string")
    out = _run(catalog, _orders("2023", "2024", columns=wider), _policy())
    assert _actions(out) == ["update_table", "add_partitions"]
    assert "added note" in out.changes[0].reason
    assert "2024" in out.changes[1].reason
    table = catalog.get_table("lake", "raw_orders")
    assert table is not None and table["VersionId"] == "1"
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == ["id", "amount", "note"]
    assert catalog.partition_values("lake", "raw_orders") == {("2023",), ("2024",)}


def test_update_behavior_log_keeps_table_but_adds_partitions(catalog: ServiceCatalog) -> None:
    _run(catalog, _orders("2023"), _policy())
    log_only = _policy(update_behavior="LOG")
    out = _run(catalog, _orders("2023", "2024", columns=("id:string",)), log_only)
    assert _actions(out) == ["add_partitions"]
    assert any(d.kind == "logged" and "UpdateBehavior is LOG" in d.reason for d in out.decisions)
    table = catalog.get_table("lake", "raw_orders")
    assert table is not None
    assert [c["Type"] for c in table["StorageDescriptor"]["Columns"]] == ["bigint", "double"]


def test_merge_new_columns_only_adds(catalog: ServiceCatalog) -> None:
    _run(catalog, _orders("2023"), _policy())
    changed = ("id:string", "extra:int")  # amount gone, id retyped, extra new
    out = _run(catalog, _orders("2023", columns=changed), _policy(merge_new_columns=True))
    assert _actions(out) == ["update_table"]
    table = catalog.get_table("lake", "raw_orders")
    assert table is not None
    columns = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
    assert columns == [("id", "bigint"), ("amount", "double"), ("extra", "int")]


def test_inherit_from_table_partitions_copy_the_table_schema(catalog: ServiceCatalog) -> None:
    plan = _orders("2023")
    plan = replace(plan, partitions=(_partition("2023", "id:string"),))
    _run(catalog, plan, _policy(inherit_from_table=True))
    records, _ = catalog.partitions.page(
        "lake", "raw_orders", expression=None, segment=None, after=None, limit=10
    )
    descriptor = records[0].spec["StorageDescriptor"]
    assert [c["Type"] for c in descriptor["Columns"]] == ["bigint", "double"]
    assert descriptor["Location"] == f"{ROOT}year=2023/"


@pytest.mark.parametrize(
    ("behavior", "expected"),
    [
        ("DELETE_FROM_DATABASE", ["delete_table"]),
        ("DEPRECATE_IN_DATABASE", ["deprecate_table"]),
        ("LOG", []),
    ],
)
def test_stale_tables_follow_delete_behavior(
    catalog: ServiceCatalog, behavior: str, expected: list[str]
) -> None:
    _run(catalog, _orders("2023"), _policy())
    policy = _policy(delete_behavior=behavior)
    out = plan_changes([], catalog, policy)
    stale_tables(catalog, policy, [], [ROOT], out)
    assert _actions(out) == expected
    for change in out.changes:
        catalog.apply(change)
    table = catalog.get_table("lake", "raw_orders")
    if behavior == "DELETE_FROM_DATABASE":
        assert table is None
    elif behavior == "DEPRECATE_IN_DATABASE":
        assert table is not None and table["Parameters"]["DEPRECATED_BY_CRAWLER"] == "nightly"
        again = plan_changes([], catalog, policy)
        stale_tables(catalog, policy, [], [ROOT], again)
        assert again.changes == []  # deprecated once
    else:
        assert table is not None and "no data found" in out.decisions[0].reason
    # Tables of other crawlers, or outside the crawled roots, are never touched.
    other = plan_changes([], catalog, _policy(crawler="other", delete_behavior=behavior))
    stale_tables(catalog, _policy(crawler="other"), [], [ROOT], other)
    assert other.changes == []


def test_gone_partitions_are_deleted_only_when_asked(catalog: ServiceCatalog) -> None:
    _run(catalog, _orders("2023", "2024"), _policy())
    kept = _run(catalog, _orders("2024"), _policy())
    assert kept.changes == [] and "kept" in kept.decisions[0].reason
    out = _run(catalog, _orders("2024"), _policy(delete_behavior="DELETE_FROM_DATABASE"))
    assert _actions(out) == ["delete_partitions"]
    assert catalog.partition_values("lake", "raw_orders") == {("2024",)}


def test_catalog_targets_never_create(catalog: ServiceCatalog) -> None:
    planned = [PlannedTable(_orders("2023"), "lake", "absent", may_create=False)]
    out = plan_changes(planned, catalog, _policy())
    assert out.changes == [] and out.decisions[0].kind == "skipped"
