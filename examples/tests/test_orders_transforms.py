"""Unit tests of a Glue transform: a local engine, rows in, rows out, no server, no AWS.

``glue_context`` and ``make_dynamic_frame`` come from OpenGlue's pytest plugin, installed with
OpenGlue; run with ``pytest examples/tests`` (``--glue-engine spark`` for classic Spark).
"""

from orders_transforms import cleaned_orders, completed_orders

from awsglue.testing import frame_rows

ORDERS = [
    {"order_id": 1, "status": "completed", "amount": "25.50", "customer": {"id": "c-1"}},
    {"order_id": 2, "status": "pending", "amount": "12.00", "customer": {"id": "c-2"}},
    {"order_id": 3, "status": "Completed", "amount": "7.25", "customer": {"id": "c-1"}},
    {"order_id": 4, "status": "completed", "amount": "n/a", "customer": {"id": "c-3"}},
]
SCHEMA = "order_id bigint, status string, amount string, customer struct<id: string>"


def test_only_completed_orders_are_kept(make_dynamic_frame):
    orders = make_dynamic_frame(ORDERS, SCHEMA)
    kept = completed_orders(orders)
    assert [row["order_id"] for row in frame_rows(kept, order_by="order_id")] == [1, 4]


def test_cleaned_orders_have_numbers_and_a_flat_customer(make_dynamic_frame):
    cleaned = cleaned_orders(make_dynamic_frame(ORDERS, SCHEMA))
    assert [field.name for field in cleaned.schema()] == ["order_id", "amount", "customer_id"]
    assert frame_rows(cleaned, order_by="order_id") == [
        {"order_id": 1, "amount": 25.5, "customer_id": "c-1"},
        # Not a number: Glue's cast gives null rather than failing the job.
        {"order_id": 4, "amount": None, "customer_id": "c-3"},
    ]


def test_a_missing_status_drops_the_record(glue_context, make_dynamic_frame):
    orders = make_dynamic_frame([{"order_id": 5, "amount": "1.00"}])
    assert completed_orders(orders).count() == 0
    assert glue_context.spark_session is orders.toDF().sparkSession
