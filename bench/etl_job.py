"""The orders job written other ways, for ``bench/etl.py``; run as a script like a Glue job.

    python bench/etl_job.py --variant VARIANT --JOB_NAME bench [--input DIR] [--output DIR]

- ``dataframe``: hand-written with the DataFrame API (the catalog's columns as the schema, a
  column filter, snappy Parquet), no awsglue transforms;
- ``native-filter``: the seed job through DynamicFrames, with the filter as a column
  expression (``toDF().filter(...)``) instead of a lambda;
- ``python-filter``: the seed job with a record function that cannot become a column
  expression (``lambda x: is_completed(x)``): every record goes through Python, in batches;
- ``session``: only starts the engine's session and stops it (the fixed cost of any job);
- ``duckdb``: DuckDB's ``COPY (SELECT … WHERE status='completed') TO … (FORMAT parquet)``,
  the floor.

The DynamicFrame variants read ``ecommerce_data.orders`` through the catalog and write to
``s3://my-app-bucket/orders_cleaned/``, like the seed script; the others read ``--input`` and
write ``--output``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

ORDERS_DDL = (
    "order_id bigint, customer_id bigint, status string, amount double, currency string, "
    "created_at timestamp, country string, note string"
)
SEED_OUTPUT = "s3://my-app-bucket/orders_cleaned/"


def is_completed(record: Any) -> bool:
    return bool(record["status"] == "completed")


def dataframe_job(input_dir: str, output_dir: str) -> None:
    from pyspark.sql import functions as F

    from awsglue.engine import get_spark_session

    spark = get_spark_session()
    orders = spark.read.csv(f"{input_dir}/*.csv", schema=ORDERS_DDL, header=True)
    completed = orders.filter(F.col("status") == "completed")
    completed.write.mode("overwrite").option("compression", "snappy").parquet(output_dir)


def dynamicframe_job(variant: str) -> None:
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.transforms import Filter

    glue = GlueContext()
    orders = glue.create_dynamic_frame.from_catalog(database="ecommerce_data", table_name="orders")
    if variant == "native-filter":
        from pyspark.sql import functions as F

        kept = orders.toDF().filter(F.col("status") == "completed")
        completed = DynamicFrame.fromDF(kept, glue, "completed")
    else:
        completed = Filter.apply(frame=orders, f=lambda x: is_completed(x))
    glue.write_dynamic_frame.from_options(
        frame=completed,
        connection_type="s3",
        connection_options={"path": SEED_OUTPUT},
        format="parquet",
    )


def duckdb_job(input_dir: str, output_dir: str) -> None:
    import duckdb

    columns = ", ".join(
        f"'{name}': '{kind.upper()}'"
        for name, kind in (part.strip().split(" ") for part in ORDERS_DDL.split(","))
    )
    source = f"read_csv('{input_dir}/*.csv', header = true, columns = {{{columns}}})"
    with duckdb.connect() as db:
        db.execute(
            f"COPY (SELECT * FROM {source} WHERE status = 'completed') "
            f"TO '{output_dir}/completed.parquet' (FORMAT parquet, COMPRESSION snappy)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", required=True)
    parser.add_argument("--input", default="")
    parser.add_argument("--output", default="")
    args, _ = parser.parse_known_args()  # --JOB_NAME and the like are the engine's
    if args.variant == "dataframe":
        dataframe_job(args.input, args.output)
    elif args.variant in ("native-filter", "python-filter"):
        dynamicframe_job(args.variant)
    elif args.variant == "session":
        from awsglue.engine import get_spark_session

        get_spark_session().stop()
    elif args.variant == "duckdb":
        import os

        os.makedirs(args.output, exist_ok=True)
        duckdb_job(args.input, args.output)
    else:
        sys.exit(f"unknown variant {args.variant}")


if __name__ == "__main__":
    main()
