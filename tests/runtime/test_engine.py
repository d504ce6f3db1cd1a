"""Choosing the engine, and Glue's SparkContext() on Spark Connect."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from awsglue.engine import EngineError, resolve_engine, spark_confs_from_args


def test_classic_spark_is_the_default_with_glue_settings() -> None:
    spec = resolve_engine({}, ["job.py", "--JOB_NAME", "orders"])
    assert (spec.kind, spec.master, spec.app_name) == ("spark", "local[*]", "orders")
    assert spec.confs["spark.sql.parquet.compression.codec"] == "snappy"
    assert spec.confs["spark.sql.session.timeZone"] == "UTC"
    assert spec.confs["spark.ui.enabled"] == "false"


def test_master_comes_from_the_job_arguments_then_the_environment() -> None:
    env = {"OPENGLUE_SPARK_MASTER": "spark://head:7077"}
    assert resolve_engine(env, []).master == "spark://head:7077"
    assert "spark.ui.enabled" not in resolve_engine(env, []).confs  # not a local master
    args = ["job.py", "--conf", "spark.master=local[3] --conf spark.sql.shuffle.partitions=4"]
    spec = resolve_engine(env, args)
    assert spec.master == "local[3]"
    assert spec.confs["spark.sql.shuffle.partitions"] == "4"
    assert "spark.master" not in spec.confs


def test_connect_engines() -> None:
    sail = resolve_engine({"OPENGLUE_ENGINE": "sail"}, ["--conf=spark.sql.ansi.enabled=true"])
    assert sail.kind == "sail" and sail.is_connect
    assert sail.confs["spark.sql.ansi.enabled"] == "true"
    remote = resolve_engine({"OPENGLUE_ENGINE": "sc://cluster:15002"}, [])
    assert (remote.kind, remote.url) == ("remote", "sc://cluster:15002")


def test_an_unknown_engine_is_refused_with_the_choices() -> None:
    with pytest.raises(EngineError, match=r"'spark'.*'sail'.*sc://"):
        resolve_engine({"OPENGLUE_ENGINE": "flink"}, [])


def test_conf_arguments_in_every_spelling() -> None:
    args = ["s.py", "--conf", "a=1", "--other", "x", "--conf=b=2=3", "--conf", "c=4 --conf d=5"]
    assert spark_confs_from_args(args) == {"a": "1", "b": "2=3", "c": "4", "d": "5"}


SHIM_SCRIPT = textwrap.dedent(
    """
    from pyspark.context import SparkContext   # imported before awsglue, as scripts may
    from awsglue.context import GlueContext
    from awsglue.spark_context import ConnectSparkContext, RddUnavailableError

    sc = SparkContext()
    assert isinstance(sc, ConnectSparkContext), type(sc)
    assert SparkContext.getOrCreate().sparkSession is sc.sparkSession
    sc.setLogLevel("WARN")
    glue = GlueContext(sc)
    assert glue.spark_session is sc.sparkSession
    assert glue.spark_session.range(3).count() == 3
    from pyspark.sql import SparkSession
    assert SparkSession.builder.getOrCreate() is glue.spark_session
    assert sc.broadcast({"a": 1}).value == {"a": 1}
    try:
        sc.parallelize([1, 2])
    except RddUnavailableError as error:
        print("refused:", error)
    """
)


@pytest.mark.slow
def test_spark_context_on_sail_is_the_connect_stand_in() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPARK_", "PYSPARK_SUBMIT"))}
    env["OPENGLUE_ENGINE"] = "sail"
    result = subprocess.run(
        [sys.executable, "-c", SHIM_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "refused: SparkContext.parallelize needs Spark's RDD API" in result.stdout
    assert "OPENGLUE_ENGINE=spark" in result.stdout
