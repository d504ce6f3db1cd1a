"""Which folders are tables and which are partitions, by Glue's rules, with the reasons.

Walking down from the target root, a folder becomes a table when everything under it is
compatible (same format, compression and format facts such as the CSV delimiter), its files sit
at one depth (the partition levels), and their schemas are similar: at least 70% of the files
share the dominant schema and there are at most 5 schema clusters. Otherwise each subfolder is
considered on its own and each file directly in the folder becomes a table of its own.
``CombineCompatibleSchemas`` drops the similarity test (compatibility still counts) and
``TableLevelConfiguration`` fixes the level tables start at.

Schemas are compared by column names: a file joins a cluster when most of its columns (70% of
the smaller of the two column sets) are in the cluster's, so a column added over time, or an
optional JSON field, does not split a dataset.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from openglue.crawler.folder_tree import Folder, SchemaGroup
from openglue.crawler.known_layout import KnownLayout
from openglue.crawler.plan import Decision, KnownTable

__all__ = ["Member", "TableRoot", "find_tables"]

PARTITION_THRESHOLD = 0.7  # share of files that must share the dominant schema
MAX_CLUSTERS = 5  # more distinct schemas than this at one level never make one table
NAME_OVERLAP = 0.7  # share of the smaller column set two schemas must have in common

Member = tuple[tuple[str, ...], SchemaGroup]  # (folder path below the table root, group)


@dataclass(frozen=True)
class TableRoot:
    path: tuple[str, ...]  # the table's folder, from the target root
    members: tuple[Member, ...]
    partition_depth: int  # folder levels below the root that are partition keys
    single_key: str | None = None  # set for a table made of one file
    suffix: str = ""  # told apart from a sibling table at the same folder
    known: KnownTable | None = None  # the table an earlier crawl made at this folder


@dataclass(frozen=True)
class _Verdict:
    together: bool
    similarity: float
    reason: str


def find_tables(
    root: Folder,
    root_level: int,
    table_level: int | None,
    combine: bool,
    decisions: list[Decision],
    known: KnownLayout | None = None,
) -> list[TableRoot]:
    """``root_level`` is the target root's level counted as Glue does (the bucket is 1);
    ``known`` holds what earlier crawls decided (incremental crawls)."""
    return list(_place(root, root_level, table_level, combine, decisions, known or KnownLayout()))


def _place(
    folder: Folder,
    root_level: int,
    table_level: int | None,
    combine: bool,
    log: list[Decision],
    known: KnownLayout,
) -> Iterator[TableRoot]:
    members = tuple(folder.leaf_groups())
    if not members:
        return
    subject = "/".join(folder.path) + "/" if folder.path else "(target root)"
    table = known.roots.get(folder.path)
    if table is not None:
        yield from _known_table(folder.path, members, table, subject, log)
        return
    if folder.path in known.above:
        log.append(
            Decision(
                "split",
                subject,
                "an earlier crawl made separate tables below this folder, so each new folder "
                "under it is judged on its own",
            )
        )
        yield from _split(folder, root_level, table_level, combine, log, known)
        return
    level = root_level + len(folder.path)
    if table_level is not None and level < table_level and folder.children:
        log.append(
            Decision(
                "split",
                subject,
                f"TableLevelConfiguration is {table_level} and this folder is at level {level}:"
                " tables start deeper",
            )
        )
        yield from _split(folder, root_level, table_level, combine, log, known)
        return
    if table_level is not None and level >= table_level:
        yield from _forced(folder, members, table_level, subject, log)
        return
    verdict = _judge(members, combine)
    kind = "grouped" if verdict.together else "split"
    log.append(Decision(kind, subject, verdict.reason, round(verdict.similarity, 3)))
    if verdict.together:
        yield TableRoot(folder.path, members, len(members[0][0]))
    else:
        yield from _split(folder, root_level, table_level, combine, log, known)


def _split(
    folder: Folder,
    root_level: int,
    table_level: int | None,
    combine: bool,
    log: list[Decision],
    known: KnownLayout,
) -> Iterator[TableRoot]:
    for name in sorted(folder.children):
        yield from _place(folder.children[name], root_level, table_level, combine, log, known)
    for group in folder.groups.values():
        for index, key in enumerate(group.keys):
            yield TableRoot(folder.path, (((), group.only(index)),), 0, single_key=key)


def _known_table(
    path: tuple[str, ...],
    members: Sequence[Member],
    table: KnownTable,
    subject: str,
    log: list[Decision],
) -> Iterator[TableRoot]:
    """New folders under a table an earlier crawl made: its partitions, when they fit its
    partition levels and format; what does not fit is left for a full crawl, not turned into
    a different table over the existing one."""
    depth = len(table.partition_keys)
    fits: list[Member] = []
    for member in members:
        path_below, group = member
        where = subject + "".join(part + "/" for part in path_below)
        if len(path_below) != depth:
            reason = (
                f"its files sit {len(path_below)} folder(s) below table {table.name}, which "
                f"has {depth} partition level(s); left out (run a full crawl to regroup)"
            )
        elif table.classification and group.classification != table.classification:
            reason = (
                f"{group.classification} files under {table.classification} table "
                f"{table.name}; left out (run a full crawl to regroup)"
            )
        else:
            fits.append(member)
            continue
        log.append(Decision("skipped", where, reason))
    if not fits:
        return
    folders = len({path_below for path_below, _ in fits})
    log.append(
        Decision(
            "grouped",
            subject,
            f"the folder of table {table.name} from an earlier crawl: the {folders} new "
            f"folder(s) under it are its partitions",
        )
    )
    yield TableRoot(path, tuple(fits), depth, known=table)


def _forced(
    folder: Folder, members: Sequence[Member], table_level: int, subject: str, log: list[Decision]
) -> Iterator[TableRoot]:
    by_format: dict[tuple[object, ...], list[Member]] = {}
    for member in members:
        by_format.setdefault(member[1].compatibility, []).append(member)
    ordered = sorted(by_format.values(), key=lambda ms: -sum(g.files for _, g in ms))
    for index, chosen in enumerate(ordered):
        depth = min(len(path) for path, _ in chosen)
        suffix = "" if index == 0 else "_" + chosen[0][1].classification
        reason = f"TableLevelConfiguration {table_level} puts a table at this folder"
        if len(ordered) > 1:
            reason += f"; its {chosen[0][1].classification} files differ in format from the rest"
        log.append(Decision("grouped", subject, reason))
        yield TableRoot(folder.path, tuple(chosen), depth, suffix=suffix)


def _judge(members: Sequence[Member], combine: bool) -> _Verdict:
    files = sum(group.files for _, group in members)
    clusters = _clusters([group for _, group in members])
    similarity = max(clusters) / files
    depths = sorted({len(path) for path, _ in members})
    formats = sorted({_describe(group) for _, group in members})
    if len({group.compatibility for _, group in members}) > 1:
        return _Verdict(False, similarity, "files are not compatible: " + "; ".join(formats))
    if len(depths) > 1:
        levels = " and ".join(str(d) for d in depths)
        return _Verdict(False, similarity, f"files sit at different folder depths ({levels})")
    share = f"{similarity:.0%} of {files} file{'' if files == 1 else 's'} share the dominant schema"
    if combine:
        return _Verdict(True, similarity, f"CombineCompatibleSchemas: all compatible; {share}")
    if len(clusters) > MAX_CLUSTERS:
        return _Verdict(
            False, similarity, f"{len(clusters)} distinct schemas (more than {MAX_CLUSTERS})"
        )
    if similarity < PARTITION_THRESHOLD:
        return _Verdict(False, similarity, f"only {share} (a table needs 70%)")
    detail = f"{share} (≥70%), {len(clusters)} schema cluster(s) (≤{MAX_CLUSTERS})"
    return _Verdict(True, similarity, detail)


def _clusters(groups: Sequence[SchemaGroup]) -> list[int]:
    """File counts of schema clusters, formed greedily from the most common schema down."""
    reps: list[set[str]] = []
    counts: list[int] = []
    for group in sorted(groups, key=lambda g: -g.files):
        for index, rep in enumerate(reps):
            smaller = min(len(rep), len(group.names)) or 1
            if len(rep & group.names) / smaller >= NAME_OVERLAP:
                rep |= group.names
                counts[index] += group.files
                break
        else:
            reps.append(set(group.names))
            counts.append(group.files)
    return counts


def _describe(group: SchemaGroup) -> str:
    facts = ", ".join(f"{k} {v!r}" for k, v in group.format if k in ("delimiter", "header"))
    text = group.classification
    if group.compression != "none":
        text += f" ({group.compression})"
    return f"{text} [{facts}]" if facts else text
