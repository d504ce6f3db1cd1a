"""Contract suite for the partition and partition-index stores: runs against SQLite and
PostgreSQL. Tables are inserted directly, so these tests need nothing of the tables slice."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence

import pytest
from sqlalchemy import delete, func, insert, select

from openglue.catalog.partition_expression import compile_expression
from openglue.errors import (
    AlreadyExistsException,
    EntityNotFoundException,
    ResourceNumberLimitExceededException,
)
from openglue.store import schema
from openglue.store.partition_indexes import PartitionIndexRecord, SqlPartitionIndexStore
from openglue.store.partitioned_tables import PartitionedTable
from openglue.store.partitions import PartitionRecord, Segment, SqlPartitionStore
from openglue.store.sql import SqlStore

KEYS = (("year", "int"), ("dt", "date"), ("region", "string"))


def make_table(
    sql: SqlStore, keys: Sequence[tuple[str, str]] = KEYS, database: str = "db", table: str = "t"
) -> PartitionedTable:
    spec = {"PartitionKeys": [{"Name": name, "Type": kind} for name, kind in keys]}
    with sql.write() as conn:
        db_id = conn.execute(
            select(schema.databases.c.id).where(schema.databases.c.name == database)
        ).scalar()
        if db_id is None:
            db_id = conn.execute(
                insert(schema.databases)
                .values(name=database, spec={}, create_time=0.0)
                .returning(schema.databases.c.id)
            ).scalar_one()
        conn.execute(
            insert(schema.tables).values(
                database_id=db_id, name=table, spec=spec, create_time=0.0, update_time=0.0,
                version_id=0,
            )
        )  # fmt: skip
    return SqlPartitionStore(sql).table(database, table)


def rec(
    t: PartitionedTable, *values: str, spec: dict[str, object] | None = None
) -> PartitionRecord:
    return PartitionRecord(t.database, t.name, values, spec or {"Parameters": {}}, 1.5)


def all_values(
    store: SqlPartitionStore, t: PartitionedTable, **kwargs: object
) -> list[tuple[str, ...]]:
    """Every page of a scan, concatenated, following the resume positions."""
    found: list[tuple[str, ...]] = []
    after = None
    while True:
        page, after = store.page(t, after=after, limit=7, **kwargs)  # type: ignore[arg-type]
        found += [r.values for r in page]
        if after is None:
            return found


def test_table_resolution(sql_store: SqlStore) -> None:
    t = make_table(sql_store)
    assert t.keys[0].name == "year" and t.keys[1].type == "date" and len(t.keys) == 3
    store = SqlPartitionStore(sql_store)
    with pytest.raises(EntityNotFoundException, match=r"^Database nope not found\.$"):
        store.table("nope", "t")
    with pytest.raises(EntityNotFoundException, match=r"^Table nope not found\.$"):
        store.table("db", "nope")


def test_batch_create_reports_duplicates_in_batch_and_in_store(sql_store: SqlStore) -> None:
    t = make_table(sql_store)
    store = SqlPartitionStore(sql_store)
    first = [rec(t, "2024", "2024-01-01", "eu"), rec(t, "2024", "2024-01-02", "eu")]
    first.append(rec(t, "2024", "2024-01-01", "eu", spec={"Parameters": {"dup": "1"}}))
    assert store.create_many(t, first) == [True, True, False]
    second = [rec(t, "2024", "2024-01-02", "eu"), rec(t, "2025", "2025-01-01", "us")]
    assert store.create_many(t, second) == [False, True]
    assert store.create_many(t, []) == []

    got = store.get_many(t, [("2024", "2024-01-01", "eu"), ("1", "2", "3")])
    assert got == [rec(t, "2024", "2024-01-01", "eu")]  # the first of the duplicates won
    assert [r.values for r in store.get_many(t, [("2025", "2025-01-01", "us")] * 2)] == [
        ("2025", "2025-01-01", "us")
    ]
    # Unicode and quotes survive the round trip through the values key.
    store.create_many(t, [rec(t, "1", "2024-01-01", 'é"\\x')])
    assert store.get_many(t, [("1", "2024-01-01", 'é"\\x')])[0].values[2] == 'é"\\x'


def test_typed_expression_filtering(sql_store: SqlStore) -> None:
    t = make_table(sql_store)
    store = SqlPartitionStore(sql_store)
    rows = [
        (str(year), f"2024-{month}-05", region)
        for year in (8, 9, 10, 100)
        for month in ("1", "02", "11")
        for region in ("eu", "us")
    ]
    store.create_many(t, [rec(t, *values) for values in rows])
    keys = [(k.name, k.type) for k in t.keys]

    def matching(expression: str) -> set[tuple[str, ...]]:
        return set(all_values(store, t, where=compile_expression(expression, keys)))

    # Numerically, not as text: "10" and "100" are greater than 9.
    assert matching("year > 9") == {v for v in rows if int(v[0]) > 9}
    # Dates compare as dates, even with single-digit months in the stored text.
    assert matching("dt >= '2024-02-01' AND dt < '2024-11-01'") == {
        v for v in rows if v[1] == "2024-02-05"
    }
    assert matching("year IN (8, 100) AND region = 'us'") == {
        v for v in rows if v[0] in ("8", "100") and v[2] == "us"
    }
    assert matching("year BETWEEN 9 AND 10 OR region LIKE 'e%'") == {
        v for v in rows if v[0] in ("9", "10") or v[2] == "eu"
    }
    assert matching("NOT region = 'eu'") == {v for v in rows if v[2] != "eu"}
    assert matching("region LIKE 'E%'") == set()  # case-sensitive, as in Glue


def test_segments_cover_every_partition_once(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "int"),))
    store = SqlPartitionStore(sql_store)
    store.create_many(t, [rec(t, str(n)) for n in range(53)])
    everything = all_values(store, t)
    assert sorted(everything, key=lambda v: int(v[0])) == [(str(n),) for n in range(53)]
    for total in (1, 3, 10):
        seen = [
            v
            for number in range(total)
            for v in all_values(store, t, segment=Segment(number, total))
        ]
        assert sorted(seen) == sorted(everything)  # every partition, none twice


def test_paging_resumes_in_creation_order(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "string"),))
    store = SqlPartitionStore(sql_store)
    store.create_many(t, [rec(t, f"{n:02d}") for n in (5, 3, 9, 0, 7)])
    store.create_many(t, [rec(t, f"{n:02d}") for n in (8, 1, 2, 6, 4)])
    page, after = store.page(t, after=None, limit=4)
    assert [r.values for r in page] == [("05",), ("03",), ("09",), ("00",)]
    page, after = store.page(t, after=after, limit=6)
    assert [r.values[0] for r in page] == ["07", "08", "01", "02", "06", "04"]
    assert after is None  # nothing follows a page that ends exactly at the last partition


def test_replace_keeps_values_and_creation_time(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "string"),))
    store = SqlPartitionStore(sql_store)
    store.create_many(t, [rec(t, "a"), rec(t, "b")])
    new_spec = {"StorageDescriptor": {"Location": "s3://x/a"}}
    assert store.replace_many(t, [(("a",), new_spec), (("missing",), {})]) == [True, False]
    assert store.get_many(t, [("a",)]) == [PartitionRecord("db", "t", ("a",), new_spec, 1.5)]
    assert store.get_many(t, [("b",)])[0].spec == {"Parameters": {}}


def test_delete_takes_values_rows_and_reports_missing(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "string"), ("m", "int")))
    store = SqlPartitionStore(sql_store)
    store.create_many(t, [rec(t, "a", "1"), rec(t, "b", "2")])
    assert store.delete_many(t, [("a", "1"), ("a", "1"), ("zz", "9")]) == [True, False, False]
    assert [r.values for r in store.page(t, after=None, limit=10)[0]] == [("b", "2")]
    with sql_store.read() as conn:
        positions = conn.execute(select(schema.partition_values.c.str_value)).scalars().all()
    assert sorted(positions) == ["2", "b"]


def test_partitions_go_with_their_table(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "string"),))
    other = make_table(sql_store, keys=(("n", "string"),), table="other")
    store = SqlPartitionStore(sql_store)
    store.create_many(t, [rec(t, "a")])
    store.create_many(other, [rec(other, "a")])
    with sql_store.write() as conn:
        conn.execute(delete(schema.tables).where(schema.tables.c.id == t.id))
    with sql_store.read() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (schema.partitions, schema.partition_values)
        ]
    assert counts == [1, 1]
    with pytest.raises(EntityNotFoundException, match="Table t not found"):
        store.create_many(t, [rec(t, "b")])


def test_concurrent_overlapping_batches_never_duplicate(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("n", "int"),))
    store = SqlPartitionStore(sql_store)
    for round_number in range(5):
        base = round_number * 1000
        batches = [
            [rec(t, str(base + n)) for n in range(0, 300)],
            [rec(t, str(base + n)) for n in reversed(range(150, 450))],
        ]
        results: list[list[bool]] = [[], []]
        barrier = threading.Barrier(2)

        def run(i: int, batch: list[PartitionRecord], barrier: threading.Barrier) -> None:
            barrier.wait()
            results[i] = store.create_many(t, batch)  # noqa: B023 (joined before the next round)

        threads = [
            threading.Thread(target=run, args=(i, batch, barrier))
            for i, batch in enumerate(batches)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        created = [
            r.values for i in range(2) for r, ok in zip(batches[i], results[i], strict=True) if ok
        ]
        # Every value was created by exactly one of the two writers.
        assert sorted(created) == sorted({(str(base + n),) for n in range(450)})
    with sql_store.read() as conn:
        rows = conn.execute(select(func.count()).select_from(schema.partitions)).scalar_one()
        value_rows = conn.execute(
            select(func.count()).select_from(schema.partition_values)
        ).scalar_one()
    assert rows == value_rows == 5 * 450


def test_bulk_create_ten_thousand(sql_store: SqlStore) -> None:
    t = make_table(sql_store, keys=(("year", "int"), ("day", "date")))
    store = SqlPartitionStore(sql_store)
    spec = {"StorageDescriptor": {"Location": "s3://bucket/t/", "Columns": [{"Name": "c"}]}}
    records = [
        rec(t, str(2000 + n // 365), str(dt.date(2024, 1, 1) + dt.timedelta(n % 365)), spec=spec)
        for n in range(10_000)
    ]
    started = time.perf_counter()
    for i in range(0, len(records), 100):  # BatchCreatePartition's item limit
        store.create_many(t, records[i : i + 100])
    elapsed = time.perf_counter() - started
    print(f"\n10,000 partitions in 100-item batches on {sql_store.dialect}: {elapsed:.2f}s")
    assert elapsed < 30
    assert (
        len(
            all_values(
                store,
                t,
                where=compile_expression("year = 2010", [("year", "int"), ("day", "date")]),
            )
        )
        == 365
    )


def test_partition_indexes(sql_store: SqlStore) -> None:
    t = make_table(sql_store)
    indexes = SqlPartitionIndexStore(sql_store)
    for number, keys in enumerate((("year",), ("year", "dt"), ("region",))):
        indexes.create(t, PartitionIndexRecord(f"ix{number}", keys, float(number)), limit=3)
    with pytest.raises(AlreadyExistsException):
        indexes.create(t, PartitionIndexRecord("ix1", ("dt",), 9.0), limit=5)
    with pytest.raises(ResourceNumberLimitExceededException):
        indexes.create(t, PartitionIndexRecord("ix9", ("dt",), 9.0), limit=3)
    assert [(r.name, r.keys) for r in indexes.list(t)] == [
        ("ix0", ("year",)),
        ("ix1", ("year", "dt")),
        ("ix2", ("region",)),
    ]
    assert indexes.delete(t, "ix1") is True
    assert indexes.delete(t, "ix1") is False
    indexes.create(t, PartitionIndexRecord("ix9", ("dt",), 9.0), limit=3)
    assert [r.name for r in indexes.list(t)] == ["ix0", "ix2", "ix9"]


def _analyzed(sql: SqlStore) -> bool:
    with sql.read() as conn:
        if sql.is_sqlite:
            exists = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            if not conn.exec_driver_sql(exists).scalar():
                return False
            query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'partition_values'"
        else:
            # Either ours or autovacuum's (its thresholds are lowered for this table too).
            query = (
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'partition_values' "
                "AND coalesce(last_analyze, last_autoanalyze) IS NOT NULL"
            )
        return bool(conn.exec_driver_sql(query).scalar())


def test_planner_statistics_follow_bulk_growth(sql_store: SqlStore) -> None:
    # Without statistics the planner may start a two-key filter from the wrong key (50 ms
    # instead of 1.4 ms at 100k partitions); a burst of creates must refresh them.
    t = make_table(sql_store, keys=(("year", "int"), ("day", "date")))
    store = SqlPartitionStore(sql_store)
    records = [rec(t, str(n // 28), f"2024-01-{n % 28 + 1:02d}") for n in range(900)]
    for i in range(0, len(records), 100):
        store.create_many(t, records[i : i + 100])
    if sql_store.is_sqlite:  # SQLite has no background analyzer to race with
        assert not _analyzed(sql_store)
    store.create_many(t, [rec(t, str(3000 + n), "2024-02-01") for n in range(100)])
    assert _analyzed(sql_store)
