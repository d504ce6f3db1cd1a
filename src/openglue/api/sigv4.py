"""AWS Signature Version 4 verification, by header or by presigned query string.

The server recomputes the signature from the request and the caller's secret; the canonical
forms live in ``sigv4_canonical``. Error classes and messages follow what AWS answers, since
SDKs and people debugging a client both read them.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from openglue.api import sigv4_canonical as canon
from openglue.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

# AWS's allowance for client clock skew, in both directions.
MAX_SKEW_SECONDS = 15 * 60
# AWS caps presigned URLs at seven days.
MAX_PRESIGN_EXPIRES = 7 * 24 * 3600

_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_QUERY_AUTH = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Expires",
)


@dataclass(frozen=True)
class _Claim:
    """What the client says it signed, before anything is checked against a secret."""

    access_key: str
    scope: tuple[str, str, str, str]  # date, region, service, terminator
    amz_date: str
    signed_headers: str
    signature: str
    query: list[tuple[str, str]]  # the pairs that enter the canonical query string
    expires: int | None  # presigned requests only


def verify_request(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    keys: Mapping[str, str],
    now: float,
) -> str:
    """Return the access key id of a correctly signed request; raise otherwise.

    ``path`` is the raw path as sent (still percent-encoded, e.g. ASGI ``raw_path``) and
    ``query`` the raw query string. ``keys`` maps access key id to secret; ``now`` is epoch
    seconds.
    """
    header_lists: dict[str, list[str]] = {}
    for name, value in headers.items():
        header_lists.setdefault(name.lower(), []).append(value)
    pairs = canon.parse_query(query)
    query_auth = any(name == "X-Amz-Algorithm" for name, _ in pairs)
    authorization = header_lists.get("authorization")
    if authorization and query_auth:
        raise IncompleteSignatureException(
            "Sign with either the Authorization header or X-Amz-* query parameters, not both"
        )
    if authorization:
        amz_date = header_lists.get("x-amz-date", [""])[0].strip()
        claim = _header_claim(authorization[0], amz_date, pairs)
    elif query_auth:
        claim = _query_claim(pairs)
    else:
        raise MissingAuthenticationTokenException(
            "Request is missing Authentication Token: sign it with AWS Signature Version 4 "
            "(an Authorization header or X-Amz-* query parameters)"
        )

    secret = keys.get(claim.access_key)
    if secret is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    _check_clock(claim, now)

    canonical = canon.canonical_request(
        method=method,
        uri=canon.canonical_uri(path),
        query=canon.canonical_query(claim.query),
        headers=canon.canonical_headers(header_lists, claim.signed_headers.split(";")),
        signed_headers=claim.signed_headers,
        payload_hash=canon.payload_hash(header_lists.get("x-amz-content-sha256"), body),
    )
    to_sign = canon.string_to_sign(claim.amz_date, "/".join(claim.scope), canonical)
    expected = canon.signature(secret, claim.scope, to_sign)
    if not hmac.compare_digest(expected.encode(), claim.signature.encode()):
        # Like AWS, show the canonical forms: a client author can diff them against their own.
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.\n\nThe Canonical String for this request should have "
            f"been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{to_sign}'\n"
        )
    return claim.access_key


def _header_claim(authorization: str, amz_date: str, pairs: list[tuple[str, str]]) -> _Claim:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != canon.ALGORITHM:
        raise IncompleteSignatureException(
            f"Unsupported Authorization algorithm '{algorithm}'; OpenGlue accepts "
            f"{canon.ALGORITHM} (Signature Version 4) only"
        )
    fields: dict[str, str] = {}
    for component in rest.split(","):
        name, equals, value = component.strip().partition("=")
        if equals:
            fields[name] = value
    problems = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not fields.get(name)
    ]
    if not amz_date:
        problems.append("Authorization header requires an 'X-Amz-Date' header.")
    if problems:
        raise IncompleteSignatureException(" ".join(problems) + f" Authorization={authorization}")
    return _claim(
        credential=fields["Credential"],
        amz_date=amz_date,
        signed_headers=fields["SignedHeaders"],
        signature=fields["Signature"],
        query=pairs,
        expires=None,
    )


def _query_claim(pairs: list[tuple[str, str]]) -> _Claim:
    params = dict(pairs)
    missing = [name for name in _QUERY_AUTH if not params.get(name)]
    if missing:
        raise IncompleteSignatureException(
            "AWS query-string parameters must include "
            + ", ".join(f"'{n}'" for n in _QUERY_AUTH)
            + ". Missing: "
            + ", ".join(f"'{n}'" for n in missing)
        )
    if params["X-Amz-Algorithm"] != canon.ALGORITHM:
        raise IncompleteSignatureException(
            f"Unsupported X-Amz-Algorithm '{params['X-Amz-Algorithm']}'; OpenGlue accepts "
            f"{canon.ALGORITHM} (Signature Version 4) only"
        )
    raw_expires = params["X-Amz-Expires"]
    if not raw_expires.isdigit() or not 0 < int(raw_expires) <= MAX_PRESIGN_EXPIRES:
        raise IncompleteSignatureException(
            f"X-Amz-Expires must be a whole number of seconds from 1 to {MAX_PRESIGN_EXPIRES} "
            f"(seven days), not '{raw_expires}'"
        )
    return _claim(
        credential=params["X-Amz-Credential"],
        amz_date=params["X-Amz-Date"],
        signed_headers=params["X-Amz-SignedHeaders"],
        signature=params["X-Amz-Signature"],
        # The signature cannot sign itself, so it is the one parameter left out.
        query=[(name, value) for name, value in pairs if name != "X-Amz-Signature"],
        expires=int(raw_expires),
    )


def _claim(
    *,
    credential: str,
    amz_date: str,
    signed_headers: str,
    signature: str,
    query: list[tuple[str, str]],
    expires: int | None,
) -> _Claim:
    parts = credential.split("/")
    if len(parts) != 5 or not all(parts):
        raise IncompleteSignatureException(
            f"Credential '{credential}' is malformed; expected "
            f"<access key id>/<yyyymmdd>/<region>/<service>/{canon.SCOPE_TERMINATOR}"
        )
    access_key, date, region, service, terminator = parts
    if terminator != canon.SCOPE_TERMINATOR:
        raise IncompleteSignatureException(
            f"Credential should be scoped with a valid terminator: "
            f"'{canon.SCOPE_TERMINATOR}', not '{terminator}'."
        )
    if not _AMZ_DATE.fullmatch(amz_date):
        raise IncompleteSignatureException(
            f"X-Amz-Date '{amz_date}' must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'"
        )
    if date != amz_date[:8]:
        raise InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{date}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if "host" not in signed_headers.split(";"):
        raise IncompleteSignatureException(
            f"SignedHeaders '{signed_headers}' must include 'host': the Host header has to be "
            "signed"
        )
    return _Claim(
        access_key=access_key,
        scope=(date, region, service, terminator),
        amz_date=amz_date,
        signed_headers=signed_headers,
        signature=signature,
        query=query,
        expires=expires,
    )


def _epoch(amz_date: str) -> float:
    try:
        parsed = datetime.strptime(amz_date, _AMZ_DATE_FORMAT)
    except ValueError:
        raise IncompleteSignatureException(
            f"X-Amz-Date '{amz_date}' is not a valid date and time"
        ) from None
    return parsed.replace(tzinfo=UTC).timestamp()


def _amz(epoch: float) -> str:
    return time.strftime(_AMZ_DATE_FORMAT, time.gmtime(epoch))


def _check_clock(claim: _Claim, now: float) -> None:
    signed_at = _epoch(claim.amz_date)
    if signed_at > now + MAX_SKEW_SECONDS:
        raise InvalidSignatureException(
            f"Signature not yet current: {claim.amz_date} is still later than "
            f"{_amz(now + MAX_SKEW_SECONDS)} ({_amz(now)} + 15 min.)"
        )
    if claim.expires is not None:
        if now > signed_at + claim.expires:
            raise InvalidSignatureException(
                f"Signature expired: {claim.amz_date} plus X-Amz-Expires={claim.expires} "
                f"ended at {_amz(signed_at + claim.expires)}, before {_amz(now)}"
            )
    elif signed_at < now - MAX_SKEW_SECONDS:
        raise InvalidSignatureException(
            f"Signature expired: {claim.amz_date} is now earlier than "
            f"{_amz(now - MAX_SKEW_SECONDS)} ({_amz(now)} - 15 min.)"
        )
