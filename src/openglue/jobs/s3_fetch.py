"""A run's file from the configured S3 endpoint, downloaded into its working directory as Glue
downloads a job's script before the run starts."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from openglue.jobs.locations import ScriptError, object_address
from openglue.storage.s3_objects import S3Endpoint

__all__ = ["fetch_from_endpoint"]

_MISSING = ("404", "NoSuchKey", "NotFound", "NoSuchBucket")


def fetch_from_endpoint(
    location: str, endpoint: S3Endpoint, folder: Path, what: str = "Script"
) -> Path:
    """Download ``s3://bucket/key`` into ``folder``; ``ScriptError`` when it cannot be had."""
    bucket, key = object_address(location, what)
    client = endpoint.client()
    target = folder / PurePosixPath(key).name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        client.download_file(bucket, key, str(target))
    except client.exceptions.ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in _MISSING:
            raise ScriptError(f"{what} {location} not found on {endpoint.url}") from None
        message = f"{what} {location} could not be fetched from {endpoint.url}: {error}"
        raise ScriptError(message) from None
    return target
