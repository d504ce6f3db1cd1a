"""What CRAWL_NEW_FOLDERS_ONLY compares: the folders a target holds now against those earlier
crawls saw (kept in each crawl's report), and the tables this crawler made before, which new
folders are decided against (``openglue.crawler.known_layout``).
"""

from __future__ import annotations

from collections.abc import Sequence

from openglue.crawler.plan import KnownTable, ObjectSource
from openglue.crawler.reconcile import CatalogReader, ReconcilePolicy

__all__ = ["folders_of", "known_tables", "new_folders"]


def folders_of(source: ObjectSource) -> list[str]:
    """Every folder under the target root, '/'-separated: what an incremental crawl compares
    with the folders earlier crawls saw."""
    found: set[str] = set()
    for info in source.list():
        parts = info.key.split("/")[:-1]
        found.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return sorted(found)


def new_folders(folders: Sequence[str], seen: Sequence[str]) -> frozenset[str]:
    """The topmost folders not seen before (a new folder's subfolders come with it)."""
    new = set(folders) - set(seen)
    return frozenset(f for f in new if f.rpartition("/")[0] not in new)


def known_tables(catalog: CatalogReader, policy: ReconcilePolicy) -> tuple[KnownTable, ...]:
    """This crawler's tables (UPDATED_BY_CRAWLER), as an incremental crawl decides against."""
    known = []
    for table in catalog.tables_of_crawler(policy.database, policy.crawler):
        location = (table.get("StorageDescriptor") or {}).get("Location")
        if not location:
            continue
        name = table["Name"]
        if policy.table_prefix and name.startswith(policy.table_prefix.lower()):
            name = name[len(policy.table_prefix) :]
        keys = tuple(key["Name"] for key in table.get("PartitionKeys") or [])
        classification = (table.get("Parameters") or {}).get("classification", "")
        known.append(KnownTable(name, location, keys, classification))
    return tuple(known)
