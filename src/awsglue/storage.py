"""Where an ``s3://`` address of a Glue script really points, for the engine to read or write.

With no S3 endpoint configured (``AWS_ENDPOINT_URL_S3`` unset), ``s3://bucket/key`` is the
embedded local bucket ``$OPENGLUE_HOME/buckets/<bucket>/<key>`` — the same data directory the
OpenGlue server uses (``OPENGLUE_HOME``, default ``./.openglue``), so a job run by the server and
a script run by hand in the project folder see the same buckets. ``AWS_ENDPOINT_URL`` alone does
not count: it usually points at the Glue API (the OpenGlue server) rather than at S3.

With ``AWS_ENDPOINT_URL_S3`` set, addresses stay ``s3://`` (real S3 or an S3-compatible
server): Sail reads them natively with the ``AWS_*`` settings; classic Spark uses the s3a
connector when the hadoop-aws jars are on its classpath, and otherwise a Python data source
over pyarrow (``awsglue.s3_io``). ``purge_s3_path`` deletes on the endpoint too.

``file://`` URIs and plain paths pass through unchanged.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "HOME_ENV",
    "S3_ENDPOINT_ENV",
    "S3Address",
    "StorageError",
    "is_s3",
    "local_bucket_root",
    "parse_s3",
    "purge_local",
    "resolve",
]

HOME_ENV = "OPENGLUE_HOME"
DEFAULT_HOME = ".openglue"
S3_ENDPOINT_ENV = "AWS_ENDPOINT_URL_S3"
_S3_SCHEMES = ("s3://", "s3a://", "s3n://")


class StorageError(ValueError):
    """An address that cannot be used as given; the message says why and what to do."""


@dataclass(frozen=True)
class S3Address:
    bucket: str
    key: str  # without a leading slash; may be "" (the bucket root) or end with "/"


def is_s3(address: str) -> bool:
    return address.lower().startswith(_S3_SCHEMES)


def parse_s3(address: str) -> S3Address:
    """Split ``s3://bucket/key`` (also ``s3a://``, ``s3n://``); refuse ``..`` in the key."""
    if not is_s3(address):
        raise StorageError(f"{address!r} is not an s3:// address")
    rest = address.split("://", 1)[1]
    bucket, _, key = rest.partition("/")
    if not bucket or "/" in bucket or bucket in (".", ".."):
        raise StorageError(f"{address!r} has no bucket name (expected s3://bucket/key)")
    if ".." in key.split("/"):
        raise StorageError(f"{address!r}: '..' is not allowed in an S3 key")
    return S3Address(bucket, key)


def local_bucket_root(env: Mapping[str, str] | None = None) -> Path:
    """The folder that holds the embedded buckets: ``$OPENGLUE_HOME/buckets``, absolute."""
    env = os.environ if env is None else env
    home = env.get(HOME_ENV) or DEFAULT_HOME
    return Path(home).expanduser().absolute() / "buckets"


def uses_local_buckets(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return not env.get(S3_ENDPOINT_ENV)


def resolve(address: str, *, connect: bool, env: Mapping[str, str] | None = None) -> str:
    """The path or URI the engine should use for ``address``.

    ``connect`` says whether the engine is a Spark Connect one (Sail reads ``s3://`` itself).
    """
    env = os.environ if env is None else env
    if not address:
        raise StorageError("an empty path was given")
    if not is_s3(address):
        return address
    parsed = parse_s3(address)
    if uses_local_buckets(env):
        path = local_bucket_root(env) / parsed.bucket / parsed.key
        text = str(path)
        return text + "/" if parsed.key.endswith("/") and not text.endswith("/") else text
    # Both engines get s3:// as it is: Sail reads it natively, classic Spark through s3a when
    # hadoop-aws is on its classpath, else through the Python data source (awsglue.s3_io).
    return "s3://" + parsed.bucket + "/" + parsed.key


def local_path(address: str, env: Mapping[str, str] | None = None) -> Path:
    """The local file path of ``address`` (an embedded-bucket ``s3://``, ``file://`` or path)."""
    env = os.environ if env is None else env
    if is_s3(address):
        if not uses_local_buckets(env):
            raise StorageError(f"{address} is on a real S3 endpoint, not a local path")
        parsed = parse_s3(address)
        return local_bucket_root(env) / parsed.bucket / parsed.key
    if address.startswith("file://"):
        return Path(address[len("file://") :])
    if address.startswith("file:"):
        return Path(address[len("file:") :])
    return Path(address)


def purge_local(
    address: str, retention_hours: float, *, env: Mapping[str, str] | None = None
) -> list[str]:
    """Delete the files under ``address`` older than ``retention_hours``; return what went.

    Folders emptied by the purge are removed too (S3 has no empty folders). The returned paths
    are the ``s3://`` (or given) addresses of the deleted files, for a manifest.
    """
    cutoff = time.time() - retention_hours * 3600
    if is_s3(address) and not uses_local_buckets(env):
        from awsglue import s3_files
        from awsglue.s3_config import S3Config

        config = S3Config.from_env(env)
        assert config is not None  # an endpoint is configured: uses_local_buckets said so
        return s3_files.purge(config.client(), address, cutoff)
    root = local_path(address, env)
    if root.is_file():
        candidates = [root]
    elif root.is_dir():
        candidates = sorted(p for p in root.rglob("*") if p.is_file())
    else:
        return []
    deleted: list[str] = []
    for path in candidates:
        if path.stat().st_mtime <= cutoff:
            path.unlink()
            relative = path.relative_to(root).as_posix() if path != root else ""
            deleted.append(posixpath.join(address, relative) if relative else address)
    if root.is_dir():
        _remove_empty_folders(root)
    return deleted


def write_manifest(folder: str, lines: list[str], env: Mapping[str, str] | None = None) -> None:
    """Glue's purge manifest: ``Success.csv`` in ``folder``, one deleted path a line."""
    text = "".join(f"{line}\n" for line in lines)
    env = os.environ if env is None else env
    if is_s3(folder) and not uses_local_buckets(env):
        from awsglue.s3_config import S3Config

        config = S3Config.from_env(env)
        assert config is not None
        parsed = parse_s3(folder)
        key = parsed.key.rstrip("/") + "/Success.csv" if parsed.key else "Success.csv"
        config.client().put_object(Bucket=parsed.bucket, Key=key, Body=text.encode())
        return
    path = local_path(folder, env)
    path.mkdir(parents=True, exist_ok=True)
    (path / "Success.csv").write_text(text)


def _remove_empty_folders(root: Path) -> None:
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            shutil.rmtree(folder)
