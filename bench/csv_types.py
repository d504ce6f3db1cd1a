"""Typed CSV reads: what typing the columns of a DynamicFrame CSV read costs.

    .venv/bin/python -m bench.csv_types [--size 100MB] [--repeat 3] [--engines spark,sail]

The generated orders CSV (``bench/orders_data.py``) read → ``status == 'completed'`` → Parquet,
two ways on the same engine and files: ``create_data_frame.from_options`` (Spark's reader,
every column a string: the baseline) and ``create_dynamic_frame.from_options`` (columns typed
from their values by ``awsglue.csv_choices``); then the census (the one aggregation that finds
each column's kinds) alone. Each engine runs in its own process; times are the median of
``--repeat`` rounds after a warm-up round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.orders_data import cached, default_root, parse_size


def run_engine(engine: str, size_mb: float, repeat: int) -> dict[str, Any]:
    from pyspark.sql import functions as F

    from awsglue.context import GlueContext
    from awsglue.csv_choices import with_csv_types
    from awsglue.engine import resolve_engine, start_session

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = start_session(resolve_engine({"OPENGLUE_ENGINE": engine}, []))
    glue = GlueContext(session)
    source = {"paths": [str(path) for path in cached(default_root(), size_mb).files]}
    options = {"withHeader": True}

    def job(typed: bool) -> float:
        out = tempfile.mkdtemp(prefix="openglue-bench-csv-")
        started = time.perf_counter()
        if typed:
            frame = glue.create_dynamic_frame.from_options("s3", source, "csv", options).toDF()
        else:
            frame = glue.create_data_frame.from_options("s3", source, "csv", options)
        frame.filter(F.col("status") == "completed").write.mode("overwrite").parquet(out)
        took = time.perf_counter() - started
        shutil.rmtree(out)
        return took

    def census() -> float:
        frame = glue.create_data_frame.from_options("s3", source, "csv", options)
        started = time.perf_counter()
        with_csv_types(frame)
        return time.perf_counter() - started

    job(False), job(True)  # warm-up: caches, the engine's first plans
    rounds = [(job(False), job(True), census()) for _ in range(repeat)]
    typed = glue.create_dynamic_frame.from_options("s3", source, "csv", options)
    schema = typed.toDF().schema.simpleString()
    session.stop()
    return {
        "engine": engine,
        "strings_s": statistics.median(r[0] for r in rounds),
        "typed_s": statistics.median(r[1] for r in rounds),
        "census_s": statistics.median(r[2] for r in rounds),
        "schema": schema,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100MB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="spark,sail", help="comma-separated: spark,sail")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # one engine, in this process
    args = parser.parse_args(argv)
    if args.only:
        print(json.dumps(run_engine(args.only, parse_size(args.size), args.repeat)))
        return
    print(
        "| engine | DataFrame read, strings (s) | DynamicFrame read, typed (s) | × | census (s) |"
    )
    print("|---|---|---|---|---|")
    schemas = []
    for engine in args.engines.split(","):
        command = [sys.executable, "-m", "bench.csv_types", "--only", engine]
        command += ["--size", args.size, "--repeat", str(args.repeat)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{engine} failed:\n{done.stderr[-4000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        ratio = result["typed_s"] / result["strings_s"]
        print(
            f"| {engine} | {result['strings_s']:.2f} | {result['typed_s']:.2f} | {ratio:.2f} |"
            f" {result['census_s']:.2f} |"
        )
        schemas.append(f"{engine}: {result['schema']}")
    print("\n".join(schemas))


if __name__ == "__main__":
    main()
