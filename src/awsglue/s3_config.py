"""How this process reaches an S3-compatible endpoint, read from the environment the AWS way.

``AWS_ENDPOINT_URL_S3`` names the endpoint. Credentials are ``OPENGLUE_S3_ACCESS_KEY_ID`` /
``OPENGLUE_S3_SECRET_ACCESS_KEY`` when the OpenGlue server gave the job its own S3 key (its
``AWS_ACCESS_KEY_ID`` may be a key for the Glue API only), else the usual
``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``; the region is ``OPENGLUE_S3_REGION``, else
``AWS_REGION`` / ``AWS_DEFAULT_REGION``, else us-east-1.

Each engine is told in its own terms: Sail reads the ``AWS_*`` variables itself (and refuses
plain HTTP unless ``AWS_ALLOW_HTTP=true``); classic Spark's s3a connector gets Hadoop settings;
the Python data source (``awsglue.s3_datasource``) gets the settings as options, so its workers
need no environment of their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pyarrow.fs import S3FileSystem

__all__ = ["S3Config", "prepare_sail", "s3a_ready"]

ENDPOINT_ENV = "AWS_ENDPOINT_URL_S3"
_OPTION_PREFIX = "s3."
_S3A_CLASS = "org.apache.hadoop.fs.s3a.S3AFileSystem"


@dataclass(frozen=True)
class S3Config:
    endpoint: str
    region: str = "us-east-1"
    access_key: str = ""
    secret_key: str = ""
    session_token: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> S3Config | None:
        """The configured endpoint, or None when ``s3://`` means the embedded buckets."""
        env = os.environ if env is None else env
        endpoint = env.get(ENDPOINT_ENV, "").strip()
        if not endpoint:
            return None
        own_key = env.get("OPENGLUE_S3_ACCESS_KEY_ID", "")
        return cls(
            endpoint=endpoint,
            region=env.get("OPENGLUE_S3_REGION")
            or env.get("AWS_REGION")
            or env.get("AWS_DEFAULT_REGION")
            or "us-east-1",
            access_key=own_key or env.get("AWS_ACCESS_KEY_ID", ""),
            secret_key=env.get("OPENGLUE_S3_SECRET_ACCESS_KEY", "")
            if own_key
            else env.get("AWS_SECRET_ACCESS_KEY", ""),
            session_token=env.get("OPENGLUE_S3_SESSION_TOKEN", "")
            if own_key
            else env.get("AWS_SESSION_TOKEN", ""),
        )

    @property
    def is_http(self) -> bool:
        return self.endpoint.lower().startswith("http://")

    def as_options(self) -> dict[str, str]:
        """The settings as data source options (Spark redacts the secret ones in plans)."""
        return {
            _OPTION_PREFIX + "endpoint": self.endpoint,
            _OPTION_PREFIX + "region": self.region,
            _OPTION_PREFIX + "access.key": self.access_key,
            _OPTION_PREFIX + "secret.key": self.secret_key,
            _OPTION_PREFIX + "session.token": self.session_token,
        }

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> S3Config:
        def get(name: str) -> str:
            return str(options.get(_OPTION_PREFIX + name, "") or "")

        return cls(
            get("endpoint"),
            get("region"),
            get("access.key"),
            get("secret.key"),
            get("session.token"),
        )

    def client(self) -> Any:
        """A boto3 S3 client (for deletes: pyarrow leaves folder markers behind them)."""
        import boto3

        options: dict[str, Any] = {"endpoint_url": self.endpoint, "region_name": self.region}
        if self.access_key and self.secret_key:
            options.update(aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key)
            if self.session_token:
                options["aws_session_token"] = self.session_token
        return boto3.client("s3", **options)

    def filesystem(self) -> S3FileSystem:
        from pyarrow.fs import S3FileSystem

        parts = urlsplit(self.endpoint)
        options: dict[str, Any] = {
            "endpoint_override": parts.netloc + parts.path.rstrip("/"),
            "scheme": parts.scheme or "https",
            "region": self.region,
            # MinIO, Ceph and test servers serve buckets as paths, not as host names.
            "force_virtual_addressing": False,
        }
        if self.access_key and self.secret_key:
            options.update(access_key=self.access_key, secret_key=self.secret_key)
            if self.session_token:
                options["session_token"] = self.session_token
        return S3FileSystem(**options)


def prepare_sail(config: S3Config) -> None:
    """What the embedded Sail engine needs in this process's environment to reach ``config``
    (Sail reads it on each query, so setting it before the query is enough)."""
    if config.is_http:
        os.environ.setdefault("AWS_ALLOW_HTTP", "true")
    os.environ.setdefault("AWS_REGION", config.region)


def s3a_ready(session: Any, config: S3Config) -> bool:
    """Whether classic Spark has the hadoop-aws connector; if so, point it at ``config`` (for
    ``s3://`` and ``s3a://`` alike) and return True."""
    jvm = getattr(session, "_jvm", None)
    jsc = getattr(session, "_jsc", None)
    if jvm is None or jsc is None:
        return False
    try:
        loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
        jvm.java.lang.Class.forName(_S3A_CLASS, False, loader)
    except Exception:  # py4j wraps ClassNotFoundException; any failure means "not there"
        return False
    hadoop = jsc.hadoopConfiguration()
    settings = {
        "fs.s3.impl": _S3A_CLASS,
        "fs.s3a.endpoint": config.endpoint,
        "fs.s3a.endpoint.region": config.region,
        "fs.s3a.path.style.access": "true",
        "fs.s3a.connection.ssl.enabled": str(not config.is_http).lower(),
    }
    if config.access_key and config.secret_key:
        settings["fs.s3a.access.key"] = config.access_key
        settings["fs.s3a.secret.key"] = config.secret_key
        if config.session_token:
            settings["fs.s3a.session.token"] = config.session_token
    for key, value in settings.items():
        hadoop.set(key, value)
    return True
