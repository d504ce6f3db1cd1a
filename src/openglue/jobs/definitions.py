"""Job definitions as Glue has them: names keep their case, UpdateJob replaces the whole
definition, DeleteJob never fails for a missing job, and only some tags filter ListJobs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openglue.catalog.filtered_listing import filtered_page
from openglue.catalog.names import now
from openglue.catalog.tags import TagService, check_tags
from openglue.errors import EntityNotFoundException
from openglue.jobs.job_spec import job_spec
from openglue.store.jobs import JobRecord, JobStore


def to_aws(record: JobRecord) -> dict[str, Any]:
    """The ``Job`` shape."""
    return {
        **record.spec,
        "Name": record.name,
        "CreatedOn": record.created_on,
        "LastModifiedOn": record.last_modified_on,
    }


def not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Job {name} not found.")


class JobService:
    def __init__(self, store: JobStore, tags: TagService) -> None:
        self.store = store
        self.tags = tags
        # Called with the job's name after DeleteJob, so runs of the job get stopped.
        self.on_delete: Callable[[str], None] = lambda name: None

    def create(self, given: Mapping[str, Any]) -> str:
        """CreateJob: ``given`` holds its members (Name, Role, Command, Tags, …)."""
        check_tags(given.get("Tags") or {})  # before creating: bad tags must leave nothing
        stamp = now()
        name = given["Name"]
        self.store.create(JobRecord(name, job_spec(given), stamp, stamp))
        self.tags.tag_new_resource("job", name, given.get("Tags"))
        return str(name)

    def get(self, name: str) -> JobRecord:
        record = self.store.get(name)
        if record is None:
            raise not_found(name)
        return record

    def get_many(self, names: Sequence[str]) -> tuple[list[JobRecord], list[str]]:
        """The jobs found, in the order asked, and the names not found."""
        found = self.store.get_many(names)
        missing = list(dict.fromkeys(n for n in names if n not in found))
        return [found[n] for n in dict.fromkeys(names) if n in found], missing

    def list(
        self, after: str | None, limit: int, tags: Mapping[str, str] | None = None
    ) -> list[JobRecord]:
        """Up to ``limit`` jobs after ``after``; with ``tags``, only jobs carrying all of them."""
        if not tags:
            return self.store.list(after, limit)
        wanted = set(tags.items())

        def tagged(record: JobRecord) -> bool:
            return wanted <= set(self.tags.of("job", record.name).items())

        return filtered_page(self.store.list, lambda r: r.name, tagged, after, limit)

    def update(self, name: str, job_update: Mapping[str, Any]) -> None:
        current = self.get(name)
        spec = job_spec(job_update, previous_glue_version=current.spec.get("GlueVersion"))
        self.store.replace(JobRecord(name, spec, current.created_on, now()))

    def delete(self, name: str) -> None:
        if self.store.delete(name):
            self.tags.forget("job", name)
            self.on_delete(name)
