"""A crawler's JdbcTargets, planned through the catalog Connection each one names.

The metadata reading itself is ``openglue.crawler.jdbc_target``; this module only resolves the
connection (with its password, which the crawl needs and GetConnection may hide) and hands
over the target's members.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openglue.catalog.connections import ConnectionService, to_aws
from openglue.crawler.crawl import PlanJdbc
from openglue.crawler.plan import TargetPlan
from openglue.errors import InvalidInputException


def jdbc_planner(connections: ConnectionService) -> PlanJdbc:
    def plan(target: Mapping[str, Any]) -> TargetPlan:
        # Imported at the first JDBC crawl: the database drivers are not needed before.
        from openglue.crawler.jdbc_target import plan_jdbc_target

        name = target.get("ConnectionName")
        if not name:
            raise InvalidInputException(
                "A JdbcTargets entry needs a ConnectionName: the catalog Connection "
                "(CreateConnection) holding the database's JDBC URL and credentials"
            )
        return plan_jdbc_target(
            to_aws(connections.get(name)),
            target.get("Path") or "",
            target.get("Exclusions") or (),
            target.get("EnableAdditionalMetadata") or (),
        )

    return plan
