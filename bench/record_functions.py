"""Record-function benchmark: Glue's seed filter as SQL, as Python over Arrow, and natively.

``lambda x: x["status"] == "completed"`` over generated orders (60 % completed) in Parquet,
three ways on the same engine and data:

- ``native``: ``df.filter(col("status") == "completed")``, the baseline;
- ``translated``: ``filter_dataframe(df, f)``, which turns the lambda into that SQL condition;
- ``python (arrow)``: ``filter_dataframe(df, f, translate=False)``, the lambda called per
  record over Arrow batches (``mapInArrow``), the fallback for functions that do not translate
  (only the ``status`` column is turned into Python values: the lambda reads nothing else);
- ``python (arrow, whole record)``: the same through ``lambda x: is_completed(x)``, which
  hands the record on, so every column is converted.

Each is timed twice: ``count()`` after the filter, and writing the result as Parquet. Each
engine runs in its own process (PySpark holds one engine mode per process). Times are the
median of ``--repeat`` rounds after a warm-up round; each round runs every variant in turn.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = lambda x: x["status"] == "completed"  # noqa: E731 — as the seed script writes it


def is_completed(record: Any) -> bool:
    return bool(record["status"] == "completed")


OPAQUE = lambda x: is_completed(x)  # noqa: E731 — the record escapes: every field is converted
VARIANTS = ("native", "translated", "python (arrow)", "python (arrow, whole record)")


_SERVERS: list[Any] = []


def _session(engine: str) -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    confs = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "false"}
    if engine == "classic":
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master("local[2]").appName("bench-record-functions")
        confs |= {"spark.ui.enabled": "false", "spark.driver.memory": "2g"}
        for key, value in confs.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()
    os.environ.setdefault("RUST_LOG", "warn")
    from pysail.spark import SparkConnectServer
    from pyspark.sql import SparkSession

    server = SparkConnectServer("127.0.0.1", 0)
    server.start(background=True)
    _SERVERS.append(server)  # the server stops when its object is collected
    assert server.listening_address is not None
    host, port = server.listening_address
    session = SparkSession.builder.remote(f"sc://{host}:{port}").getOrCreate()
    for key, value in confs.items():
        session.conf.set(key, value)
    return session


def _generate(spark: Any, rows: int, path: Path) -> None:
    from pyspark.sql import functions as F

    bucket = F.pmod(F.hash(F.col("id")), F.lit(100))
    status = (
        F.when(bucket < 60, "completed")
        .when(bucket < 80, "pending")
        .when(bucket < 95, "shipped")
        .otherwise("cancelled")
    )
    orders = spark.range(rows, numPartitions=8).select(
        F.col("id").alias("order_id"),
        (F.col("id") % 50_000).alias("customer_id"),
        status.alias("status"),
        (F.pmod(F.hash(F.col("id"), F.lit(7)), F.lit(100_000)) / 100.0).alias("amount"),
        F.concat(F.lit("sku-"), (F.col("id") % 977).cast("string")).alias("sku"),
    )
    orders.write.mode("overwrite").parquet(str(path))


def run_engine(engine: str, rows: int, repeat: int) -> dict[str, Any]:
    from pyspark.sql import functions as F

    from awsglue.record_functions import explain_translation, filter_dataframe

    spark = _session(engine)
    work = Path(tempfile.mkdtemp(prefix=f"openglue-bench-rf-{engine}-", dir="/tmp"))
    try:
        _generate(spark, rows, work / "orders")
        orders = spark.read.parquet(str(work / "orders"))
        variants: dict[str, Callable[[], Any]] = {
            "native": lambda: orders.filter(F.col("status") == "completed"),
            "translated": lambda: filter_dataframe(orders, SEED),
            "python (arrow)": lambda: filter_dataframe(orders, SEED, translate=False),
            "python (arrow, whole record)": lambda: filter_dataframe(orders, OPAQUE),
        }
        results: dict[str, Any] = {
            "engine": engine,
            "rows": rows,
            "condition": explain_translation(SEED, orders.schema),
        }
        actions: dict[tuple[str, str], Callable[[], Any]] = {}
        for index, (name, frame) in enumerate(variants.items()):
            out = str(work / f"out-{index}")
            actions[name, "count_s"] = lambda frame=frame: frame().count()
            actions[name, "write_s"] = lambda frame=frame, out=out: (
                frame().write.mode("overwrite").parquet(out)
            )
        # Round-robin rounds, the first a warm-up (Python workers, caches): drift on a busy
        # machine hits every variant alike.
        times: dict[tuple[str, str], list[float]] = {key: [] for key in actions}
        for round_number in range(repeat + 1):
            for key, action in actions.items():
                start = time.perf_counter()
                outcome = action()
                if round_number:
                    times[key].append(time.perf_counter() - start)
                if key[1] == "count_s":
                    results.setdefault(key[0], {})["kept"] = outcome
        for (name, measure), values in times.items():
            results[name][measure] = statistics.median(values)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| engine | variant | count (s) | × native | write parquet (s) | × native | rows kept |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        base = result["native"]
        for name in VARIANTS:
            row = result[name]
            lines.append(
                f"| {result['engine']} | {name} | {row['count_s']:.2f} |"
                f" {row['count_s'] / base['count_s']:.2f} | {row['write_s']:.2f} |"
                f" {row['write_s'] / base['write_s']:.2f} | {row['kept']:,} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="classic", help="comma-separated: classic,sail")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # one engine, in this process
    args = parser.parse_args(argv)
    if args.only:
        print(json.dumps(run_engine(args.only, args.rows, args.repeat)))
        return
    results = []
    for engine in args.engines.split(","):
        command = [sys.executable, "-m", "bench.record_functions", "--only", engine]
        command += ["--rows", str(args.rows), "--repeat", str(args.repeat)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{engine} failed:\n{done.stderr[-4000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for result in results:
        kept = {result[name]["kept"] for name in VARIANTS}
        assert len(kept) == 1, f"the variants disagree on {result['engine']}: {kept}"
        print(f"{result['engine']}: {result['rows']:,} rows; translated to {result['condition']}")
    print(_table(results))


if __name__ == "__main__":
    main()
