"""GlueContext odds and ends: construction, logger, clock, SQL."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from awsglue.context import GlueContext


def test_a_classic_spark_context_gives_the_process_session(spark_glue_context: Any) -> None:
    session = spark_glue_context.spark_session
    context = GlueContext(session.sparkContext)
    assert context.spark_session.sparkContext is session.sparkContext
    assert context.sql("select 1 as one").collect()[0]["one"] == 1
    assert context.spark_session.conf.get("spark.sql.parquet.compression.codec") == "snappy"


def test_logger_clock_and_argument_checks(
    glue_context: Any, caplog: pytest.LogCaptureFixture
) -> None:
    logger = glue_context.get_logger()
    with caplog.at_level(logging.INFO, logger="awsglue.script"):
        logger.info("starting")
        logger.warn("careful")
        logger.error("broken")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "starting"),
        ("WARNING", "careful"),
        ("ERROR", "broken"),
    ]
    assert abs(glue_context.currentTimeMillis() - time.time() * 1000) < 5000
    with pytest.raises(ValueError, match="not both"):
        glue_context.create_dynamic_frame.from_catalog(database="a", name_space="b", table_name="t")
    with pytest.raises(ValueError, match="table_name"):
        glue_context.create_dynamic_frame.from_catalog(database="a")


def test_from_rdd_takes_local_records(glue_context: Any) -> None:
    frame = glue_context.create_dynamic_frame.from_rdd([{"a": 1, "b": "x"}], "local")
    assert frame.name == "local" and sorted(frame.toDF().columns) == ["a", "b"]
    assert frame.count() == 1
