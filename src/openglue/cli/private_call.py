"""Calling OpenGlue's private operations (``X-Amz-Target: OpenGlue.<Op>``) from the CLI.

boto3 only knows Glue's model, so the request is built and SigV4-signed here with the same
endpoint, region and credentials as the command's Glue client; errors come back as the same
``ClientError`` boto3 raises, so ``run_command`` reports them like any other.
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


def private_call(glue: Any, operation: str, body: Mapping[str, Any]) -> dict[str, Any]:
    request = AWSRequest(
        method="POST",
        url=glue.meta.endpoint_url,
        data=json.dumps(body).encode(),
        headers={
            "X-Amz-Target": f"OpenGlue.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    credentials = glue._request_signer._credentials  # the client's own (or the CLI's stand-in)
    if not isinstance(credentials, Credentials):
        credentials = Credentials("openglue", "openglue")
    SigV4Auth(credentials.get_frozen_credentials(), "glue", glue.meta.region_name).add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(
        prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=60) as response:
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            return answer
    except urllib.error.HTTPError as error:
        try:
            payload = json.loads(error.read() or b"{}")
        except ValueError:
            payload = {}
        code = str(payload.get("__type") or f"HTTP {error.code}")
        message = payload.get("Message") or error.reason
        raise ClientError({"Error": {"Code": code, "Message": message}}, operation) from None
