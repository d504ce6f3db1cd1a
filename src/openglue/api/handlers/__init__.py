"""One module per resource family; importing this package registers them all."""

from openglue.api.handlers import (  # noqa: F401
    connections,
    databases,
    functions,
    job_runs,
    jobs,
    logs,
    partitions,
    tables,
    tags,
)
