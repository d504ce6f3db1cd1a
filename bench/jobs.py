"""Jobs benchmark: how long a Python shell "hello" job takes through OpenGlue, against running
the same script directly with the same Python (a subprocess), measured in the same run.

- StartJobRun → RUNNING: from sending StartJobRun to the first GetJobRun that no longer says
  STARTING (polled back to back, so within one GetJobRun round trip of the change);
- StartJobRun → SUCCEEDED: likewise, to the first GetJobRun that says SUCCEEDED; this is what a
  client waiting for a job sees, and is compared with the direct run;
- N concurrent runs: started together, all must end SUCCEEDED (none lost or stuck).

Then (b) the seed job (``examples/transform_orders_job.py``) on generated orders CSV
(``--seed-size``, 100 MB by default) on each engine, StartJobRun → SUCCEEDED against running
the same script directly with python (``bench/jobs_seed.py``).

Runs a real ``openglue server`` and talks to it through boto3, as users do. ``--quick`` is a
smoke run: few runs, 5 MB of orders.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.support.server import RunningServer, start_server

HELLO = "print('hello')\n"
FINAL = ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR")


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def direct_runs(script: Path, runs: int) -> list[float]:
    """Milliseconds for ``python script`` as a subprocess, each run."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def timed_run(glue: Any, job: str) -> tuple[float, float, str]:
    """(ms to RUNNING, ms to the final state, the final state) of one run."""
    started = time.perf_counter()
    run_id = glue.start_job_run(JobName=job)["JobRunId"]
    running = None
    while True:
        state = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]
        now = (time.perf_counter() - started) * 1000
        if running is None and state not in ("STARTING", "WAITING"):
            running = now
        if state in FINAL:
            return running, now, state


def concurrent_runs(glue: Any, job: str, count: int) -> tuple[float, dict[str, int]]:
    """Seconds for ``count`` runs started together to all end, and how they ended."""
    started = time.perf_counter()
    run_ids = [glue.start_job_run(JobName=job)["JobRunId"] for _ in range(count)]

    def wait(run_id: str) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = str(glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"])
            if state in FINAL:
                return state
            time.sleep(0.01)
        return "STUCK"

    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(wait, run_ids))
    outcome: dict[str, int] = {}
    for state in states:
        outcome[state] = outcome.get(state, 0) + 1
    return time.perf_counter() - started, outcome


def run(server: RunningServer, script: Path, runs: int, concurrent: int) -> dict[str, Any]:
    glue = server.client()
    glue.create_job(
        Name="hello",
        Role="bench",
        Command={"Name": "pythonshell", "ScriptLocation": str(script)},
        ExecutionProperty={"MaxConcurrentRuns": max(concurrent, 1)},
    )
    timed_run(glue, "hello")  # warm up: the first run pays for imports and caches
    direct_runs(script, 2)
    direct = direct_runs(script, runs)
    samples = [timed_run(glue, "hello") for _ in range(runs)]
    bad = [state for _, _, state in samples if state != "SUCCEEDED"]
    if bad:
        raise SystemExit(f"runs did not succeed: {bad}")
    wall, outcome = concurrent_runs(glue, "hello", concurrent)
    return {
        "direct": direct,
        "running": [r for r, _, _ in samples],
        "done": [d for _, d, _ in samples],
        "concurrent_s": wall,
        "concurrent": outcome,
    }


def _seed_table(engines: list[str], size: str, runs: int, quick: bool) -> None:
    from bench import orders_data
    from bench.jobs_seed import seed_benchmark

    root = orders_data.default_root()
    dataset = orders_data.cached(root, orders_data.parse_size(size))
    results = {
        engine: seed_benchmark(engine, dataset, runs, root, warm_up=not quick) for engine in engines
    }
    print(
        f"\nSeed job on {dataset.bytes / 1e6:.0f} MB of orders CSV ({dataset.rows:,} rows, "
        f"{dataset.completed:,} completed), {runs} run(s) each, p50 seconds\n"
    )
    print(
        "| engine | direct `python transform_orders_job.py` | StartJobRun → RUNNING "
        "| StartJobRun → SUCCEEDED | overhead | within target (< 0.5 s or < 10%) |"
    )
    print("|---|---|---|---|---|---|")
    for engine, r in results.items():
        direct, done = _p(r["direct"], 0.5), _p(r["done"], 0.5)
        overhead = done - direct
        ok = overhead < max(0.5, 0.1 * direct)
        print(
            f"| {engine} | {direct:.2f} | {_p(r['running'], 0.5) * 1000:.0f} ms | {done:.2f} "
            f"| {overhead:+.2f} s ({overhead / direct:+.1%}) | {'yes' if ok else 'no'} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="sequential runs measured")
    parser.add_argument("--concurrent", type=int, default=20, help="runs started together")
    parser.add_argument("--seed-size", default="100MB", help="orders CSV for the seed job")
    parser.add_argument("--seed-runs", type=int, default=3, help="seed job runs per engine")
    parser.add_argument("--engines", default="spark,sail", help="engines for the seed job")
    parser.add_argument("--skip-hello", action="store_true", help="only the seed job")
    parser.add_argument("--skip-seed", action="store_true", help="only the hello job")
    parser.add_argument("--quick", action="store_true", help="a smoke run: few runs, 5 MB")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.concurrent = min(args.runs, 5), min(args.concurrent, 5)
        args.seed_size, args.seed_runs = "5MB", 1
    if not args.skip_hello:
        _hello_table(args.runs, args.concurrent)
    if not args.skip_seed:
        engines = [e.strip() for e in args.engines.split(",") if e.strip()]
        _seed_table(engines, args.seed_size, args.seed_runs, args.quick)


def _hello_table(runs: int, concurrent: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "hello.py"
        script.write_text(HELLO)
        server = start_server(Path(tmp) / "data")
        try:
            r = run(server, script, runs, concurrent)
        finally:
            server.stop()
    direct50, done50 = _p(r["direct"], 0.5), _p(r["done"], 0.5)
    print(f"\nJobs benchmark: pythonshell hello, {runs} sequential runs (p50 / p99, ms)\n")
    print("| measure | p50 ms | p99 ms | vs direct p50 |")
    print("|---|---|---|---|")
    print(
        f"| direct `python hello.py` (subprocess) | {direct50:.0f} "
        f"| {_p(r['direct'], 0.99):.0f} | 1.00x |"
    )
    print(
        f"| StartJobRun → RUNNING | {_p(r['running'], 0.5):.0f} | {_p(r['running'], 0.99):.0f} | "
        f"{_p(r['running'], 0.5) / direct50:.2f}x |"
    )
    print(
        f"| StartJobRun → SUCCEEDED | {done50:.0f} | {_p(r['done'], 0.99):.0f} | "
        f"{done50 / direct50:.2f}x (+{done50 - direct50:.0f} ms) |"
    )
    outcome = ", ".join(f"{n} {state}" for state, n in sorted(r["concurrent"].items()))
    print(f"\n{concurrent} concurrent runs: all ended in {r['concurrent_s']:.2f} s ({outcome})")


if __name__ == "__main__":
    main()
