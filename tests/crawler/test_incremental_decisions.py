"""Incremental crawls decide new folders against the tables earlier crawls made.

Each case crawls a tree in full, turns the resulting tables into ``KnownTable``s (as the
crawler reads them back from the catalog), adds folders, and plans only the new ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from openglue.crawler.infer import plan_target
from openglue.crawler.plan import CrawlOptions, KnownTable, TargetPlan
from openglue.storage.local_objects import LocalObjectSource

ROOT = "s3://bucket/data/"


def _csv(path: Path, header: str, rows: int = 3) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [header] + [",".join([str(i), f"{i}.5", f"v{i}"]) for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")


def _json(path: Path, record: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n")


def _plan(tree: Path, **options: object) -> TargetPlan:
    return plan_target(LocalObjectSource(tree, ROOT), CrawlOptions(**options))  # type: ignore[arg-type]


def _known(plan: TargetPlan) -> tuple[KnownTable, ...]:
    return tuple(
        KnownTable(t.name, t.location, tuple(k.name for k in t.partition_keys), t.classification)
        for t in plan.tables
    )


def _summary(plan: TargetPlan) -> dict[str, tuple[str, list[str], list[tuple[str, ...]]]]:
    return {
        t.name: (
            t.location.replace(ROOT, "ROOT/"),
            [k.name for k in t.partition_keys],
            [p.values for p in t.partitions],
        )
        for t in plan.tables
    }


def _two_datasets(tree: Path) -> TargetPlan:
    _csv(tree / "sales" / "year=2023" / "a.csv", "id,amount,note")
    _json(tree / "customers" / "c.json", {"customer": "x", "city": "y", "since": 2020})
    first = _plan(tree)
    assert _summary(first) == {
        "sales": ("ROOT/sales/", ["year"], [("2023",)]),
        "customers": ("ROOT/customers/", [], []),
    }
    return first


def test_new_dataset_folder_next_to_tables_is_a_new_table(tmp_path: Path) -> None:
    first = _two_datasets(tmp_path)
    _csv(tmp_path / "returns" / "r.csv", "order,refund,reason")
    only = frozenset({"returns"})

    # Without what the first crawl decided, the lone new folder looks like a partition.
    blind = _plan(tmp_path, only_folders=only)
    assert _summary(blind) == {"data": ("ROOT/", ["partition_0"], [("returns",)])}

    plan = _plan(tmp_path, only_folders=only, known_tables=_known(first))
    assert _summary(plan) == {"returns": ("ROOT/returns/", [], [])}
    assert [c.name for c in plan.tables[0].columns] == ["order", "refund", "reason"]
    assert any(
        d.kind == "split" and d.subject == "(target root)" and "earlier crawl" in d.reason
        for d in plan.decisions
    )


def test_new_partition_folder_goes_to_its_table(tmp_path: Path) -> None:
    first = _two_datasets(tmp_path)
    _csv(tmp_path / "sales" / "year=2024" / "b.csv", "id,amount,note")
    _csv(tmp_path / "returns" / "r.csv", "order,refund,reason")
    plan = _plan(
        tmp_path,
        only_folders=frozenset({"sales/year=2024", "returns"}),
        known_tables=_known(first),
    )
    assert _summary(plan) == {
        "sales": ("ROOT/sales/", ["year"], [("2024",)]),
        "returns": ("ROOT/returns/", [], []),
    }
    sales = next(t for t in plan.tables if t.name == "sales")
    assert sales.partitions[0].location == ROOT + "sales/year=2024/"


def test_new_folders_keep_the_known_table_name_and_keys(tmp_path: Path) -> None:
    # The first crawl made one table at the root, partitioned by unnamed folders.
    _csv(tmp_path / "2023" / "a.csv", "id,amount,note")
    _csv(tmp_path / "2024" / "a.csv", "id,amount,note")
    first = _plan(tmp_path)
    assert _summary(first) == {"data": ("ROOT/", ["partition_0"], [("2023",), ("2024",)])}
    renamed = tuple(
        KnownTable("orders", k.location, ("yr",), k.classification) for k in _known(first)
    )
    _csv(tmp_path / "2025" / "a.csv", "id,amount,note")
    plan = _plan(tmp_path, only_folders=frozenset({"2025"}), known_tables=renamed)
    assert _summary(plan) == {"orders": ("ROOT/", ["yr"], [("2025",)])}


def test_folders_that_do_not_fit_a_known_table_are_left_out(tmp_path: Path) -> None:
    first = _two_datasets(tmp_path)
    _json(tmp_path / "sales" / "year=2024" / "x.json", {"id": 1, "amount": 2.5, "note": "n"})
    _csv(tmp_path / "sales" / "year=2025" / "deeper" / "b.csv", "id,amount,note")
    plan = _plan(
        tmp_path,
        only_folders=frozenset({"sales/year=2024", "sales/year=2025"}),
        known_tables=_known(first),
    )
    assert plan.tables == []
    skipped = {d.subject: d.reason for d in plan.decisions if d.kind == "skipped"}
    assert "json files under csv table sales" in skipped["sales/year=2024/"]
    assert (
        "2 folder(s) below table sales, which has 1 partition level"
        in (skipped["sales/year=2025/deeper/"])
    )
