"""Catalog benchmark: 100,000 partitions on one table, then point reads and filtered listings.

Runs a real ``openglue server`` per backend and talks to it through boto3, as users do.
GetTable is the baseline: a GetPartitions call whose expression selects ≤ 100 of 100k
partitions should cost about the same, which is only true if the filter uses an index.
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.support.postgres import PostgresServer, start_postgres
from tests.support.server import RunningServer, start_server

DAYS = 1000  # dt values; x SHARDS = partitions
SHARDS = 100
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"


def _partition_values(count: int) -> list[list[str]]:
    values = []
    for index in range(count):
        day, shard = divmod(index, SHARDS)
        year, rest = divmod(day, 360)
        month, dom = divmod(rest, 30)
        values.append([f"{2020 + year}-{month + 1:02d}-{dom + 1:02d}", str(shard)])
    return values


def _table_input(name: str) -> dict[str, Any]:
    return {
        "Name": name,
        "StorageDescriptor": {
            "Columns": [
                {"Name": "order_id", "Type": "bigint"},
                {"Name": "status", "Type": "string"},
            ],
            "Location": "s3://bench-bucket/orders/",
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE},
        },
        "PartitionKeys": [{"Name": "dt", "Type": "date"}, {"Name": "shard", "Type": "int"}],
        "TableType": "EXTERNAL_TABLE",
    }


def _partition_input(values: list[str]) -> dict[str, Any]:
    return {
        "Values": values,
        "StorageDescriptor": {
            "Location": f"s3://bench-bucket/orders/dt={values[0]}/shard={values[1]}/",
            "Columns": [
                {"Name": "order_id", "Type": "bigint"},
                {"Name": "status", "Type": "string"},
            ],
        },
    }


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _raw_caller(url: str) -> Callable[[str, dict[str, Any]], bytes]:
    """POST straight to the endpoint over one kept-alive connection: the server's own time,
    without botocore's response parsing (which grows with the number of partitions)."""
    host, port = url.split("//", 1)[1].split(":")
    state = {"conn": http.client.HTTPConnection(host, int(port))}

    def call(operation: str, body: dict[str, Any]) -> bytes:
        headers = {
            "X-Amz-Target": f"AWSGlue.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        }
        for attempt in (1, 2):
            try:
                state["conn"].request("POST", "/", json.dumps(body), headers)
                answer = state["conn"].getresponse()
                break
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                # The server closes idle keep-alive connections (after 5 s): reconnect once.
                state["conn"].close()
                state["conn"] = http.client.HTTPConnection(host, int(port))
                if attempt == 2:
                    raise
        payload = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{operation} failed: {payload[:200]!r}")
        return payload

    return call


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_backend(server: RunningServer, count: int, workers: int, repeat: int) -> dict[str, float]:
    glue = server.client()
    glue.create_database(DatabaseInput={"Name": "bench"})
    glue.create_table(DatabaseName="bench", TableInput=_table_input("orders"))
    batches = [
        [_partition_input(v) for v in chunk]
        for chunk in (lambda vs: [vs[i : i + 100] for i in range(0, len(vs), 100)])(
            _partition_values(count)
        )
    ]

    def create(batch: list[dict[str, Any]]) -> int:
        client = server.client()
        answer = client.batch_create_partition(
            DatabaseName="bench", TableName="orders", PartitionInputList=batch
        )
        return len(answer.get("Errors", []))

    # Created in two steps so one filtered read can be timed at a tenth of the partitions and
    # again at all of them: flat latency is the proof that the filter does not scan.
    raw = _raw_caller(server.url)
    early_day = _partition_values(count)[count // 20][0]
    early_body = {
        "DatabaseName": "bench",
        "TableName": "orders",
        "Expression": f"dt = '{early_day}'",
    }
    tenth = max(1, len(batches) // 10)
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        errors = sum(pool.map(create, batches[:tenth]))
        paused = time.perf_counter()
        at_tenth = _timed(lambda: raw("GetPartitions", early_body), repeat)
        resumed = time.perf_counter()
        errors += sum(pool.map(create, batches[tenth:]))
    create_s = time.perf_counter() - started - (resumed - paused)
    if errors:
        raise RuntimeError(f"{errors} partitions failed to create")
    at_full = _timed(lambda: raw("GetPartitions", early_body), repeat)

    get_table = _timed(lambda: glue.get_table(DatabaseName="bench", Name="orders"), repeat)
    day = _partition_values(count)[(count // 2)][0]
    expression = f"dt = '{day}'"

    def listing(expr: str) -> tuple[int, list[float]]:
        """Rows matched, and boto3 GetPartitions latencies, for one expression."""

        def call() -> Any:
            return glue.get_partitions(DatabaseName="bench", TableName="orders", Expression=expr)

        return len(call()["Partitions"]), _timed(call, repeat)

    matched, get_parts = listing(expression)
    narrow_matched, get_narrow = listing(f"{expression} AND shard < 10")
    ranged = "shard BETWEEN 10 AND 12 AND dt >= '2022-06-01' AND dt < '2022-07-01'"
    ranged_matched, get_ranged = listing(ranged)
    raw_table = _timed(lambda: raw("GetTable", {"DatabaseName": "bench", "Name": "orders"}), repeat)
    eq_body = {"DatabaseName": "bench", "TableName": "orders", "Expression": expression}
    raw_parts = _timed(lambda: raw("GetPartitions", eq_body), repeat)
    return {
        "scale_tenth_p50": _p(at_tenth, 0.5),
        "scale_full_p50": _p(at_full, 0.5),
        "raw_table_p50": _p(raw_table, 0.5),
        "raw_parts_p50": _p(raw_parts, 0.5),
        "create_s": create_s,
        "matched": matched,
        "ranged_matched": ranged_matched,
        "narrow_matched": narrow_matched,
        "narrow_p50": _p(get_narrow, 0.5),
        "narrow_p99": _p(get_narrow, 0.99),
        "get_table_p50": _p(get_table, 0.5),
        "get_table_p99": _p(get_table, 0.99),
        "get_parts_p50": _p(get_parts, 0.5),
        "get_parts_p99": _p(get_parts, 0.99),
        "ranged_p50": _p(get_ranged, 0.5),
        "ranged_p99": _p(get_ranged, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--partitions", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--workers", type=int, default=4, help="concurrent BatchCreatePartition calls"
    )
    parser.add_argument("--repeat", type=int, default=200, help="samples per read latency")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    for backend in args.backends.split(","):
        pg: PostgresServer | None = None
        with tempfile.TemporaryDirectory() as tmp:
            extra: tuple[str, ...] = ()
            if backend == "postgres":
                pg = start_postgres()
                extra = ("--store-url", pg.create_database("bench"))
            server = start_server(Path(tmp), *extra)
            try:
                results[backend] = run_backend(server, args.partitions, args.workers, args.repeat)
            finally:
                server.stop()
                if pg is not None:
                    pg.stop()
    print(
        f"\nCatalog benchmark: {args.partitions:,} partitions on one table "
        f"(keys dt date x shard int), {args.repeat} samples per read\n"
    )
    header = (
        "backend",
        "create (s)",
        "GetTable p50/p99 ms",
        "GetPartitions eq p50/p99 ms",
        "ratio p50",
        "GetPartitions eq+int p50/p99 ms",
        "ratio p50",
        "GetPartitions range p50/p99 ms",
        "ratio p50",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for backend, r in results.items():
        print(
            f"| {backend} | {r['create_s']:.1f}"
            f" | {r['get_table_p50']:.1f} / {r['get_table_p99']:.1f}"
            f" | {r['get_parts_p50']:.1f} / {r['get_parts_p99']:.1f} ({int(r['matched'])} rows)"
            f" | {r['get_parts_p50'] / r['get_table_p50']:.2f}x"
            f" | {r['narrow_p50']:.1f} / {r['narrow_p99']:.1f} ({int(r['narrow_matched'])} rows)"
            f" | {r['narrow_p50'] / r['get_table_p50']:.2f}x"
            f" | {r['ranged_p50']:.1f} / {r['ranged_p99']:.1f} ({int(r['ranged_matched'])} rows)"
            f" | {r['ranged_p50'] / r['get_table_p50']:.2f}x |"
        )
    print("\nServer time alone (raw HTTP on one kept-alive connection, no botocore parsing):\n")
    tenth = args.partitions // 10
    print(
        f"| backend | GetTable p50 ms | GetPartitions eq p50 ms | ratio p50 "
        f"| same filter at {tenth:,} partitions, p50 ms | at {args.partitions:,} | growth |"
    )
    print("|---|---|---|---|---|---|---|")
    for backend, r in results.items():
        print(
            f"| {backend} | {r['raw_table_p50']:.2f} | {r['raw_parts_p50']:.2f}"
            f" | {r['raw_parts_p50'] / r['raw_table_p50']:.2f}x"
            f" | {r['scale_tenth_p50']:.2f} | {r['scale_full_p50']:.2f}"
            f" | {r['scale_full_p50'] / r['scale_tenth_p50']:.2f}x |"
        )


if __name__ == "__main__":
    main()
