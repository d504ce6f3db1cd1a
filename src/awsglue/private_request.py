"""One request to an OpenGlue private operation (``X-Amz-Target: OpenGlue.<Op>``).

boto3 only knows Glue's model, so such a request is built and SigV4-signed here and sent to the
endpoint of a boto3 Glue client. Callers choose the credentials (the job runtime and the CLI
find them differently) and turn a refusal into their own error. The CLI (``openglue``) uses this
too: ``awsglue`` must not import ``openglue``, the other way round is fine.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

__all__ = ["PRIVATE_TARGET_PREFIX", "post_private"]

PRIVATE_TARGET_PREFIX = "OpenGlue."
_TIMEOUT_SECONDS = 60


def post_private(
    client: Any, target: str, body: Mapping[str, Any], credentials: Credentials | None
) -> dict[str, Any]:
    """POST ``body`` as ``target`` to ``client``'s endpoint, signed for the client's region
    with ``credentials`` (unsigned when None). A refusal raises the ``ClientError`` boto3 would
    (its code is the answer's ``__type``); an unreachable endpoint raises ``OSError``."""
    request = AWSRequest(
        method="POST",
        url=client.meta.endpoint_url,
        data=json.dumps(body).encode(),
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
    )
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        SigV4Auth(frozen, "glue", client.meta.region_name).add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(
        prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=_TIMEOUT_SECONDS) as response:
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            return answer
    except urllib.error.HTTPError as error:
        with error:  # an HTTPError holds the response's socket until closed
            try:
                payload = json.loads(error.read() or b"{}")
            except ValueError:
                payload = {}
        code = str(payload.get("__type") or f"HTTP {error.code}")
        message = payload.get("Message") or error.reason
        operation = target.removeprefix(PRIVATE_TARGET_PREFIX)
        raise ClientError({"Error": {"Code": code, "Message": message}}, operation) from None
