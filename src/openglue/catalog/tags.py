"""Tags as Glue has them: only some resource types take tags, at most 50 per resource, and
neither keys nor values may start with ``aws:`` (Glue developer guide, "Amazon Web Services tags
in Glue")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from openglue.catalog.arns import ResourceArn, parse_arn
from openglue.catalog.names import fold
from openglue.errors import EntityNotFoundException, InvalidInputException
from openglue.store.connections import ConnectionStore
from openglue.store.crawlers import CrawlerStore
from openglue.store.databases import DatabaseStore
from openglue.store.jobs import JobStore
from openglue.store.tags import TagStore
from openglue.store.triggers import TriggerStore
from openglue.store.workflows import WorkflowStore

MAX_TAGS_PER_RESOURCE = 50

# The documented taggable types. Databases, connections and jobs are checked for existence
# here. The others are accepted as they come: their services (crawlers, triggers, workflows, …)
# land later, and each should then add its existence check to ``_check_exists``.
TAGGABLE = frozenset(
    {
        "database",
        "connection",
        "catalog",
        "crawler",
        "job",
        "trigger",
        "workflow",
        "blueprint",
        "devEndpoint",
        "mlTransform",
        "session",
        "registry",
        "schema",
        "dataQualityRuleset",
        "customEntityType",
        "usageProfile",
    }
)

# Glue names these in the catalog case-insensitively, so their ARNs are too.
_FOLDED = frozenset({"database", "table", "userDefinedFunction"})


class TagService:
    def __init__(
        self,
        store: TagStore,
        databases: DatabaseStore,
        connections: ConnectionStore,
        region: str,
        account_id: str,
        jobs: JobStore | None = None,
    ) -> None:
        self.store = store
        self.databases = databases
        self.connections = connections
        self.jobs = jobs
        # Set by the server once the crawler store exists (it is built after this service).
        self.crawlers: CrawlerStore | None = None
        self.triggers: TriggerStore | None = None  # likewise, set by the trigger service
        self.workflows: WorkflowStore | None = None  # and by the workflow service
        self.region = region
        self.account_id = account_id

    def get(self, resource_arn: str) -> dict[str, str]:
        return self.store.get(self._resolve(resource_arn))

    def of(self, kind: str, name: str) -> dict[str, str]:
        """The tags of one of this server's resources (for listings filtered by tags)."""
        return self.store.get(self.arn_of(kind, name))

    def tag(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        check_tags(tags)
        self.store.add(self._resolve(resource_arn), tags, MAX_TAGS_PER_RESOURCE)

    def untag(self, resource_arn: str, keys: Iterable[str]) -> None:
        keys = list(keys)
        check_tags(dict.fromkeys(keys, ""))
        self.store.remove(self._resolve(resource_arn), keys)

    # Hooks for the services whose Create* operations take ``Tags``.

    def tag_new_resource(self, kind: str, name: str, tags: Mapping[str, str] | None) -> None:
        """Give a just-created resource exactly ``tags``: this also clears tags left behind by
        an earlier resource of the same name."""
        check_tags(tags or {})
        self.store.replace(self.arn_of(kind, name), tags or {})

    def renamed(self, kind: str, old_name: str, new_name: str) -> None:
        self.store.move(self.arn_of(kind, old_name), self.arn_of(kind, new_name))

    def forget(self, kind: str, name: str) -> None:
        self.store.replace(self.arn_of(kind, name), {})

    def arn_of(self, kind: str, *path: str) -> str:
        """The canonical ARN of a resource of this server."""
        return str(ResourceArn(self.region, self.account_id, kind, _canonical(kind, path)))

    def _resolve(self, resource_arn: str) -> str:
        """The canonical form of a client's ARN, once it names a taggable resource that
        exists."""
        arn = parse_arn(resource_arn)
        if arn.region != self.region:
            raise InvalidInputException(
                f"ResourceArn {resource_arn!r} is in region {arn.region}, but this server "
                f"answers for {self.region} (its --region / OPENGLUE_REGION setting)"
            )
        if arn.account != self.account_id:
            raise InvalidInputException(
                f"ResourceArn {resource_arn!r} is in account {arn.account}, but this server's "
                f"catalog is account {self.account_id} (its --account-id setting)"
            )
        if arn.kind not in TAGGABLE:
            # Glue does not tag tables or user-defined functions (its tagging guide lists the
            # taggable types, and CreateTable/CreateUserDefinedFunction take no Tags).
            raise InvalidInputException(
                f"Glue does not support tags on {arn.kind} resources; taggable types are: "
                + ", ".join(sorted(TAGGABLE))
            )
        path = _canonical(arn.kind, arn.path)
        self._check_exists(arn.kind, path)
        return self.arn_of(arn.kind, *path)

    def _check_exists(self, kind: str, path: tuple[str, ...]) -> None:
        if kind == "database" and self.databases.get(path[0]) is None:
            raise EntityNotFoundException(f"Database {path[0]} not found.")
        if kind == "connection" and self.connections.get(path[0]) is None:
            raise EntityNotFoundException(f"Connection {path[0]} not found.")
        if kind == "job" and self.jobs is not None and self.jobs.get(path[0]) is None:
            raise EntityNotFoundException(f"Job {path[0]} not found.")
        if kind == "crawler" and self.crawlers is not None and self.crawlers.get(path[0]) is None:
            raise EntityNotFoundException(f"Crawler {path[0]} not found.")
        if kind == "trigger" and self.triggers is not None and self.triggers.get(path[0]) is None:
            raise EntityNotFoundException(f"Trigger {path[0]} not found.")
        if kind == "workflow" and self.workflows is not None and not self.workflows.get(path[0]):
            raise EntityNotFoundException(f"Workflow {path[0]} not found.")


def _canonical(kind: str, path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(p) for p in path) if kind in _FOLDED else path


def check_tags(tags: Mapping[str, str]) -> None:
    """``InvalidInputException`` for keys or values in the reserved ``aws:`` namespace.

    Lengths and counts per request are the model's and were checked with the request."""
    for key, value in tags.items():
        for text in (key, value):
            if text.lower().startswith("aws:"):
                raise InvalidInputException(
                    f"Tag {key!r}: keys and values starting with 'aws:' are reserved for AWS"
                )
