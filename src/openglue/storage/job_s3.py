"""The S3 settings a job process inherits from the server, as environment variables.

A job reaches S3 the AWS way: ``AWS_ENDPOINT_URL_S3`` names the endpoint (boto3 and Sail both
honour it, and it leaves ``AWS_ENDPOINT_URL`` to the Glue API). Credentials are resolved here,
in the server, because the job's ``AWS_ACCESS_KEY_ID`` is its key for the Glue API and the
server's profiles are not passed on:

- ``OPENGLUE_S3_ACCESS_KEY_ID`` / ``OPENGLUE_S3_SECRET_ACCESS_KEY`` / ``OPENGLUE_S3_REGION``
  always carry the S3 credentials; the ``awsglue`` runtime uses them for its own S3 reads;
- when the server does not check SigV4 (the default), any key opens the Glue API, so the job's
  ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` are the S3 ones too: Sail and a script's own
  ``boto3.client("s3")`` then work unchanged, as in a Glue job with its role.

``AWS_ALLOW_HTTP=true`` is set for a plain-HTTP endpoint: Sail refuses HTTP without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from openglue.storage.s3_objects import S3Endpoint

__all__ = ["JobS3", "s3_environment"]


@dataclass(frozen=True)
class JobS3:
    endpoint: S3Endpoint
    # True when the Glue API accepts any key, so the S3 key can be the job's default one.
    default_credentials: bool


def _credentials(endpoint: S3Endpoint) -> tuple[str, str, str]:
    if endpoint.access_key_id and endpoint.secret_access_key:
        return endpoint.access_key_id, endpoint.secret_access_key, ""
    import boto3

    found = boto3.Session().get_credentials()
    if found is None:
        return "", "", ""
    frozen = found.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token or ""


def s3_environment(settings: JobS3 | None) -> dict[str, str]:
    """The variables to add to a run's environment (none without an S3 endpoint)."""
    if settings is None:
        return {}
    endpoint = settings.endpoint
    key_id, secret, token = _credentials(endpoint)
    env = {"AWS_ENDPOINT_URL_S3": endpoint.url}
    if endpoint.region:
        env["OPENGLUE_S3_REGION"] = endpoint.region
    if endpoint.url.startswith("http://"):
        env["AWS_ALLOW_HTTP"] = "true"
    if key_id and secret:
        env["OPENGLUE_S3_ACCESS_KEY_ID"] = key_id
        env["OPENGLUE_S3_SECRET_ACCESS_KEY"] = secret
        if token:
            env["OPENGLUE_S3_SESSION_TOKEN"] = token
        if settings.default_credentials:
            env["AWS_ACCESS_KEY_ID"] = key_id
            env["AWS_SECRET_ACCESS_KEY"] = secret
            if token:
                env["AWS_SESSION_TOKEN"] = token
    return env
