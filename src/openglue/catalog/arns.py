"""Glue resource ARNs: ``arn:<partition>:glue:<region>:<account>:<type>/<path>``.

The resource types and their path shapes follow "Specifying Glue resource ARNs" in the Glue
developer guide, e.g. ``database/sales``, ``table/sales/orders``,
``userDefinedFunction/sales/to_upper``, ``connection/pg``, ``job/nightly``,
``schema/registry/name``.
"""

from __future__ import annotations

from dataclasses import dataclass

from openglue.errors import InvalidInputException

# How many path segments each resource type has. The last segment takes the rest of the ARN,
# so a name containing "/" still parses.
PATH_SEGMENTS: dict[str, int] = {
    "catalog": 1,
    "database": 1,
    "table": 2,
    "userDefinedFunction": 2,
    "connection": 1,
    "crawler": 1,
    "job": 1,
    "trigger": 1,
    "workflow": 1,
    "blueprint": 1,
    "devEndpoint": 1,
    "mlTransform": 1,
    "session": 1,
    "registry": 1,
    "schema": 2,
    "dataQualityRuleset": 1,
    "customEntityType": 1,
    "usageProfile": 1,
}

_PATH_SHAPES = {
    "table": "<database>/<table>",
    "userDefinedFunction": "<database>/<function>",
    "schema": "<registry>/<schema>",
}

_EXAMPLE = "arn:aws:glue:us-east-1:123456789012:database/sales"


@dataclass(frozen=True)
class ResourceArn:
    region: str
    account: str
    kind: str
    path: tuple[str, ...]

    def __str__(self) -> str:
        # One spelling per resource: the partition is not part of a resource's identity here
        # (a server answers for a single region and account, both checked by the caller).
        return f"arn:aws:glue:{self.region}:{self.account}:{self.kind}/{'/'.join(self.path)}"


def parse_arn(text: str) -> ResourceArn:
    """Split a Glue resource ARN; ``InvalidInputException`` saying what is wrong otherwise."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "glue":
        raise InvalidInputException(
            f"ResourceArn {text!r} is not a Glue resource ARN: expected "
            f"arn:aws:glue:<region>:<account>:<type>/<name>, e.g. {_EXAMPLE}"
        )
    _, _, _, region, account, resource = parts
    if not region or not account:
        raise InvalidInputException(
            f"ResourceArn {text!r} must name a region and an account, e.g. {_EXAMPLE}"
        )
    kind, slash, rest = resource.partition("/")
    segments = PATH_SEGMENTS.get(kind)
    if segments is None:
        known = ", ".join(sorted(PATH_SEGMENTS))
        raise InvalidInputException(
            f"ResourceArn {text!r} has resource type {kind!r}, which Glue does not have; "
            f"the types are: {known}"
        )
    path = tuple(rest.split("/", segments - 1)) if slash else ()
    if len(path) != segments or not all(path):
        shape = _PATH_SHAPES.get(kind, "<name>")
        raise InvalidInputException(
            f"ResourceArn {text!r} does not name a {kind}: expected {kind}/{shape} after "
            "the account"
        )
    return ResourceArn(region, account, kind, path)
