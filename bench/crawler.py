"""Crawler inference benchmark: ``plan_target`` over many small files, first and incremental.

Generates 10,000 small files (5,000 CSV orders and 5,000 JSON-lines events, each dataset in 100
Hive partitions ``dt=…``) and 500 Parquet files (5 partitions), then times the inference a
crawl runs: a first crawl of everything, and an incremental crawl (CRAWL_NEW_FOLDERS_ONLY) that
finds no new folder. The baseline is listing the same tree (``os.walk`` + ``stat``): the cost
of learning which files exist at all, which every crawl pays. Peak traced memory is measured on
a second run at a tenth and at the full file count: it should grow like the listing, not like
the data. A second section (``bench.crawler_server``) times the same first crawl as a user sees
it: StartCrawler → READY with LastCrawl SUCCEEDED on a real server process.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from bench.crawler_server import print_server_rows, server_crawls
from openglue.crawler.infer import plan_target
from openglue.crawler.plan import CrawlOptions, TargetPlan
from openglue.storage.local_objects import LocalObjectSource

PARTITIONS = 100


def generate(root: Path, files: int, parquet_files: int) -> None:
    """``root/small``: CSV and JSON datasets, ``files`` in all; ``root/metrics_parquet``."""
    per_partition = max(1, files // 2 // PARTITIONS)
    for day in range(PARTITIONS):
        csv_dir = root / "small" / "orders_csv" / f"dt=2024-01-{day:03d}"
        json_dir = root / "small" / "events_json" / f"dt=2024-01-{day:03d}"
        csv_dir.mkdir(parents=True)
        json_dir.mkdir(parents=True)
        for index in range(per_partition):
            rows = "".join(
                f"{index * 20 + r},customer_{r},{r * 1.25:.2f},{'true' if r % 2 else 'false'}\n"
                for r in range(20)
            )
            (csv_dir / f"part-{index:05d}.csv").write_text("order_id,customer,amount,paid\n" + rows)
            events = "".join(
                json.dumps({"id": r, "kind": "click", "user": {"id": r, "tags": ["a"]}}) + "\n"
                for r in range(20)
            )
            (json_dir / f"part-{index:05d}.json").write_text(events)
    table = pa.table({"id": list(range(200)), "name": ["x"] * 200, "v": [1.5] * 200})
    per_folder = max(1, parquet_files // 5)
    for folder in range(5):
        target = root / "metrics_parquet" / f"region={folder}"
        target.mkdir(parents=True)
        for index in range(per_folder):
            pq.write_table(table, target / f"part-{index:05d}.parquet")


def _timed(call: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """(best, worst) seconds over ``repeat`` runs, and the last result."""
    samples, result = [], None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - started)
    return (min(samples), max(samples)), result


def _listing(root: Path) -> int:
    return sum(1 for _ in LocalObjectSource(root).list())


def _plan(root: Path, only: frozenset[str] | None = None) -> TargetPlan:
    source = LocalObjectSource(root, "s3://bench/" + root.name + "/")
    return plan_target(source, CrawlOptions(only_folders=only))


def _peak_memory(root: Path) -> int:
    gc.collect()
    tracemalloc.start()
    _plan(root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000, help="small CSV + JSON files")
    parser.add_argument("--parquet", type=int, default=500, help="Parquet files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument(
        "--no-server", action="store_true", help="skip the crawls through a real server"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "full", args.files, args.parquet)
        generate(root / "tenth", args.files // 10, args.parquet // 10)
        for name, count in (("small", args.files), ("metrics_parquet", args.parquet)):
            target = root / "full" / name
            listing_s, _ = _timed(lambda t=target: _listing(t), args.repeat)
            first_s, plan = _timed(lambda t=target: _plan(t), args.repeat)
            incremental_s, _ = _timed(lambda t=target: _plan(t, frozenset()), args.repeat)
            rows.append((name, count, listing_s, first_s, incremental_s, plan))
        memory = [
            (_peak_memory(root / scale / "small"), args.files // (1 if scale == "full" else 10))
            for scale in ("tenth", "full")
        ]
        server_rows = []
        if not args.no_server:
            tiny = root / "tiny"
            tiny.mkdir()
            (tiny / "one.csv").write_text("id,amount\n1,2.5\n2,3.5\n")
            server_rows = server_crawls(
                root / "full" / "small", args.files, tiny, args.repeat, root / "server"
            )
    print(f"\nCrawler inference: plan_target, {args.repeat} runs each, one process\n")
    header = (
        "target",
        "files",
        "listing only (s)",
        "first crawl best / worst (s)",
        "per file, best (ms)",
        "incremental, nothing new, best / worst (s)",
        "tables (partitions)",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, count, listing_s, first_s, incremental_s, plan in rows:
        tables = ", ".join(f"{t.name} ({len(t.partitions)})" for t in plan.tables)
        print(
            f"| {name} | {count:,} | {listing_s[0]:.2f} | {first_s[0]:.2f} / {first_s[1]:.2f}"
            f" | {first_s[0] / count * 1000:.3f}"
            f" | {incremental_s[0]:.2f} / {incremental_s[1]:.2f} | {tables} |"
        )
    (small_peak, small_n), (full_peak, full_n) = memory
    print(
        f"\nPeak traced memory of a first crawl: {small_peak / 1e6:.1f} MB at {small_n:,} files,"
        f" {full_peak / 1e6:.1f} MB at {full_n:,} files"
        f" ({(full_peak - small_peak) / (full_n - small_n):,.0f} bytes per extra file)"
    )
    if server_rows:
        print_server_rows(server_rows, args.repeat)
    print("\nTargets: first crawl of the 10,000 small files ≤ 5 s; incremental ≤ 2 s.")


if __name__ == "__main__":
    main()
