"""The canonical forms of AWS Signature Version 4, recomputed on the server side.

Functions of the request as it arrived; ``openglue.api.sigv4`` decides what to trust.
The rules are AWS's "Create a signed AWS API request" page, read together with botocore's
signer, since what SDKs actually send is what has to verify.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote, unquote_plus

from openglue.errors import InvalidSignatureException

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
SCOPE_TERMINATOR = "aws4_request"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_uri(raw_path: str) -> str:
    """The path as sent on the wire, dot segments and empty segments removed, encoded again.

    Encoding an already-encoded path a second time is what every service except S3 expects;
    it is why the caller must pass the raw path, not the decoded one.
    """
    segments: list[str] = []
    for segment in raw_path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    if not segments:
        return "/"
    path = "/" + "/".join(segments) + ("/" if raw_path.endswith("/") else "")
    return quote(path, safe="/~")


def parse_query(query: str) -> list[tuple[str, str]]:
    """Decoded (name, value) pairs in wire order, repeats kept.

    ``+`` decodes to a space because botocore form-encodes query parameters on the wire while
    signing them with ``%20``; reading ``+`` literally would reject every SDK request whose
    query carries a space.
    """
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


def _uri_encode(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    # Sorting happens after encoding: that is the byte order the client sorted in.
    encoded = sorted((_uri_encode(name), _uri_encode(value)) for name, value in pairs)
    return "&".join(f"{name}={value}" for name, value in encoded)


def _trim_all(value: str) -> str:
    return " ".join(value.split())


def canonical_headers(headers: Mapping[str, Sequence[str]], signed: Sequence[str]) -> str:
    """One ``name:value`` line per signed header; repeated headers join with commas.

    A signed header the request lacks still gets its (empty) line, so the mismatch shows up
    as a wrong signature rather than as a request we silently re-interpreted.
    """
    return "".join(
        f"{name}:{','.join(_trim_all(v) for v in headers.get(name, ()))}\n" for name in signed
    )


def canonical_request(
    *,
    method: str,
    uri: str,
    query: str,
    headers: str,
    signed_headers: str,
    payload_hash: str,
) -> str:
    return "\n".join((method.upper(), uri, query, headers, signed_headers, payload_hash))


def string_to_sign(amz_date: str, scope: str, request: str) -> str:
    return "\n".join((ALGORITHM, amz_date, scope, sha256_hex(request.encode("utf-8"))))


def payload_hash(declared: Sequence[str] | None, body: bytes) -> str:
    """The payload line: the X-Amz-Content-Sha256 the client declared, else the body's hash."""
    actual = sha256_hex(body)
    if not declared:
        return actual
    value = declared[0].strip()
    # The header is signed, but the body is only covered if its declared hash is checked.
    if value != UNSIGNED_PAYLOAD and value.lower() != actual:
        raise InvalidSignatureException(
            f"The x-amz-content-sha256 header '{value}' does not match the SHA-256 of the "
            f"request body ({actual}); send the body's hex SHA-256 or {UNSIGNED_PAYLOAD}"
        )
    return value


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signature(secret: str, scope: Sequence[str], to_sign: str) -> str:
    """Hex HMAC of ``to_sign`` under the key derived from the secret and the scope.

    ``scope`` is (date, region, service, terminator): deriving through each part is what
    makes a signature for one region or service useless for another.
    """
    key = ("AWS4" + secret).encode("utf-8")
    for part in scope:
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
