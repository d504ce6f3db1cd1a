"""Keep the query planner's statistics in step with fast-growing tables.

A GetPartitions expression joins one ``partition_values`` row per key it names; which key the
planner starts from decides whether it reads 100 index entries or 10,000. Without statistics,
SQLite guesses (measured at 100k partitions: 50 ms instead of 1.4 ms for ``dt = … AND shard <
10``), and PostgreSQL's autovacuum may be a minute behind a burst of BatchCreatePartition
calls. So after every 10% of growth (and at least 1,000 rows) the store re-analyzes.
"""

from __future__ import annotations

import threading

from openglue.store.sql import SqlStore

_MIN_ROWS = 1000
_GROWTH = 0.10


class StatisticsRefresher:
    def __init__(self, sql: SqlStore, tables: tuple[str, ...]) -> None:
        self.sql = sql
        self.tables = tables
        self._lock = threading.Lock()
        self._pending = 0
        self._at_last_refresh = 0

    def grew_by(self, rows: int) -> None:
        """Count new rows; re-analyze once enough have arrived since the last time."""
        with self._lock:
            self._pending += rows
            threshold = max(_MIN_ROWS, int(self._at_last_refresh * _GROWTH))
            if self._pending < threshold:
                return
            self._at_last_refresh += self._pending
            self._pending = 0
        self.refresh()

    def refresh(self) -> None:
        with self.sql.write() as conn:
            if self.sql.is_sqlite:
                # A sampled ANALYZE: enough for the planner, milliseconds even at 100k rows.
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            for table in self.tables:
                conn.exec_driver_sql(f"ANALYZE {table}")
