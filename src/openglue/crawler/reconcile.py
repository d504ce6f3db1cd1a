"""From plans to catalog changes: what a crawl writes, decided under the crawler's policies.

``plan_changes`` compares the planned tables with the catalog (read through a
``CatalogReader``) and returns the changes with the reason for each, writing nothing, which is
what a dry run prints. ``openglue.crawler.catalog_writer`` applies them. The rules (reference
§5.5): new tables and partitions are always created; UpdateBehavior LOG leaves existing tables
alone; MergeNewColumns only adds columns; DeleteBehavior decides what happens to this
crawler's tables whose data is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from openglue.crawler.plan import Decision, TablePlan
from openglue.crawler.table_input import (
    DEPRECATED_BY,
    UPDATED_BY,
    as_input,
    merged_columns,
    partition_input,
    schema_of,
    table_input,
)


class CatalogReader(Protocol):
    def get_table(self, database: str, name: str) -> dict[str, Any] | None: ...

    def tables_of_crawler(self, database: str, crawler: str) -> list[dict[str, Any]]: ...

    def partition_values(self, database: str, table: str) -> set[tuple[str, ...]]: ...


@dataclass(frozen=True)
class ReconcilePolicy:
    crawler: str
    database: str
    table_prefix: str = ""
    update_behavior: str = "UPDATE_IN_DATABASE"
    delete_behavior: str = "DEPRECATE_IN_DATABASE"
    merge_new_columns: bool = False
    inherit_from_table: bool = False
    owner: str | None = None


@dataclass(frozen=True)
class PlannedTable:
    """A planned table and where it goes. ``may_create`` is False for CatalogTargets, which
    only update tables that exist."""

    plan: TablePlan
    database: str
    name: str
    may_create: bool = True


@dataclass(frozen=True)
class Change:
    # create_table | update_table | deprecate_table | delete_table | add_partitions |
    # delete_partitions
    action: str
    database: str
    table: str
    reason: str
    table_input: dict[str, Any] | None = None
    partitions: tuple[dict[str, Any], ...] = ()
    partition_values: tuple[tuple[str, ...], ...] = ()

    def describe(self) -> str:
        subject = f"{self.database}.{self.table}"
        counts = {
            "add_partitions": len(self.partitions),
            "delete_partitions": len(self.partition_values),
        }
        what = {
            "create_table": f"+ table {subject}",
            "update_table": f"~ table {subject}",
            "deprecate_table": f"! table {subject} deprecated",
            "delete_table": f"- table {subject}",
            "add_partitions": f"+ {counts['add_partitions']} partition(s) of {subject}",
            "delete_partitions": f"- {counts['delete_partitions']} partition(s) of {subject}",
        }[self.action]
        return f"{what}: {self.reason}"


@dataclass
class Reconciliation:
    changes: list[Change] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def note(self, kind: str, subject: str, reason: str) -> None:
        self.decisions.append(Decision(kind, subject, reason))


def table_name(prefix: str, name: str) -> str:
    return (prefix + name).lower()


def _columns(table: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list((table.get("StorageDescriptor") or {}).get("Columns") or [])


def _updated_table(
    planned: PlannedTable,
    existing: dict[str, Any],
    wanted: dict[str, Any],
    policy: ReconcilePolicy,
    out: Reconciliation,
) -> dict[str, Any] | None:
    """The TableInput to write over ``existing``, or ``None`` to leave it."""
    subject = f"{planned.database}.{planned.name}"
    if schema_of(existing) == schema_of(wanted):
        return None
    if policy.update_behavior == "LOG":
        out.note(
            "logged",
            subject,
            "the data's schema differs from the table's; UpdateBehavior "
            "is LOG, so the table is left as it is",
        )
        return None
    if policy.merge_new_columns:
        columns, added = merged_columns(_columns(existing), _columns(wanted))
        if not added:
            return None
        merged = as_input(existing)
        merged["StorageDescriptor"] = {**merged.get("StorageDescriptor", {}), "Columns": columns}
        merged["Parameters"] = {**merged.get("Parameters", {}), UPDATED_BY: policy.crawler}
        merged["Parameters"].pop(DEPRECATED_BY, None)
        out.note("merged", subject, f"MergeNewColumns: added column(s) {', '.join(added)}")
        return merged
    return wanted


def _reason_for_update(existing: Mapping[str, Any], wanted: Mapping[str, Any]) -> str:
    before, after = schema_of(existing), schema_of(wanted)
    parts = []
    labels = (
        "columns",
        "partition keys",
        "location",
        "input format",
        "output format",
        "SerDe",
        "SerDe parameters",
        "parameters",
    )
    for label, old, new in zip(labels, before, after, strict=True):
        if old != new:
            if label == "columns":
                old_names = {n for n, _ in old}
                new_names = {n for n, _ in new}
                added = sorted(new_names - old_names)
                removed = sorted(old_names - new_names)
                retyped = sorted(n for n, t in new if n in old_names and (n, t) not in old)
                detail = "; ".join(
                    f"{what} {', '.join(names)}"
                    for what, names in (
                        ("added", added),
                        ("removed", removed),
                        ("retyped", retyped),
                    )
                    if names
                )
                parts.append(f"columns changed ({detail or 'reordered'})")
            else:
                parts.append(f"{label} changed")
    return ", ".join(parts) or "definition changed"


def _partition_changes(
    planned: PlannedTable,
    stored: dict[str, Any],
    keys_changed: bool,
    catalog: CatalogReader,
    policy: ReconcilePolicy,
    out: Reconciliation,
) -> None:
    plan = planned.plan
    if not plan.partition_keys:
        return
    existing = set() if keys_changed else catalog.partition_values(planned.database, planned.name)
    planned_values = {p.values for p in plan.partitions}
    new = [p for p in plan.partitions if p.values not in existing]
    if new:
        inputs = tuple(
            partition_input(plan, p, stored, inherit_from_table=policy.inherit_from_table)
            for p in new
        )
        keys = [k.name for k in plan.partition_keys]

        def folder(values: tuple[str, ...]) -> str:
            return "/".join(f"{k}={v}" for k, v in zip(keys, values, strict=False))

        reason = "new folder(s) " + ", ".join(folder(p.values) for p in new[:5])
        if len(new) > 5:
            reason += f" and {len(new) - 5} more"
        out.changes.append(
            Change("add_partitions", planned.database, planned.name, reason, partitions=inputs)
        )
    gone = sorted(existing - planned_values)
    if gone and policy.delete_behavior == "DELETE_FROM_DATABASE":
        out.changes.append(
            Change(
                "delete_partitions",
                planned.database,
                planned.name,
                "their folders are gone (DeleteBehavior DELETE_FROM_DATABASE)",
                partition_values=tuple(gone),
            )
        )
    elif gone:
        out.note(
            "logged",
            f"{planned.database}.{planned.name}",
            f"{len(gone)} partition(s) whose folders are gone are kept "
            f"(DeleteBehavior {policy.delete_behavior})",
        )


def plan_changes(
    tables: Sequence[PlannedTable], catalog: CatalogReader, policy: ReconcilePolicy
) -> Reconciliation:
    """The changes that bring the catalog in line with ``tables``, and why."""
    out = Reconciliation()
    for planned in tables:
        subject = f"{planned.database}.{planned.name}"
        wanted = table_input(planned.plan, planned.name, policy.crawler, policy.owner)
        existing = catalog.get_table(planned.database, planned.name)
        if existing is None:
            if not planned.may_create:
                out.note(
                    "skipped",
                    subject,
                    "the catalog target table does not exist; "
                    "a catalog target only updates existing tables",
                )
                continue
            out.changes.append(
                Change(
                    "create_table",
                    planned.database,
                    planned.name,
                    f"new {planned.plan.classification} data at {planned.plan.location}",
                    table_input=wanted,
                )
            )
            _partition_changes(planned, wanted, True, catalog, policy, out)
            continue
        if not planned.may_create:
            wanted["Name"] = existing["Name"]
        update = _updated_table(planned, existing, wanted, policy, out)
        stored = existing
        keys_changed = False
        if update is not None:
            reason = _reason_for_update(existing, update)
            out.changes.append(
                Change("update_table", planned.database, planned.name, reason, table_input=update)
            )
            old_keys = [c.get("Name") for c in existing.get("PartitionKeys") or []]
            new_keys = [c.get("Name") for c in update.get("PartitionKeys") or []]
            keys_changed = old_keys != new_keys
            stored = update
            if keys_changed:
                gone = catalog.partition_values(planned.database, planned.name)
                if gone:
                    out.changes.append(
                        Change(
                            "delete_partitions",
                            planned.database,
                            planned.name,
                            "the partition keys changed, so the old partitions no longer fit",
                            partition_values=tuple(sorted(gone)),
                        )
                    )
        _partition_changes(planned, stored, keys_changed, catalog, policy, out)
    return out


def stale_tables(
    catalog: CatalogReader,
    policy: ReconcilePolicy,
    kept: Iterable[str],
    roots: Sequence[str],
    out: Reconciliation,
) -> None:
    """This crawler's tables under the crawled ``roots`` that the crawl no longer found,
    handled by DeleteBehavior."""
    keep = set(kept)
    for table in catalog.tables_of_crawler(policy.database, policy.crawler):
        location = (table.get("StorageDescriptor") or {}).get("Location") or ""
        if table["Name"] in keep or not any(location.startswith(root) for root in roots):
            continue
        subject = f"{policy.database}.{table['Name']}"
        behavior = policy.delete_behavior
        if behavior == "DELETE_FROM_DATABASE":
            out.changes.append(
                Change(
                    "delete_table",
                    policy.database,
                    table["Name"],
                    f"no data found at {location} (DeleteBehavior DELETE_FROM_DATABASE)",
                )
            )
        elif behavior == "DEPRECATE_IN_DATABASE":
            if (table.get("Parameters") or {}).get(DEPRECATED_BY):
                continue
            marked = as_input(table)
            marked["Parameters"] = {**marked.get("Parameters", {}), DEPRECATED_BY: policy.crawler}
            out.changes.append(
                Change(
                    "deprecate_table",
                    policy.database,
                    table["Name"],
                    f"no data found at {location} (DeleteBehavior DEPRECATE_IN_DATABASE)",
                    table_input=marked,
                )
            )
        else:
            out.note(
                "logged",
                subject,
                f"no data found at {location}; DeleteBehavior is LOG, so the table is kept",
            )
