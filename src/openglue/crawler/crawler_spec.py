"""What is stored of a crawler's definition, with Glue's defaults filled in and the rules that
tie its members together checked (the model checks each member on its own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openglue.crawler.configuration import parse_configuration
from openglue.errors import InvalidInputException

# Members of CreateCrawler / UpdateCrawler kept in the spec (Name, Schedule and Tags live
# elsewhere; CatalogId names this server's catalog).
SPEC_MEMBERS = (
    "Role",
    "DatabaseName",
    "Description",
    "Targets",
    "Classifiers",
    "TablePrefix",
    "SchemaChangePolicy",
    "RecrawlPolicy",
    "LineageConfiguration",
    "LakeFormationConfiguration",
    "Configuration",
    "CrawlerSecurityConfiguration",
)

DEFAULT_SCHEMA_CHANGE = {
    "UpdateBehavior": "UPDATE_IN_DATABASE",
    "DeleteBehavior": "DEPRECATE_IN_DATABASE",
}
LOG_ONLY = {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}
# Targets a crawl reads; the others are refused at definition time, not at the first crawl.
SUPPORTED_TARGETS = (
    "S3Targets",
    "CatalogTargets",
    "JdbcTargets",
    "DeltaTargets",
    "IcebergTargets",
)
_ADDRESS_SCHEMES = ("s3://", "s3a://", "s3n://", "file://")


def _check_targets(targets: Mapping[str, Any]) -> None:
    present = [kind for kind, items in targets.items() if items]
    if not present:
        raise InvalidInputException(
            "Targets has no target; give at least one S3Targets path (s3://bucket/prefix or a "
            "local folder) or CatalogTargets entry"
        )
    unsupported = [kind for kind in present if kind not in SUPPORTED_TARGETS]
    if unsupported:
        raise InvalidInputException(
            f"OpenGlue crawlers do not read {', '.join(unsupported)} yet; supported targets: "
            + ", ".join(SUPPORTED_TARGETS)
        )
    if "CatalogTargets" in present and len(present) > 1:
        raise InvalidInputException(
            "A crawler with CatalogTargets cannot have other targets; define a second crawler"
        )
    for target in targets.get("JdbcTargets") or []:
        if not target.get("ConnectionName") or not target.get("Path"):
            raise InvalidInputException(
                "Every JdbcTargets entry needs a ConnectionName (a catalog Connection) and a "
                "Path (database/schema/table, % as a wildcard)"
            )
    for target in targets.get("S3Targets") or []:
        _check_path("S3Targets Path", target.get("Path") or "")
    _check_lake_targets(targets)


def _check_path(what: str, path: str) -> None:
    if not path:
        raise InvalidInputException(f"Every {what.replace(' Path', '')} entry needs a Path")
    if not path.lower().startswith(_ADDRESS_SCHEMES) and not path.startswith(("/", "~")):
        raise InvalidInputException(
            f"{what} {path!r} is neither an s3://bucket/prefix address nor an "
            "absolute local path (or file:// URI)"
        )


def _check_lake_targets(targets: Mapping[str, Any]) -> None:
    for target in targets.get("DeltaTargets") or []:
        if not target.get("DeltaTables"):
            raise InvalidInputException(
                "Every DeltaTargets entry needs DeltaTables: the paths of Delta tables (folders "
                "holding _delta_log/) or of folders holding them"
            )
        for path in target["DeltaTables"]:
            _check_path("DeltaTables path", path)
        if target.get("WriteManifest"):
            raise InvalidInputException(
                "OpenGlue does not write Delta symlink manifests (WriteManifest); it catalogs "
                "Delta tables natively — set CreateNativeDeltaTable to true and leave "
                "WriteManifest false"
            )
    for target in targets.get("IcebergTargets") or []:
        if not target.get("Paths"):
            raise InvalidInputException(
                "Every IcebergTargets entry needs Paths: the paths of Iceberg tables (folders "
                "holding metadata/) or of folders holding them"
            )
        for path in target["Paths"]:
            _check_path("IcebergTargets path", path)
        depth = target.get("MaximumTraversalDepth")
        if depth is not None and not 1 <= depth <= 20:
            raise InvalidInputException(
                f"IcebergTargets MaximumTraversalDepth {depth} is out of range: give 1 to 20 "
                "(how many folders below each path the metadata/ folder may be)"
            )


def _check_policies(spec: dict[str, Any]) -> None:
    recrawl = spec["RecrawlPolicy"]["RecrawlBehavior"]
    change = spec["SchemaChangePolicy"]
    if recrawl == "CRAWL_EVENT_MODE":
        raise InvalidInputException(
            "RecrawlBehavior CRAWL_EVENT_MODE needs S3 event notifications (SQS), which "
            "OpenGlue does not consume; use CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY"
        )
    if recrawl == "CRAWL_NEW_FOLDERS_ONLY" and change != LOG_ONLY:
        raise InvalidInputException(
            "The SchemaChangePolicy of a crawler that crawls new folders only can have only "
            "LOG UpdateBehavior and LOG DeleteBehavior"
        )
    if spec["Targets"].get("CatalogTargets") and change["DeleteBehavior"] != "LOG":
        raise InvalidInputException(
            "A crawler with CatalogTargets must have DeleteBehavior LOG: it never deletes the "
            "catalog tables it was given"
        )


def crawler_spec(
    given: Mapping[str, Any], previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The stored spec for CreateCrawler (``previous`` is None) or UpdateCrawler, which
    changes only the members it is given."""
    spec: dict[str, Any] = dict(previous or {})
    for member in SPEC_MEMBERS:
        if given.get(member) is not None:
            spec[member] = given[member]
    if given.get("Description") == "":
        spec.pop("Description", None)  # UpdateCrawler's DescriptionStringRemovable
    spec.setdefault("Classifiers", [])
    spec.setdefault("LineageConfiguration", {"CrawlerLineageSettings": "DISABLE"})
    recrawl = {"RecrawlBehavior": "CRAWL_EVERYTHING", **spec.get("RecrawlPolicy", {})}
    spec["RecrawlPolicy"] = recrawl
    if "SchemaChangePolicy" not in spec:
        incremental = recrawl["RecrawlBehavior"] == "CRAWL_NEW_FOLDERS_ONLY"
        catalog = bool(spec.get("Targets", {}).get("CatalogTargets"))
        default = LOG_ONLY if incremental else DEFAULT_SCHEMA_CHANGE
        spec["SchemaChangePolicy"] = {**default, **({"DeleteBehavior": "LOG"} if catalog else {})}
    else:
        spec["SchemaChangePolicy"] = {**DEFAULT_SCHEMA_CHANGE, **spec["SchemaChangePolicy"]}
    targets = {kind: items for kind, items in spec.get("Targets", {}).items() if items}
    for target in targets.get("S3Targets", []):
        target.setdefault("Exclusions", [])
    spec["Targets"] = targets
    _check_targets(targets)
    _check_policies(spec)
    parse_configuration(spec.get("Configuration"))
    return spec
