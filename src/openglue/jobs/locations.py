"""Where a run's files come from: an ``s3://`` address in the embedded buckets, or a path.

Glue downloads a job's script and its ``--extra-py-files`` / ``--extra-files`` from S3 before
the run starts; OpenGlue reads them from its embedded buckets (``<data dir>/buckets``) or
from the local file system here, and from a configured S3 endpoint in ``s3_fetch``.
"""

from __future__ import annotations

from pathlib import Path

S3_SCHEMES = ("s3://", "s3a://", "s3n://")


class ScriptError(Exception):
    """The script (or a file it needs) cannot be had; the message says why and what to do."""


def is_s3(location: str) -> bool:
    return location.lower().startswith(S3_SCHEMES)


def object_address(location: str, what: str = "Script") -> tuple[str, str]:
    """Bucket and key of ``s3://bucket/key`` naming one object; ``ScriptError`` otherwise."""
    bucket, _, key = location.split("://", 1)[1].partition("/")
    if not bucket or not key or ".." in key.split("/") or key.endswith("/"):
        raise ScriptError(f"{what} location {location!r} is not s3://bucket/key")
    return bucket, key


def local_source(location: str, data_dir: Path, what: str = "Script") -> Path:
    """The local file behind ``location``; ``ScriptError`` naming ``what`` when it is not
    there. Embedded-bucket objects are returned where the bucket keeps them: callers copy
    them into the run's working directory, as Glue downloads them."""
    if is_s3(location):
        # With an S3 endpoint configured (AWS_ENDPOINT_URL_S3 included) callers fetch s3://
        # files with ``s3_fetch`` instead; here they are embedded-bucket objects.
        bucket, key = object_address(location, what)
        source = data_dir / "buckets" / bucket / key
        if not source.is_file():
            raise ScriptError(
                f"{what} {location} not found: OpenGlue's embedded bucket keeps it at {source}"
            )
        return source
    path = Path(location.removeprefix("file://")).expanduser().absolute()
    if not path.is_file():
        kind = "is a folder, not a file" if path.is_dir() else "not found"
        raise ScriptError(f"{what} {location} {kind} (looked for {path})")
    return path
