"""Classified files gathered by folder, in groups that share a format and column names.

Files of one folder with the same classification, compression, format facts and column names
are one ``SchemaGroup``: their schemas are merged and their sizes and record counts summed as
they are classified, so memory grows with the number of distinct schemas per folder, not with
the number of files (beyond their keys, which the listing holds anyway).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from openglue.crawler.hive_schema import HiveType, merge_columns
from openglue.crawler.probe import FileSchema

__all__ = ["Folder", "SchemaGroup"]

GroupKey = tuple[str, str, tuple[tuple[str, str], ...], frozenset[str]]


@dataclass
class SchemaGroup:
    classification: str
    compression: str
    format: tuple[tuple[str, str], ...]
    names: frozenset[str]  # lower-cased column names: what similarity is measured on
    classifier: str
    columns: list[tuple[str, HiveType]]
    extras: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # parallel to keys
    size: int = 0
    records: float = 0.0  # estimated records in all the group's files
    sample_records: int = 0
    sample_bytes: int = 0

    @property
    def files(self) -> int:
        return len(self.keys)

    def only(self, index: int) -> SchemaGroup:
        """The group as if it held just its ``index``-th file (for a one-file table)."""
        size = self.sizes[index]
        share = size / self.size if self.size else 1.0 / len(self.keys)
        return SchemaGroup(
            self.classification,
            self.compression,
            self.format,
            self.names,
            self.classifier,
            self.columns,
            dict(self.extras),
            [self.keys[index]],
            [size],
            size,
            self.records * share,
            self.sample_records,
            self.sample_bytes,
        )

    @property
    def compatibility(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """Files only share a table when these agree (Glue: same format and compression)."""
        return self.classification, self.compression, self.format

    def add(self, key: str, size: int, schema: FileSchema) -> None:
        self.keys.append(key)
        self.sizes.append(size)
        self.size += size
        self.columns = merge_columns(self.columns, schema.columns)
        for name, value in schema.extras:
            if name == "quoted":  # one quoted file makes the table's columns quoted
                if value == "true" or name not in self.extras:
                    self.extras[name] = value
            else:
                self.extras.setdefault(name, value)
        if schema.exact or schema.records == 0:
            self.records += schema.records
        else:
            self.records += size * schema.records / max(1, schema.record_bytes)
        self.sample_records += schema.records
        self.sample_bytes += schema.record_bytes

    def add_unsampled(self, key: str, size: int) -> None:
        """A file left out by SampleSize: assumed like the sampled files of its folder."""
        self.keys.append(key)
        self.sizes.append(size)
        self.size += size
        if self.sample_records:
            self.records += size * self.sample_records / max(1, self.sample_bytes)


@dataclass
class Folder:
    path: tuple[str, ...]  # folder names from the target root
    groups: dict[GroupKey, SchemaGroup] = field(default_factory=dict)
    children: dict[str, Folder] = field(default_factory=dict)

    def child(self, name: str) -> Folder:
        found = self.children.get(name)
        if found is None:
            found = self.children[name] = Folder((*self.path, name))
        return found

    def add(self, key: str, size: int, schema: FileSchema, classifier: str) -> SchemaGroup:
        names = frozenset(name.lower() for name, _ in schema.columns)
        group_key = (schema.classification, schema.compression, schema.format, names)
        group = self.groups.get(group_key)
        if group is None:
            group = self.groups[group_key] = SchemaGroup(
                schema.classification,
                schema.compression,
                schema.format,
                names,
                classifier,
                list(schema.columns),
            )
            group.columns = []
        group.add(key, size, schema)
        return group

    def walk(self) -> Iterator[Folder]:
        yield self
        for name in sorted(self.children):
            yield from self.children[name].walk()

    def leaf_groups(self) -> Iterator[tuple[tuple[str, ...], SchemaGroup]]:
        """Every group under this folder, with its folder path relative to this one."""
        depth = len(self.path)
        for folder in self.walk():
            for group in folder.groups.values():
                yield folder.path[depth:], group
