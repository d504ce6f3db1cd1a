"""Job's lifecycle and its bookmark state, without Spark (Job only keeps its context)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

from awsglue import bookmarks
from awsglue.bookmarks import DisabledBookmarks, InMemoryBookmarks, JobStates
from awsglue.job import Job
from awsglue.utils import getResolvedOptions


class FakeSparkSession:
    """Stands in for whatever context a script passes: Job must only keep it."""


@pytest.fixture(autouse=True)
def no_active_job() -> Iterator[None]:
    bookmarks.activate(DisabledBookmarks())
    yield
    bookmarks.activate(DisabledBookmarks())


def job_name() -> str:
    return "job_" + uuid.uuid4().hex[:8]


def test_flag_lists_are_glues() -> None:
    assert Job.job_bookmark_options() == [
        "--job-bookmark-option",
        "job-bookmark-enable",
        "job-bookmark-pause",
        "job-bookmark-disable",
    ]
    assert Job.continuation_options() == [
        "--continuation-option",
        "continuation-enabled",
        "continuation-readonly",
        "continuation-ignore",
    ]
    assert Job.job_bookmark_range_options() == ["--job-bookmark-from", "--job-bookmark-to"]
    assert Job.id_params() == ["--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID", "--SECURITY_CONFIGURATION"]
    assert Job.encryption_type_options() == ["--encryption-type", "sse-s3"]
    assert Job.data_lineage_options() == ["--enable-data-lineage"]


def test_the_usual_script_lifecycle_with_bookmarks_disabled() -> None:
    args = getResolvedOptions(["s.py", "--JOB_NAME", "orders"], ["JOB_NAME"])
    job = Job(FakeSparkSession())
    assert not job.isInitialized()

    job.init(args["JOB_NAME"], args)

    assert job.isInitialized()
    assert not job.bookmarks.tracking
    assert bookmarks.active() is job.bookmarks
    job.commit()


def test_init_defaults_args_and_rejects_a_missing_name() -> None:
    job = Job(object())
    job.init("orders")
    assert job.bookmarks.option == bookmarks.DISABLE

    with pytest.raises(ValueError, match="job name"):
        Job(object()).init("", {})


def test_commit_before_init_warns_and_saves_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="awsglue.job"):
        Job(object()).commit()

    assert "before Job.init()" in caplog.text


def test_enabled_bookmarks_are_saved_by_commit_and_seen_by_the_next_run() -> None:
    name = job_name()
    args = {"job_bookmark_option": bookmarks.ENABLE}

    first = Job(object())
    first.init(name, args)
    assert bookmarks.active().get("orders_src") is None
    bookmarks.active().update("orders_src", {"HIGH_BAND": "900000", "RUN": "1"})
    first.commit()

    second = Job(object())
    second.init(name, args)
    assert second.bookmarks.get("orders_src") == {"HIGH_BAND": "900000", "RUN": "1"}


def test_a_run_that_fails_before_commit_leaves_the_state_alone() -> None:
    name = job_name()
    args = {"job_bookmark_option": bookmarks.ENABLE}
    ok = Job(object())
    ok.init(name, args)
    ok.bookmarks.update("src", {"RUN": "1"})
    ok.commit()

    failed = Job(object())
    failed.init(name, args)
    failed.bookmarks.update("src", {"RUN": "2"})
    # ... the script raises here: commit() is never reached.

    retry = Job(object())
    retry.init(name, args)
    assert retry.bookmarks.get("src") == {"RUN": "1"}


def test_pause_reads_state_but_never_writes_it() -> None:
    store: JobStates = {}
    enabled = InMemoryBookmarks("j", bookmarks.ENABLE, store)
    enabled.update("src", {"RUN": "1"})
    enabled.commit()

    paused = InMemoryBookmarks("j", bookmarks.PAUSE, store)
    assert paused.tracking
    assert paused.get("src") == {"RUN": "1"}
    paused.update("src", {"RUN": "2"})
    paused.commit()

    assert store == {"j": {"src": {"RUN": "1"}}}


def test_get_never_shows_staged_state_and_commit_is_atomic_per_version() -> None:
    store: JobStates = {"j": {"a": {"RUN": "1"}}}
    state = InMemoryBookmarks("j", bookmarks.ENABLE, store)
    state.update("a", {"RUN": "2"})
    state.update("b", {"RUN": "2"})

    assert state.get("a") == {"RUN": "1"} and state.get("b") is None
    before = store["j"]
    state.commit()
    assert before == {"a": {"RUN": "1"}}  # the old version object was replaced, not edited
    assert store["j"] == {"a": {"RUN": "2"}, "b": {"RUN": "2"}}
    state.commit()  # nothing staged: nothing changes
    assert store["j"] == {"a": {"RUN": "2"}, "b": {"RUN": "2"}}


def test_disabled_bookmarks_remember_nothing() -> None:
    state = DisabledBookmarks("j")
    state.update("src", {"RUN": "1"})
    state.commit()

    assert state.get("src") is None
    assert not state.tracking


def test_unknown_bookmark_option_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown job bookmark option"):
        Job(object()).init("j", {"job_bookmark_option": "on"})


def test_enabled_bookmarks_say_state_is_not_yet_persisted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="awsglue.bookmarks"):
        Job(object()).init(job_name(), {"job_bookmark_option": bookmarks.ENABLE})

    assert "kept in this process only" in caplog.text


@pytest.mark.parametrize("option", [bookmarks.ENABLE, bookmarks.PAUSE])
def test_read_without_transformation_ctx_warns_when_bookmarks_track(
    option: str, caplog: pytest.LogCaptureFixture
) -> None:
    Job(object()).init(job_name(), {"job_bookmark_option": option})

    with caplog.at_level(logging.WARNING, logger="awsglue.bookmarks"):
        warned = bookmarks.warn_missing_ctx("s3 csv source s3://bucket/orders/")

    assert warned
    assert "s3://bucket/orders/" in caplog.text
    assert "no transformation_ctx" in caplog.text


def test_no_warning_with_a_ctx_or_with_bookmarks_off(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="awsglue.bookmarks"):
        assert not bookmarks.warn_missing_ctx("catalog table db.orders")  # no job initialised
        Job(object()).init(job_name(), {"job_bookmark_option": bookmarks.ENABLE})
        caplog.clear()
        assert not bookmarks.warn_missing_ctx("catalog table db.orders", "orders_src")

    assert caplog.text == ""
