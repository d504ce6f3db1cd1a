"""The object source behind an address, under the server's S3 settings.

``s3://bucket/prefix`` is the embedded local bucket ``<data dir>/buckets/bucket/prefix`` when no
S3 endpoint is configured, and that prefix on the endpoint when one is (``--s3-endpoint-url``,
else ``AWS_ENDPOINT_URL_S3`` — AWS's own variable). ``file://`` URIs and absolute paths are
local folders or single files. Crawlers, event triggers and job bookmarks all come here, so
an address means the same thing to every part of the server.
"""

from __future__ import annotations

from pathlib import Path

from awsglue.storage import StorageError, is_s3, parse_s3
from openglue.crawler.plan import ObjectSource
from openglue.errors import InvalidInputException
from openglue.settings import ServerSettings
from openglue.storage.local_objects import LocalObjectSource
from openglue.storage.s3_objects import S3Endpoint, S3ObjectSource

__all__ = ["object_source_for", "s3_endpoint"]


def s3_endpoint(settings: ServerSettings) -> S3Endpoint | None:
    """The configured S3 endpoint, or None for the embedded local buckets."""
    if not settings.s3_endpoint_url:
        return None
    return S3Endpoint(
        url=settings.s3_endpoint_url,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        region=settings.s3_region or settings.region,
    )


def object_source_for(address: str, settings: ServerSettings) -> ObjectSource:
    """The source for ``address``; ``InvalidInputException`` for one that cannot be read."""
    if is_s3(address):
        try:
            parsed = parse_s3(address)
        except StorageError as error:
            raise InvalidInputException(str(error)) from None
        endpoint = s3_endpoint(settings)
        if endpoint is not None:
            return S3ObjectSource(parsed.bucket, parsed.key, endpoint.client())
        key = parsed.key.strip("/")
        folder = settings.data_dir.resolve() / "buckets" / parsed.bucket / key
        uri = f"s3://{parsed.bucket}/{key}" if key else f"s3://{parsed.bucket}"
        return LocalObjectSource(folder, uri if folder.is_file() else uri + "/")
    local = Path(address.removeprefix("file://")).expanduser()
    if not local.is_absolute():
        raise InvalidInputException(
            f"Path {address!r} is relative; give an absolute path, a file:// URI or an "
            "s3://bucket/prefix address"
        )
    return LocalObjectSource(local)
