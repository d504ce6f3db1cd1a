"""SigV4 authentication with real signed requests from boto3 against a real server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import botocore.auth
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.server import RunningServer, start_server


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        tmp_path_factory.mktemp("secured"), "--access-keys", "AKIDOPENGLUE:s3cr3t,AKIDOTHER:x2"
    )
    yield running
    running.stop()


def _client(server: RunningServer, key: str, secret: str, **config: Any) -> Any:
    return server.client(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, **config),
    )


def _error(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as exc:
        call()
    return exc.value.response["Error"]["Code"], exc.value.response["ResponseMetadata"][
        "HTTPStatusCode"
    ]


def test_valid_signature_is_accepted(secured: RunningServer) -> None:
    glue = _client(secured, "AKIDOPENGLUE", "s3cr3t")
    glue.create_database(DatabaseInput={"Name": "signed_db"})
    assert "signed_db" in [d["Name"] for d in glue.get_databases()["DatabaseList"]]
    other = _client(secured, "AKIDOTHER", "x2")
    assert other.get_database(Name="signed_db")["Database"]["Name"] == "signed_db"


def test_wrong_secret_is_rejected(secured: RunningServer) -> None:
    glue = _client(secured, "AKIDOPENGLUE", "not-the-secret")
    assert _error(glue.get_databases) == ("InvalidSignatureException", 403)


def test_unknown_key_is_rejected(secured: RunningServer) -> None:
    glue = _client(secured, "AKIDUNKNOWN", "s3cr3t")
    assert _error(glue.get_databases) == ("UnrecognizedClientException", 403)


def test_unsigned_request_is_rejected(secured: RunningServer) -> None:
    glue = secured.client(config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    assert _error(glue.get_databases) == ("MissingAuthenticationTokenException", 403)


@pytest.mark.parametrize("skew_minutes", [-16, 16])
def test_skewed_clock_is_rejected(
    secured: RunningServer, monkeypatch: pytest.MonkeyPatch, skew_minutes: int
) -> None:
    skewed = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=skew_minutes)
    # botocore's signer reads the clock through this function: the client's clock, not ours.
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: skewed)
    glue = _client(secured, "AKIDOPENGLUE", "s3cr3t")
    with pytest.raises(ClientError) as exc:
        glue.get_databases()
    assert exc.value.response["Error"]["Code"] == "InvalidSignatureException"
    message = exc.value.response["Error"]["Message"]
    assert ("expired" in message) if skew_minutes < 0 else ("not yet current" in message)


def test_small_skew_is_accepted(secured: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    skewed = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=14)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: skewed)
    glue = _client(secured, "AKIDOPENGLUE", "s3cr3t")
    assert "DatabaseList" in glue.get_databases()


def test_any_credentials_in_development_mode(server: RunningServer) -> None:
    glue = _client(server, "whatever", "anything")
    assert "DatabaseList" in glue.get_databases()
