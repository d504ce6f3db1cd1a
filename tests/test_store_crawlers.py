"""Contract suite for the crawler and classifier stores: runs against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from openglue.errors import (
    AlreadyExistsException,
    CrawlerNotRunningException,
    CrawlerRunningException,
    CrawlerStoppingException,
    EntityNotFoundException,
    VersionMismatchException,
)
from openglue.store.classifiers import ClassifierRecord, SqlClassifierStore
from openglue.store.crawlers import CrawlerRecord, CrawlRecord, SqlCrawlerStore
from openglue.store.sql import SqlStore


def _crawler(name: str, version: int = 1, **spec: object) -> CrawlerRecord:
    return CrawlerRecord(
        name, {"Role": "r", **spec}, None, "NOT_SCHEDULED", "READY", version, 1.0, 2.0
    )


def test_crawler_definitions(sql_store: SqlStore) -> None:
    store = SqlCrawlerStore(sql_store)
    for name in ("b", "a", "B"):
        store.create(_crawler(name))
    with pytest.raises(AlreadyExistsException):
        store.create(_crawler("a"))
    assert store.get("a") == _crawler("a")
    assert store.get("A") is None
    assert [r.name for r in store.list(None, 2)] == ["B", "a"]
    assert [r.name for r in store.list("a", 5)] == ["b"]
    assert sorted(store.get_many(["a", "zz", "b"])) == ["a", "b"]

    changed = CrawlerRecord(
        "a", {"Role": "x"}, "cron(0 1 * * ? *)", "SCHEDULED", "READY", 2, 1.0, 3.0
    )
    store.replace(changed, expected_version=1)
    assert store.get("a") == changed
    with pytest.raises(VersionMismatchException):
        store.replace(changed, expected_version=1)
    with pytest.raises(EntityNotFoundException):
        store.replace(_crawler("missing", 2), expected_version=1)
    assert store.delete("a") is True
    assert store.delete("a") is False


def test_crawl_lifecycle_and_history(sql_store: SqlStore) -> None:
    store = SqlCrawlerStore(sql_store)
    store.create(_crawler("c"))
    with pytest.raises(CrawlerNotRunningException):
        store.request_stop("c")
    first = CrawlRecord("id-1", "c", "RUNNING", 10.0)
    store.begin_crawl("c", first, "me")
    running = store.get("c")
    assert running is not None
    assert (running.state, running.current_crawl, running.crawl_owner) == ("RUNNING", "id-1", "me")
    assert [r.name for r in store.active()] == ["c"]
    with pytest.raises(CrawlerRunningException):
        store.begin_crawl("c", CrawlRecord("id-x", "c", "RUNNING", 11.0), "me")
    with pytest.raises(CrawlerRunningException):
        store.delete("c")
    with pytest.raises(CrawlerRunningException):
        store.replace(_crawler("c", 2), expected_version=1)
    store.request_stop("c")
    with pytest.raises(CrawlerStoppingException):
        store.request_stop("c")
    with pytest.raises(CrawlerStoppingException):
        store.begin_crawl("c", CrawlRecord("id-y", "c", "RUNNING", 11.0), "me")

    done = CrawlRecord("id-1", "c", "STOPPED", 10.0, 12.5, '{"x":1}', None, {"tables": []})
    assert store.finish_crawl(done, {"Status": "CANCELLED", "StartTime": 10.0}) is True
    assert store.finish_crawl(done, {"Status": "CANCELLED"}) is False  # no longer current
    ready = store.get("c")
    assert ready is not None and ready.state == "READY" and ready.current_crawl is None
    assert ready.last_crawl == {"Status": "CANCELLED", "StartTime": 10.0}
    assert store.active() == []

    store.begin_crawl("c", CrawlRecord("id-2", "c", "RUNNING", 20.0), "me")
    history = store.crawls("c", None, 10)
    assert [(h.crawl_id, h.state) for h in history] == [("id-2", "RUNNING"), ("id-1", "STOPPED")]
    assert history[1] == done and history[1].report == {"tables": []}
    assert [h.crawl_id for h in store.crawls("c", history[0].seq, 10)] == ["id-1"]
    assert store.crawls("other", None, 10) == []


def test_classifiers(sql_store: SqlStore) -> None:
    store = SqlClassifierStore(sql_store)
    grok = ClassifierRecord("g", "grok", {"GrokPattern": "%{WORD:w}"}, 1.0, 1.0, 1)
    store.create(grok)
    store.create(ClassifierRecord("C", "csv", {"Delimiter": "|"}, 1.0, 1.0, 1))
    with pytest.raises(AlreadyExistsException):
        store.create(ClassifierRecord("g", "json", {"JsonPath": "$"}, 1.0, 1.0, 1))
    assert store.get("g") == grok
    assert [r.name for r in store.list(None, 10)] == ["C", "g"]
    assert list(store.get_many(["g", "nope"])) == ["g"]
    newer = ClassifierRecord("g", "grok", {"GrokPattern": "%{INT:i}"}, 1.0, 2.0, 2)
    store.replace(newer, expected_version=1)
    assert store.get("g") == newer
    with pytest.raises(VersionMismatchException):
        store.replace(newer, expected_version=1)
    with pytest.raises(EntityNotFoundException):
        store.replace(ClassifierRecord("x", "xml", {}, 1.0, 1.0, 2), expected_version=1)
    assert store.delete("g") is True and store.delete("g") is False
