"""Plan one crawler target: listing → exclusions → sampling → classification → grouping → shape.

``plan_target`` is the crawler's inference, a pure function of the objects it lists and the
crawler's options: it writes nothing and yields a ``TargetPlan`` that ``reconcile`` applies to
the catalog. Files are read one at a time (the first 1 MB at most) and only their merged
schemas and counts are kept, so memory follows the listing, not the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlparse

from openglue.crawler.classify import Classifier, classifier_chain, classify_file
from openglue.crawler.exclusions import Exclusions
from openglue.crawler.folder_tree import Folder, SchemaGroup
from openglue.crawler.grouping import find_tables
from openglue.crawler.known_layout import known_layout
from openglue.crawler.plan import (
    CrawlOptions,
    Decision,
    ObjectInfo,
    ObjectSource,
    SkippedObject,
    TablePlan,
    TargetPlan,
)
from openglue.crawler.probe import Probe
from openglue.crawler.table_plan import TableNames, build_table

__all__ = ["plan_target"]


def plan_target(source: ObjectSource, options: CrawlOptions) -> TargetPlan:
    plan = TargetPlan(source.root_uri)
    by_folder = _listing(source, options, plan)
    chain = classifier_chain(options.classifiers)
    root = Folder(())
    for path in sorted(by_folder):
        folder = root
        for name in path:
            folder = folder.child(name)
        _classify_folder(source, folder, by_folder[path], options.sample_size, chain, plan)
    if options.only_folders is not None:
        looked = ", ".join(sorted(options.only_folders)) or "none"
        plan.decisions.append(
            Decision("incremental", "(target root)", f"only new folders were read: {looked}")
        )
    roots = find_tables(
        root,
        _root_level(source.root_uri),
        options.table_level,
        options.combine_compatible_schemas,
        plan.decisions,
        known_layout(source.root_uri, options.known_tables),
    )
    names = TableNames()
    for table_root in roots:
        table = build_table(source, table_root, options, names)
        plan.tables.append(table)
        plan.decisions.append(_table_decision(table_root.path, table))
    return plan


def _listing(
    source: ObjectSource, options: CrawlOptions, plan: TargetPlan
) -> dict[tuple[str, ...], list[ObjectInfo]]:
    """The objects worth reading, by folder; the others go to ``plan.skipped`` with why."""
    exclusions = Exclusions(options.exclusions)
    only = options.only_folders
    by_folder: dict[tuple[str, ...], list[ObjectInfo]] = {}
    for info in source.list():
        parts = info.key.split("/")
        if only is not None and not _under(parts, only):
            continue  # crawled before: an incremental crawl does not look again
        reason = _skip_reason(info, parts, exclusions)
        if reason is not None:
            plan.skipped.append(SkippedObject(info.key, reason))
            continue
        by_folder.setdefault(tuple(parts[:-1]), []).append(info)
    return by_folder


def _under(parts: list[str], folders: frozenset[str]) -> bool:
    """Whether the object with key ``parts`` sits in one of ``folders`` (at any depth)."""
    return any("/".join(parts[:depth]) in folders for depth in range(1, len(parts)))


def _skip_reason(info: ObjectInfo, parts: list[str], exclusions: Exclusions) -> str | None:
    pattern = exclusions.matching(info.key)
    if pattern is not None:
        return f"matches exclusion pattern {pattern!r}"
    if any(part.startswith(("_", ".")) for part in parts) or info.key.endswith("_$folder$"):
        return "a hidden or marker object (a name starting with '_' or '.'), as Hadoop writes"
    if info.size == 0:
        return "empty object (0 bytes): nothing to classify"
    return None


def _classify_folder(
    source: ObjectSource,
    folder: Folder,
    infos: list[ObjectInfo],
    sample_size: int | None,
    chain: tuple[Classifier, ...],
    plan: TargetPlan,
) -> None:
    # Glue samples at random; the first files in key order keep crawls repeatable.
    sampled = infos if sample_size is None else infos[:sample_size]
    counts: dict[str, int] = {}
    for info in sampled:
        probe = Probe(source, info)
        try:
            found = classify_file(probe, chain)
        except OSError as error:  # includes content that fails to decompress
            plan.skipped.append(SkippedObject(info.key, f"could not be read: {error}"))
            continue
        finally:
            probe.close()
        if found is None:
            reason = "no classifier recognised it (" + ", ".join(name for name, _ in chain) + ")"
            plan.skipped.append(SkippedObject(info.key, reason))
            continue
        schema, classifier = found
        folder.add(info.key, info.size, schema, classifier)
        label = schema.classification if classifier == schema.classification else classifier
        counts[label] = counts.get(label, 0) + 1
    rest = infos[len(sampled) :]
    if rest:
        _attach_unsampled(folder, rest, plan)
    if counts:
        summary = ", ".join(f"{n} by {name}" for name, n in sorted(counts.items()))
        if rest:
            summary += f"; {len(rest)} more not sampled (SampleSize {sample_size})"
        subject = "/".join(folder.path) + "/" if folder.path else "(target root)"
        files = f"{len(sampled)} file" + ("" if len(sampled) == 1 else "s")
        plan.decisions.append(Decision("classified", subject, f"{files}: {summary}"))


def _attach_unsampled(folder: Folder, rest: Iterable[ObjectInfo], plan: TargetPlan) -> None:
    groups: list[SchemaGroup] = list(folder.groups.values())
    if not groups:
        for info in rest:
            plan.skipped.append(
                SkippedObject(info.key, "not sampled, and no sampled file of its folder classified")
            )
        return
    dominant = max(groups, key=lambda group: group.files)
    for info in rest:
        dominant.add_unsampled(info.key, info.size)


def _root_level(root_uri: str) -> int:
    """How deep the target root is, counted as TableLevelConfiguration counts: for
    ``s3://bucket/a/`` the bucket is level 1 and ``a`` level 2; for a local folder, its first
    path component is level 1."""
    parsed = urlparse(root_uri)
    parts = [part for part in parsed.path.split("/") if part]
    return len(parts) + (1 if parsed.netloc and parsed.scheme != "file" else 0)


def _table_decision(path: tuple[str, ...], table: TablePlan) -> Decision:
    keys = ", ".join(column.name for column in table.partition_keys)
    where = "/".join(path) + "/" if path else "(target root)"
    text = (
        f"table {table.name} at {where}: {table.classification}, {len(table.columns)} columns,"
        f" {len(table.object_keys)} objects"
    )
    if keys:
        text += f", {len(table.partitions)} partitions by ({keys})"
        if any(column.name.startswith("partition_") for column in table.partition_keys):
            text += "; folders not named key=value give partition_N keys"
    return Decision("table", table.name, text)
