"""One module per resource family; importing this package registers them all."""

from openglue.api.handlers import (  # noqa: F401
    classifiers,
    connections,
    crawlers,
    databases,
    functions,
    job_bookmarks,
    job_runs,
    jobs,
    logs,
    partitions,
    tables,
    tags,
    triggers,
    workflows,
)
