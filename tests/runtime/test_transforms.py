"""The built-in transforms as scripts call them: ``X.apply(frame=…, …)`` after a star import."""

from __future__ import annotations

from typing import Any

import awsglue.transforms

EXPECTED = {
    "ApplyMapping",
    "Coalesce",
    "DropFields",
    "Filter",
    "Join",
    "Map",
    "RenameField",
    "Repartition",
    "SelectFields",
    "Union",
}


def test_star_import_gives_the_transforms() -> None:
    namespace: dict[str, Any] = {}
    exec("from awsglue.transforms import *", namespace)
    assert set(namespace) >= EXPECTED
    assert awsglue.transforms.get_transform("Filter") is namespace["Filter"]
    assert {t.name() for t in awsglue.transforms.get_transforms()} >= EXPECTED
    description = namespace["ApplyMapping"].describe()
    assert description["transform"]["name"] == "ApplyMapping"


def test_transforms_apply_with_keyword_arguments(glue_context: Any) -> None:
    from awsglue.transforms import (
        ApplyMapping,
        Coalesce,
        DropFields,
        Filter,
        Join,
        Map,
        RenameField,
        Repartition,
        SelectFields,
        Union,
    )

    orders = glue_context.create_dynamic_frame.from_rdd(
        [
            ("1", "c1", "completed", "9.5"),
            ("2", "c2", "pending", "1"),
            ("3", "c1", "completed", "x"),
        ],
        "orders",
        "order_id string, customer string, status string, amount string",
    )
    customers = glue_context.create_dynamic_frame.from_rdd(
        [("c1", "Ada"), ("c2", "Bob")], "customers", "cid string, cname string"
    )
    typed = ApplyMapping.apply(
        frame=orders,
        mappings=[
            ("order_id", "string", "order_id", "long"),
            ("customer", "string", "customer", "string"),
            ("status", "string", "status", "string"),
            ("amount", "string", "amount", "double"),
        ],
        transformation_ctx="typed",
    )
    completed = Filter.apply(frame=typed, f=lambda x: x["status"] == "completed")
    assert completed.count() == 2
    priced = Filter.apply(frame=completed, f=lambda x: x["amount"] > 5)  # null amount: dropped
    assert [r["order_id"] for r in priced.toDF().collect()] == [1]
    doubled = Map.apply(frame=priced, f=lambda r: {**r, "amount": r["amount"] * 2})
    assert doubled.toDF().collect()[0]["amount"] == 19.0
    joined = Join.apply(frame1=completed, frame2=customers, keys1=["customer"], keys2=["cid"])
    assert sorted(r["cname"] for r in joined.toDF().collect()) == ["Ada", "Ada"]
    slim = DropFields.apply(frame=joined, paths=["cid", "status"])
    slim = RenameField.apply(frame=slim, old_name="cname", new_name="customer_name")
    slim = SelectFields.apply(frame=slim, paths=["order_id", "customer_name"])
    assert slim.toDF().columns == ["order_id", "customer_name"]
    both = Union.apply(frame1=completed, frame2=typed)
    assert both.count() == 5
    assert Repartition.apply(frame=both, num_partitions=2).count() == 5
    assert Coalesce.apply(frame=both, num_partitions=1).getNumPartitions() == 1
