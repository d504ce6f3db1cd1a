"""SigV4 verification against requests signed by botocore's own signer.

Every signature here comes from botocore, never from our code, so a canonicalization mistake
on our side shows up as a failure instead of agreeing with itself. Time is controlled by
passing ``now`` relative to the X-Amz-Date botocore chose.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from starlette.datastructures import Headers

from openglue.api.sigv4 import verify_request
from openglue.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

ACCESS_KEY = "AKIAOPENGLUETEST0001"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
KEYS = {ACCESS_KEY: SECRET, "AKIAOTHERKEY00000002": "another-secret"}
AWS_ENDPOINT = "https://glue.us-east-1.amazonaws.com"
LOCAL_ENDPOINT = "http://localhost:4566"
BODY = json.dumps({"CatalogId": "123456789012", "MaxResults": 10}).encode()


def _epoch(amz_date: str) -> float:
    return float(calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ")))


def _sign(
    *,
    url: str = AWS_ENDPOINT + "/",
    body: bytes = BODY,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    credentials: Credentials | None = None,
    region: str = "us-east-1",
    service: str = "glue",
    unsigned_payload: bool = False,
) -> dict[str, Any]:
    """Sign a Glue GetDatabases call with botocore; return verify_request's keyword arguments."""
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        params=params or {},
        headers={
            "X-Amz-Target": "AWSGlue.GetDatabases",
            "Content-Type": "application/x-amz-json-1.1",
            **(headers or {}),
        },
    )
    if unsigned_payload:
        request.context["payload_signing_enabled"] = False
    SigV4Auth(credentials or Credentials(ACCESS_KEY, SECRET), service, region).add_auth(request)
    prepared = request.prepare()
    wire = urlsplit(prepared.url)
    sent = {name.lower(): value for name, value in prepared.headers.items()}
    # botocore leaves Host to the HTTP client, which sends the URL's authority.
    sent.setdefault("host", wire.netloc)
    return {
        "method": prepared.method,
        "path": wire.path,
        "query": wire.query,
        "headers": sent,
        "body": prepared.body or b"",
        "keys": KEYS,
        "now": _epoch(sent["x-amz-date"]),
    }


def _presign(*, url: str, expires: int = 300) -> dict[str, Any]:
    request = AWSRequest(method="GET", url=url, headers={"X-Amz-Target": "AWSGlue.GetDatabases"})
    SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET), "glue", "us-east-1", expires).add_auth(request)
    wire = urlsplit(request.url)
    signed_at = parse_qs(wire.query)["X-Amz-Date"][0]
    return {
        "method": "GET",
        "path": wire.path,
        "query": wire.query,
        "headers": {"host": wire.netloc, "x-amz-target": "AWSGlue.GetDatabases"},
        "body": b"",
        "keys": KEYS,
        "now": _epoch(signed_at),
    }


@pytest.mark.parametrize("endpoint", [AWS_ENDPOINT, LOCAL_ENDPOINT])
def test_valid_request_returns_access_key(endpoint: str) -> None:
    assert verify_request(**_sign(url=endpoint + "/")) == ACCESS_KEY


def test_starlette_headers_with_original_case_verify() -> None:
    request = _sign()
    raw = [(name.title().encode(), value.encode()) for name, value in request["headers"].items()]
    request["headers"] = Headers(raw=raw)
    assert verify_request(**request) == ACCESS_KEY


def test_empty_path_and_any_region_or_service_in_scope() -> None:
    request = _sign(url=LOCAL_ENDPOINT, region="eu-west-3", service="openglue-custom")
    assert request["path"] == ""
    assert verify_request(**request) == ACCESS_KEY


def test_wrong_secret_is_invalid_signature() -> None:
    request = _sign(credentials=Credentials(ACCESS_KEY, "not-the-secret"))
    with pytest.raises(InvalidSignatureException, match="does not match the signature"):
        verify_request(**request)


def test_unknown_access_key_is_unrecognized_client() -> None:
    request = _sign(credentials=Credentials("AKIAUNKNOWN000000000", SECRET))
    with pytest.raises(UnrecognizedClientException, match="security token included in the request"):
        verify_request(**request)


def test_unsigned_request_is_missing_token() -> None:
    request = _sign()
    del request["headers"]["authorization"]
    with pytest.raises(MissingAuthenticationTokenException, match="missing Authentication Token"):
        verify_request(**request)


@pytest.mark.parametrize(
    "authorization",
    [
        "garbage",
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=AKIAOPENGLUETEST0001/20261127/us-east-1/glue/aws4_request",
        "AWS AKIAOPENGLUETEST0001:c2lnbmF0dXJl",
    ],
)
def test_garbled_authorization_is_incomplete(authorization: str) -> None:
    request = _sign()
    request["headers"]["authorization"] = authorization
    with pytest.raises(IncompleteSignatureException):
        verify_request(**request)


def test_missing_amz_date_is_incomplete() -> None:
    request = _sign()
    del request["headers"]["x-amz-date"]
    with pytest.raises(IncompleteSignatureException, match="X-Amz-Date"):
        verify_request(**request)


def test_host_must_be_signed() -> None:
    request = _sign()
    auth = request["headers"]["authorization"]
    assert ";host;" in auth
    request["headers"]["authorization"] = auth.replace(";host;", ";")
    with pytest.raises(IncompleteSignatureException, match="host"):
        verify_request(**request)


def test_scope_date_must_match_amz_date() -> None:
    request = _sign()
    day = request["headers"]["x-amz-date"][:8]
    auth = request["headers"]["authorization"]
    request["headers"]["authorization"] = auth.replace(f"/{day}/", "/19991231/")
    with pytest.raises(InvalidSignatureException, match="Date in Credential scope"):
        verify_request(**request)


def test_body_tampered_after_signing_is_invalid() -> None:
    request = _sign()
    request["body"] = BODY.replace(b"10", b"99")
    with pytest.raises(InvalidSignatureException, match="does not match"):
        verify_request(**request)


def test_header_tampered_after_signing_is_invalid() -> None:
    request = _sign()
    request["headers"]["x-amz-target"] = "AWSGlue.DeleteDatabase"
    with pytest.raises(InvalidSignatureException):
        verify_request(**request)


def test_declared_content_sha256_must_match_body() -> None:
    request = _sign(headers={"X-Amz-Content-SHA256": hashlib.sha256(BODY).hexdigest()})
    assert verify_request(**request) == ACCESS_KEY
    request["body"] = b"{}"
    with pytest.raises(InvalidSignatureException, match="x-amz-content-sha256"):
        verify_request(**request)


def test_unsigned_payload_is_accepted() -> None:
    request = _sign(unsigned_payload=True)
    assert request["headers"]["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert verify_request(**request) == ACCESS_KEY


def test_security_token_is_tolerated() -> None:
    request = _sign(credentials=Credentials(ACCESS_KEY, SECRET, token="session-token"))
    assert request["headers"]["x-amz-security-token"] == "session-token"
    assert verify_request(**request) == ACCESS_KEY


def test_header_values_are_trimmed_and_spaces_collapsed() -> None:
    request = _sign(headers={"X-Amz-Meta-Note": "  two   spaced    words  "})
    assert verify_request(**request) == ACCESS_KEY


def test_signed_16_minutes_ago_has_expired() -> None:
    request = _sign()
    signed_at = request["headers"]["x-amz-date"]
    request["now"] += 16 * 60
    with pytest.raises(InvalidSignatureException) as raised:
        verify_request(**request)
    assert raised.value.message.startswith(f"Signature expired: {signed_at} is now earlier than ")
    assert raised.value.message.endswith(" - 15 min.)")


def test_signed_16_minutes_ahead_is_not_yet_current() -> None:
    request = _sign()
    signed_at = request["headers"]["x-amz-date"]
    request["now"] -= 16 * 60
    with pytest.raises(InvalidSignatureException) as raised:
        verify_request(**request)
    assert raised.value.message.startswith(f"Signature not yet current: {signed_at} is still ")
    assert raised.value.message.endswith(" + 15 min.)")


@pytest.mark.parametrize("skew_minutes", [14, -14])
def test_skew_within_15_minutes_is_accepted(skew_minutes: int) -> None:
    request = _sign()
    request["now"] += skew_minutes * 60
    assert verify_request(**request) == ACCESS_KEY


def test_query_string_and_path_needing_encoding() -> None:
    request = _sign(
        url=LOCAL_ENDPOINT + "/catalog%20one/t%C3%A4ble/./x/../a:b~c(1)",
        params={"Name": "a b", "Expr": "x/y~+=&z", "empty": "", "Zeta": "ü"},
    )
    assert "%20" in request["path"]
    assert request["query"]
    assert verify_request(**request) == ACCESS_KEY


def test_query_string_tampered_after_signing_is_invalid() -> None:
    request = _sign(params={"Name": "a b"})
    request["query"] = request["query"].replace("a+b", "a+c")
    with pytest.raises(InvalidSignatureException):
        verify_request(**request)


def test_presigned_url_verifies() -> None:
    request = _presign(url=AWS_ENDPOINT + "/?Name=db%20one")
    assert "X-Amz-Signature=" in request["query"]
    assert verify_request(**request) == ACCESS_KEY


def test_presigned_url_past_its_expiry_is_expired() -> None:
    request = _presign(url=AWS_ENDPOINT + "/", expires=300)
    request["now"] += 299
    assert verify_request(**request) == ACCESS_KEY
    request["now"] += 2
    with pytest.raises(InvalidSignatureException, match="Signature expired"):
        verify_request(**request)


def test_presigned_url_with_altered_query_is_invalid() -> None:
    request = _presign(url=AWS_ENDPOINT + "/?Name=db")
    request["query"] = request["query"].replace("Name=db", "Name=other")
    with pytest.raises(InvalidSignatureException):
        verify_request(**request)


def test_presigned_url_missing_parameters_is_incomplete() -> None:
    request = _presign(url=AWS_ENDPOINT + "/")
    request["query"] = "&".join(
        part for part in request["query"].split("&") if not part.startswith("X-Amz-Signature=")
    )
    with pytest.raises(IncompleteSignatureException, match="X-Amz-Signature"):
        verify_request(**request)
