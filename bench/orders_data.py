"""Generated "orders" CSV for the ETL and jobs benchmarks, deterministic for a given seed.

Columns ``order_id, customer_id, status, amount, currency, created_at, country, note``: about
60 % of the orders are ``completed`` (then 20 % pending, 12 % cancelled, 8 % returned), amounts
from 1.00 to 4999.99, timestamps over 2024, and notes of which about a third hold a comma (so
the CSV quotes them, as real exports do). Files are ``part-0000N.csv``, each with a header; a
``manifest.json`` next to them records rows, bytes and completed rows, which the benchmarks
check their outputs against.

This produces the same rows as the generator behind the reference figures in DESIGN.md (checked
once: 100 MB gives 1,180,928 rows of which 708,093 completed, as there).

    python -m bench.orders_data OUTDIR [--size 100MB] [--files 8] [--seed 20240601]
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATUSES = ("completed", "pending", "cancelled", "returned")
STATUS_SHARES = (0.60, 0.20, 0.12, 0.08)
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "BRL", "INR")
COUNTRIES = (
    *("US", "DE", "GB", "FR", "JP", "CA", "AU", "CH"),
    *("SE", "BR", "IN", "ES", "IT", "NL", "PL", "MX"),
)
NOTES = (
    *("gift wrap please", "leave at door, ring bell", "fragile", "call before delivery"),
    *("deliver after 5pm, not before", "no note", "express shipping"),
    *("back door, gate code 1234", "customer requested invoice", "second attempt"),
    *("priority, handle with care", "repeat customer", "address updated"),
    *("left with neighbour, flat 2", "promo code applied", "split shipment, part 1 of 2"),
)
YEAR_2024 = 1_704_067_200  # 2024-01-01T00:00:00Z
DEFAULT_SEED = 20240601
SAMPLE_ROWS = 200_000  # rows written once to learn the bytes per row
CATALOG_COLUMNS = (
    ("order_id", "bigint"),
    ("customer_id", "bigint"),
    ("status", "string"),
    ("amount", "double"),
    ("currency", "string"),
    ("created_at", "timestamp"),
    ("country", "string"),
    ("note", "string"),
)


@dataclass(frozen=True)
class Dataset:
    folder: Path
    rows: int
    bytes: int
    completed: int

    @property
    def files(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.csv"))


def _orders(rng: Any, first_id: int, count: int) -> Any:
    """An Arrow table of ``count`` orders numbered from ``first_id``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # The order of the draws fixes the data for a seed: keep it.
    customer = rng.integers(1, 500_000, count, dtype=np.int64)
    status = np.array(STATUSES)[rng.choice(len(STATUSES), count, p=STATUS_SHARES)]
    cents = rng.integers(100, 500_000, count, dtype=np.int64)
    currency = np.array(CURRENCIES)[rng.integers(0, len(CURRENCIES), count)]
    seconds = YEAR_2024 + rng.integers(0, 365 * 86_400, count, dtype=np.int64)
    country = np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), count)]
    note = np.array(NOTES)[rng.integers(0, len(NOTES), count)]
    note_number = rng.integers(1, 10_000, count)
    # Amounts as exact decimal text (12.05, not 12.049999…).
    whole = pc.cast(pa.array(cents // 100), pa.string())
    fraction = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    return pa.table(
        {
            "order_id": pa.array(np.arange(first_id, first_id + count, dtype=np.int64)),
            "customer_id": pa.array(customer),
            "status": pa.array(status),
            "amount": pc.binary_join_element_wise(whole, fraction, "."),
            "currency": pa.array(currency),
            "created_at": pc.strftime(
                pa.array(seconds, pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S"
            ),
            "country": pa.array(country),
            "note": pc.binary_join_element_wise(
                pa.array(note), pc.cast(pa.array(note_number), pa.string()), " #"
            ),
        }
    )


def _write_csv(table: Any, path: Path) -> None:
    """Write ``table`` as CSV with a header, quoting a field only when it holds a comma, as
    common exports do (pyarrow's writer would quote every string)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fields = []
    for name in table.column_names:
        text = pc.cast(table[name], pa.string())
        quoted = pc.binary_join_element_wise(pa.scalar('"'), text, pa.scalar('"'), "")
        fields.append(pc.if_else(pc.match_substring(text, ","), quoted, text))
    lines = pc.binary_join_element_wise(*fields, ",")
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(table.column_names) + "\n")
        for chunk in lines.chunks:
            if len(chunk):
                out.write("\n".join(chunk.to_pylist()) + "\n")


def generate(folder: Path, size_mb: float, files: int = 8, seed: int = DEFAULT_SEED) -> Dataset:
    """Write about ``size_mb`` MB of orders as ``files`` CSV files into ``folder``."""
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "_sample.csv"
    _write_csv(_orders(np.random.default_rng(1), 1, SAMPLE_ROWS), sample)
    bytes_per_row = sample.stat().st_size / SAMPLE_ROWS
    sample.unlink()
    per_file = int(size_mb * 1e6 / files / bytes_per_row)
    manifest: dict[str, Any] = {"seed": seed, "files": []}
    for index in range(files):
        table = _orders(np.random.default_rng([seed, index]), 1 + index * per_file, per_file)
        path = folder / f"part-{index:05d}.csv"
        _write_csv(table, path)
        completed = int(np.count_nonzero(table["status"].to_numpy(False) == "completed"))
        entry = {"file": path.name, "rows": per_file, "bytes": path.stat().st_size}
        manifest["files"].append({**entry, "completed": completed})
    for key in ("rows", "bytes", "completed"):
        manifest[key] = sum(entry[key] for entry in manifest["files"])
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return Dataset(folder, manifest["rows"], manifest["bytes"], manifest["completed"])


def cached(root: Path, size_mb: float, files: int = 8, seed: int = DEFAULT_SEED) -> Dataset:
    """The dataset of that size under ``root``, generated on first use."""
    folder = root / f"orders-{size_mb:g}MB-{files}-{seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        generate(folder, size_mb, files, seed)
    data = json.loads(manifest.read_text())
    return Dataset(folder, data["rows"], data["bytes"], data["completed"])


def parse_size(text: str) -> float:
    """``100MB``, ``1GB`` or a plain number of MB."""
    value = text.strip().upper()
    if value.endswith("GB"):
        return float(value[:-2]) * 1000
    return float(value.removesuffix("MB"))


def default_root() -> Path:
    return Path(os.environ.get("OPENGLUE_BENCH_DATA", ".bench-data")).absolute()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", default="100MB", help="100MB, 1GB, …")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    data = generate(args.outdir, parse_size(args.size), args.files, args.seed)
    print(json.dumps({"rows": data.rows, "bytes": data.bytes, "completed": data.completed}))


if __name__ == "__main__":
    main()
