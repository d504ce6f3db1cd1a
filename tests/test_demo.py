"""The README's demo command runs to the end (its set-up half is the one scripts/test uses)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_catalog_demo_runs_and_stops_the_server_cleanly() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "demo" / "catalog_demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 of 12 partitions match" in result.stdout
    assert "GetJobRun: SUCCEEDED" in result.stdout
    # The seed job's output holds exactly the completed orders the demo wrote.
    rows = re.search(r"(\d+) rows, statuses \['completed'\]", result.stdout)
    completed = re.search(r"of which completed: (\d+)", result.stdout)
    assert rows and completed and rows.group(1) == completed.group(1)
    assert "exit code 0" in result.stdout
