"""One crawl, step by step: survey the targets (list, classify, infer, group: ``plan_target``),
then decide the catalog changes (``reconcile``). Neither step writes; the runner applies the
changes, and a dry run prints them. ``check`` is called between steps and raises to cancel.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openglue.crawler.configuration import CrawlerConfiguration, parse_configuration
from openglue.crawler.incremental import folders_of, known_tables, new_folders
from openglue.crawler.plan import (
    CrawlOptions,
    CustomClassifier,
    Decision,
    KnownTable,
    ObjectSource,
    SkippedObject,
    TargetPlan,
)
from openglue.crawler.reconcile import (
    CatalogReader,
    PlannedTable,
    ReconcilePolicy,
    Reconciliation,
    plan_changes,
    stale_tables,
    table_name,
)

PlanTarget = Callable[[ObjectSource, CrawlOptions], TargetPlan]
OpenSource = Callable[[str], ObjectSource]
# Plans one JdbcTarget (its members as the crawler has them), reading the database's metadata.
PlanJdbc = Callable[[Mapping[str, Any]], TargetPlan]


class CrawlFailed(Exception):
    """The crawl cannot go on; the message goes to LastCrawl.ErrorMessage."""


def load_planner() -> PlanTarget:
    """``openglue.crawler.infer.plan_target``: the inference pipeline."""
    try:
        module: Any = importlib.import_module("openglue.crawler.infer")
    except ImportError as exc:
        raise CrawlFailed(f"schema inference is not available in this build ({exc})") from None
    planner: PlanTarget = module.plan_target
    return planner


@dataclass(frozen=True)
class CrawlSettings:
    """A crawler's definition, as a crawl uses it."""

    name: str
    targets: Mapping[str, Any]
    policy: ReconcilePolicy
    config: CrawlerConfiguration
    incremental: bool
    classifiers: tuple[CustomClassifier, ...] = ()


def settings_of(
    name: str, spec: Mapping[str, Any], classifiers: tuple[CustomClassifier, ...]
) -> CrawlSettings:
    config = parse_configuration(spec.get("Configuration"))
    change = spec.get("SchemaChangePolicy") or {}
    policy = ReconcilePolicy(
        crawler=name,
        database=(spec.get("DatabaseName") or "default").lower(),
        table_prefix=spec.get("TablePrefix") or "",
        update_behavior=change.get("UpdateBehavior", "UPDATE_IN_DATABASE"),
        delete_behavior=change.get("DeleteBehavior", "DEPRECATE_IN_DATABASE"),
        merge_new_columns=config.merge_new_columns,
        inherit_from_table=config.inherit_from_table,
        owner=spec.get("Role"),
    )
    recrawl = (spec.get("RecrawlPolicy") or {}).get("RecrawlBehavior")
    incremental = recrawl == "CRAWL_NEW_FOLDERS_ONLY"
    return CrawlSettings(name, spec.get("Targets") or {}, policy, config, incremental, classifiers)


@dataclass
class Survey:
    """What the targets yielded."""

    tables: list[PlannedTable] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # crawled in full: stale tables count
    decisions: list[Decision] = field(default_factory=list)
    skipped: list[SkippedObject] = field(default_factory=list)
    folders: dict[str, list[str]] = field(default_factory=dict)  # top-level folders per root
    objects: int = 0


def _unique(name: str, location: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    return f"{name}_{hashlib.sha1(location.encode()).hexdigest()[:8]}"


def _options(
    settings: CrawlSettings,
    target: Mapping[str, Any],
    only: frozenset[str] | None,
    known: tuple[KnownTable, ...] = (),
) -> CrawlOptions:
    return CrawlOptions(
        classifiers=settings.classifiers,
        exclusions=tuple(target.get("Exclusions") or ()),
        sample_size=target.get("SampleSize"),
        table_level=settings.config.table_level,
        combine_compatible_schemas=settings.config.combine_compatible_schemas,
        only_folders=only,
        known_tables=known,
    )


def _add_plan(survey: Survey, plan: TargetPlan, settings: CrawlSettings) -> None:
    taken = {t.name for t in survey.tables if t.database == settings.policy.database}
    for table in plan.tables:
        name = table_name(settings.policy.table_prefix, table.name)
        unique = _unique(name, table.location, taken)
        if unique != name:
            survey.decisions.append(
                Decision("renamed", unique, f"another target already has a table named {name}")
            )
        taken.add(unique)
        survey.tables.append(PlannedTable(table, settings.policy.database, unique))
    survey.decisions.extend(plan.decisions)
    survey.skipped.extend(plan.skipped)
    survey.objects += sum(len(t.object_keys) for t in plan.tables)


def survey_targets(
    settings: CrawlSettings,
    open_source: OpenSource,
    plan_target: PlanTarget,
    catalog: CatalogReader,
    seen_folders: Mapping[str, Sequence[str]],
    check: Callable[[], None],
    progress: Callable[[str], None] = lambda line: None,
    plan_jdbc: PlanJdbc | None = None,
) -> Survey:
    """Plan every target; ``progress`` gets a line after each (files read, tables found)."""
    survey = Survey()
    for target in settings.targets.get("JdbcTargets") or []:
        check()
        if plan_jdbc is None:
            raise CrawlFailed("JdbcTargets cannot be crawled here; start the crawler instead")
        _add_plan(survey, plan_jdbc(target), settings)
        progress(progress_line(survey))
    for target in settings.targets.get("S3Targets") or []:
        check()
        source = open_source(target["Path"])
        only: frozenset[str] | None = None
        known: tuple[KnownTable, ...] = ()
        if settings.incremental:
            folders = folders_of(source)
            survey.folders[source.root_uri] = folders
            if source.root_uri in seen_folders:
                only = new_folders(folders, seen_folders[source.root_uri])
                reason = f"CRAWL_NEW_FOLDERS_ONLY: {len(only)} new folder(s) of {len(folders)}"
                survey.decisions.append(Decision("incremental", source.root_uri, reason))
                known = known_tables(catalog, settings.policy)
        plan = plan_target(source, _options(settings, target, only, known))
        _add_plan(survey, plan, settings)
        if only is None:
            survey.roots.append(source.root_uri)
        progress(progress_line(survey))
    _survey_lake_targets(survey, settings, open_source, check, progress)
    for target in settings.targets.get("CatalogTargets") or []:
        _survey_catalog_target(survey, settings, target, open_source, plan_target, catalog, check)
    return survey


def _survey_lake_targets(
    survey: Survey,
    settings: CrawlSettings,
    open_source: OpenSource,
    check: Callable[[], None],
    progress: Callable[[str], None],
) -> None:
    """DeltaTargets and IcebergTargets: read from their metadata, in full on every crawl."""
    if not (settings.targets.get("DeltaTargets") or settings.targets.get("IcebergTargets")):
        return
    from openglue.crawler.lake_targets import plan_delta_target, plan_iceberg_target

    for target in settings.targets.get("DeltaTargets") or []:
        native = bool(target.get("CreateNativeDeltaTable"))
        for path in target.get("DeltaTables") or []:
            check()
            source = open_source(path)
            _add_plan(survey, plan_delta_target(source, native), settings)
            survey.roots.append(source.root_uri)
            progress(progress_line(survey))
    for target in settings.targets.get("IcebergTargets") or []:
        exclusions = tuple(target.get("Exclusions") or ())
        depth = target.get("MaximumTraversalDepth")
        for path in target.get("Paths") or []:
            check()
            source = open_source(path)
            _add_plan(survey, plan_iceberg_target(source, exclusions, depth), settings)
            survey.roots.append(source.root_uri)
            progress(progress_line(survey))


def progress_line(survey: Survey) -> str:
    """How far a crawl got, in the form the CLI's progress line shows."""
    return (
        f"PROGRESS {survey.objects} file(s), {len(survey.tables)} table(s), "
        f"{len(survey.skipped)} skipped"
    )


def _survey_catalog_target(
    survey: Survey,
    settings: CrawlSettings,
    target: Mapping[str, Any],
    open_source: OpenSource,
    plan_target: PlanTarget,
    catalog: CatalogReader,
    check: Callable[[], None],
) -> None:
    database = target["DatabaseName"].lower()
    for name in target.get("Tables") or []:
        check()
        subject = f"{database}.{name.lower()}"
        table = catalog.get_table(database, name)
        location = ((table or {}).get("StorageDescriptor") or {}).get("Location")
        if table is None or not location:
            survey.decisions.append(
                Decision(
                    "skipped", subject, "the catalog target table does not exist or has no location"
                )
            )
            continue
        plan = plan_target(open_source(location), _options(settings, {}, None))
        survey.decisions.extend(plan.decisions)
        survey.skipped.extend(plan.skipped)
        if len(plan.tables) != 1:
            survey.decisions.append(
                Decision(
                    "skipped",
                    subject,
                    f"its location holds "
                    f"{len(plan.tables)} tables' worth of data, not one; left unchanged",
                )
            )
            continue
        survey.tables.append(
            PlannedTable(plan.tables[0], database, table["Name"], may_create=False)
        )


def decide(settings: CrawlSettings, survey: Survey, catalog: CatalogReader) -> Reconciliation:
    """The catalog changes, under the crawler's policies; ``CrawlFailed`` over TableThreshold."""
    threshold = settings.config.table_threshold
    creatable = [t for t in survey.tables if t.may_create]
    if threshold is not None and len(creatable) > threshold:
        raise CrawlFailed(
            f"Table Threshold value = {threshold}, Tables detected - {len(creatable)}; nothing "
            "was written. Raise CrawlerOutput.Tables.TableThreshold or narrow the targets"
        )
    out = plan_changes(survey.tables, catalog, settings.policy)
    if survey.roots and not settings.incremental:
        kept = [t.name for t in survey.tables if t.database == settings.policy.database]
        stale_tables(catalog, settings.policy, kept, survey.roots, out)
    return out


def check_database(database_exists: Callable[[str], bool], settings: CrawlSettings) -> None:
    if not database_exists(settings.policy.database):
        raise CrawlFailed(
            f"Database {settings.policy.database} not found; create it (CreateDatabase) or set "
            "the crawler's DatabaseName to an existing database"
        )
