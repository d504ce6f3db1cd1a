"""The README's demo command runs the seed pipeline to the end (its set-up half is the one
scripts/test uses), and the demo's job script is the seed's plus exactly one argument."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "demo"))

from orders_data import ROWS_PER_MONTH, month_csv  # noqa: E402


def _number(pattern: str, text: str) -> int:
    found = re.findall(pattern, text)
    assert len(found) == 1, f"expected one line matching {pattern!r} in:\n{text}"
    return int(found[0])


def test_the_demo_runs_the_seed_pipeline_three_times() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "demo" / "pipeline_demo.py")],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # What the orders the demo uploads hold, counted here, apart from the pipeline.
    completed_2024 = sum(month_csv(2024, month)[1] for month in range(1, 13))
    completed_2025_01 = month_csv(2025, 1)[1]

    assert _number(r"raw orders: (\d+) rows", out) == 12 * ROWS_PER_MONTH
    assert _number(r"completed rows written: (\d+)", out) == completed_2024
    read_back = [int(n) for n in re.findall(r"rows read back from \S+: (\d+)", out)]
    assert read_back == [completed_2024, completed_2024 + completed_2025_01]
    assert "cataloged: ecommerce_data.orders_cleaned at s3://my-app-bucket/orders_cleaned/" in out
    assert "7 of 12 months" in out
    # Each pass is followed step by step: what fired, the crawl, the run its trigger started.
    assert out.count("trigger orders_uploaded fired") == 2
    assert out.count("trigger orders_run_now fired") == 1
    assert out.count("job run of transform_orders_job SUCCEEDED (TriggerName orders_crawled)") == 3
    # A crawl started by hand starts no job (as on Glue); the on-demand trigger does.
    assert "trigger orders_crawled: not fired: crawler orders_crawler run" in out
    assert out.count("crawl of orders_crawler COMPLETED") == 4
    # Second pass: nothing new; third pass: only the new month.
    new_rows = [int(n) for n in re.findall(r"new rows written: (\d+)", out)]
    assert new_rows == [0, completed_2025_01]
    assert "has 12 file(s), 0 new in this run" in out
    assert "has 13 file(s), 1 new in this run" in out
    seconds = float(re.findall(r"from upload to cataloged output: ([\d.]+) s", out)[0])
    assert 0 < seconds < 60
    assert "exit code 0" in out


def test_the_demo_script_is_the_seed_script_plus_a_transformation_ctx() -> None:
    seed = _tokens((ROOT / "examples" / "transform_orders_job.py").read_text())
    demo = _tokens((ROOT / "examples" / "transform_orders_job_bookmarked.py").read_text())
    changes = [
        (op, seed[i1 - 1 : i2], demo[j1:j2])
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, seed, demo).get_opcodes()
        if op != "equal"
    ]
    # One argument (and the comma before it) on the read; the rest token for token the same.
    assert changes == [("insert", ['table_name="orders"'], [",", 'transformation_ctx="orders"'])]


def _tokens(source: str) -> list[str]:
    """Python source as tokens, layout ignored: keyword arguments count as one token."""
    return re.findall(r'\w+="[^"]*"|"[^"]*"|\w+|[^\s\w]', source)
