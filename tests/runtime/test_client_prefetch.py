"""The Glue client made while the engine starts is handed out once, for the same environment."""

from __future__ import annotations

import pytest

from awsglue import client_prefetch
from awsglue.catalog import glue_client


@pytest.fixture(autouse=True)
def _endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4599")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    client_prefetch.take()  # nothing left over from an engine started by another test


def test_the_prefetched_client_is_taken_once() -> None:
    client_prefetch.prefetch()
    first = glue_client()
    assert first.meta.endpoint_url == "http://127.0.0.1:4599"
    assert first.meta.region_name == "eu-west-1"
    assert client_prefetch.take() is None  # used up: the next caller makes its own
    assert glue_client() is not first


def test_a_changed_environment_discards_the_prefetched_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client_prefetch.prefetch()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    assert client_prefetch.take() is None
    assert glue_client().meta.endpoint_url == "http://127.0.0.1:5000"
