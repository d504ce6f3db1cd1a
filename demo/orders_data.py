"""Raw orders as CSV, one file per month in Hive-style ``year=/month=`` folders."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

COLUMNS = [
    ("order_id", "bigint"),
    ("customer_id", "bigint"),
    ("status", "string"),
    ("amount", "double"),
    ("currency", "string"),
    ("created_at", "string"),
    ("country", "string"),
    ("note", "string"),
]
PARTITION_KEYS = [("year", "string"), ("month", "string")]
ROWS_PER_MONTH = 200
STATUSES = ("completed", "completed", "completed", "pending", "cancelled")


def month_csv(year: int, month: int) -> tuple[str, int]:
    """One month of orders as CSV text with a header, and how many of them are completed."""
    rng = random.Random(year * 100 + month)  # the same orders on every run of the demo
    completed = 0
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    for index in range(ROWS_PER_MONTH):
        status = rng.choice(STATUSES)
        completed += status == "completed"
        writer.writerow([
            (year % 100) * 1_000_000 + month * 10_000 + index, rng.randint(1, 5000), status,
            f"{rng.randint(100, 50_000) / 100:.2f}", "USD",
            f"{year}-{month:02d}-{rng.randint(1, 28):02d}T12:00:00", "US",
            rng.choice(["leave at door, ring bell", "fragile", "gift wrap please"]),
        ])  # fmt: skip
    return text.getvalue(), completed


def upload_month(orders_prefix: Path, year: int, month: int) -> int:
    """Put one month's file under the orders prefix; returns its number of completed orders.

    Written under a dot-name and renamed, as an atomic upload: the event trigger ignores
    dot-files, so it sees the object once, complete.
    """
    folder = orders_prefix / f"year={year}" / f"month={month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    text, completed = month_csv(year, month)
    partial = folder / ".part-00000.csv"
    partial.write_text(text)
    partial.rename(folder / "part-00000.csv")
    return completed
