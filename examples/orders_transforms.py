"""The transforms of an orders job, kept out of the job script so that they can be unit-tested.

The job script reads, calls these and writes; ``examples/tests/test_orders_transforms.py``
tests them on a local engine with the ``glue_context`` fixture (docs/testing-glue-scripts.md).
"""

from __future__ import annotations

from awsglue.dynamicframe import DynamicFrame
from awsglue.transforms import ApplyMapping, Filter


def completed_orders(orders: DynamicFrame) -> DynamicFrame:
    return Filter.apply(frame=orders, f=lambda x: x["status"] == "completed")


def cleaned_orders(orders: DynamicFrame) -> DynamicFrame:
    """Completed orders, amounts as numbers, the customer's id lifted out of its struct."""
    return ApplyMapping.apply(
        frame=completed_orders(orders),
        mappings=[
            ("order_id", "long", "order_id", "long"),
            ("amount", "string", "amount", "double"),
            ("customer.id", "string", "customer_id", "string"),
        ],
    )
