"""Partitions (Create/Get/Update/Delete, their Batch forms, GetPartitions) and partition
indexes (CreatePartitionIndex, GetPartitionIndexes, DeletePartitionIndex)."""

from __future__ import annotations

from openglue.api.dispatch import Body, RequestContext, operation
from openglue.api.paging import decode_token, encode_token, page_of
from openglue.catalog import partition_indexes
from openglue.catalog.partitions import failure_to_aws, to_aws
from openglue.errors import InvalidInputException

# GetPartitions without MaxResults answers pages as large as the model allows.
DEFAULT_PAGE_SIZE = 1000


@operation("CreatePartition")
def create_partition(ctx: RequestContext, body: Body) -> Body:
    ctx.services.partitions.create(body["DatabaseName"], body["TableName"], body["PartitionInput"])
    return {}


@operation("BatchCreatePartition")
def batch_create_partition(ctx: RequestContext, body: Body) -> Body:
    failures = ctx.services.partitions.batch_create(
        body["DatabaseName"], body["TableName"], body["PartitionInputList"]
    )
    return {"Errors": [failure_to_aws(f) for f in failures]}


@operation("GetPartition")
def get_partition(ctx: RequestContext, body: Body) -> Body:
    record = ctx.services.partitions.get(
        body["DatabaseName"], body["TableName"], body["PartitionValues"]
    )
    return {"Partition": to_aws(record, ctx.services.catalog_id)}


@operation("GetPartitions")
def get_partitions(ctx: RequestContext, body: Body) -> Body:
    after = decode_token("GetPartitions", body.get("NextToken"))
    if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
        raise InvalidInputException("NextToken is not valid for GetPartitions")
    segment = body.get("Segment")
    records, resume = ctx.services.partitions.page(
        body["DatabaseName"],
        body["TableName"],
        expression=body.get("Expression"),
        segment=(segment["SegmentNumber"], segment["TotalSegments"]) if segment else None,
        after=after,
        limit=body.get("MaxResults") or DEFAULT_PAGE_SIZE,
    )
    exclude = bool(body.get("ExcludeColumnSchema"))
    catalog_id = ctx.services.catalog_id
    result: Body = {
        "Partitions": [to_aws(r, catalog_id, exclude_column_schema=exclude) for r in records]
    }
    if resume is not None:
        result["NextToken"] = encode_token("GetPartitions", resume)
    return result


@operation("BatchGetPartition")
def batch_get_partition(ctx: RequestContext, body: Body) -> Body:
    records = ctx.services.partitions.batch_get(
        body["DatabaseName"],
        body["TableName"],
        [item["Values"] for item in body.get("PartitionsToGet") or []],
    )
    return {
        "Partitions": [to_aws(r, ctx.services.catalog_id) for r in records],
        "UnprocessedKeys": [],
    }


@operation("UpdatePartition")
def update_partition(ctx: RequestContext, body: Body) -> Body:
    ctx.services.partitions.update(
        body["DatabaseName"], body["TableName"], body["PartitionValueList"], body["PartitionInput"]
    )
    return {}


@operation("BatchUpdatePartition")
def batch_update_partition(ctx: RequestContext, body: Body) -> Body:
    failures = ctx.services.partitions.batch_update(
        body["DatabaseName"],
        body["TableName"],
        [(entry["PartitionValueList"], entry["PartitionInput"]) for entry in body["Entries"]],
    )
    return {"Errors": [failure_to_aws(f, "PartitionValueList") for f in failures]}


@operation("DeletePartition")
def delete_partition(ctx: RequestContext, body: Body) -> Body:
    ctx.services.partitions.delete(body["DatabaseName"], body["TableName"], body["PartitionValues"])
    return {}


@operation("BatchDeletePartition")
def batch_delete_partition(ctx: RequestContext, body: Body) -> Body:
    failures = ctx.services.partitions.batch_delete(
        body["DatabaseName"],
        body["TableName"],
        [item["Values"] for item in body.get("PartitionsToDelete") or []],
    )
    return {"Errors": [failure_to_aws(f) for f in failures]}


@operation("CreatePartitionIndex")
def create_partition_index(ctx: RequestContext, body: Body) -> Body:
    ctx.services.partition_indexes.create(
        body["DatabaseName"], body["TableName"], body["PartitionIndex"]
    )
    return {}


@operation("GetPartitionIndexes")
def get_partition_indexes(ctx: RequestContext, body: Body) -> Body:
    indexes = ctx.services.partition_indexes.list(body["DatabaseName"], body["TableName"])
    page, token = page_of("GetPartitionIndexes", indexes, body.get("NextToken"), None, 100)
    result: Body = {"PartitionIndexDescriptorList": [partition_indexes.to_aws(i) for i in page]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("DeletePartitionIndex")
def delete_partition_index(ctx: RequestContext, body: Body) -> Body:
    ctx.services.partition_indexes.delete(
        body["DatabaseName"], body["TableName"], body["IndexName"]
    )
    return {}
