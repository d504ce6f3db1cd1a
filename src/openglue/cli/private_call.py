"""Calling OpenGlue's private operations (``X-Amz-Target: OpenGlue.<Op>``) from the CLI.

The request is built and signed by ``awsglue.private_request`` (shared with the job runtime's
bookmark commits) with the same endpoint, region and credentials as the command's Glue client;
errors come back as the same ``ClientError`` boto3 raises, so ``run_command`` reports them like
any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.credentials import Credentials

from awsglue.private_request import PRIVATE_TARGET_PREFIX, post_private


def private_call(glue: Any, operation: str, body: Mapping[str, Any]) -> dict[str, Any]:
    credentials = glue._request_signer._credentials  # the client's own (or the CLI's stand-in)
    if not isinstance(credentials, Credentials):
        credentials = Credentials("openglue", "openglue")
    return post_private(glue, PRIVATE_TARGET_PREFIX + operation, body, credentials)
