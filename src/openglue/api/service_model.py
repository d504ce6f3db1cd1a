"""botocore's service models are our protocol spec (design decision 1).

Nothing here retypes a shape: operation names, input/output shapes, limits and error names
are all read from the model that ships with botocore.
"""

from __future__ import annotations

from functools import cache

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel


@cache
def service_model(service: str) -> ServiceModel:
    """The model for ``service`` (``glue``, later ``logs``), loaded once per process."""
    loader = Loader()
    return ServiceModel(loader.load_service_model(service, "service-2"), service_name=service)


def glue_model() -> ServiceModel:
    return service_model("glue")


@cache
def operation_names(service: str) -> frozenset[str]:
    return frozenset(service_model(service).operation_names)


def operation(service: str, name: str) -> OperationModel:
    return service_model(service).operation_model(name)


@cache
def paginated_operations(service: str) -> frozenset[str]:
    """Operations botocore has a paginator for (the AWS CLI auto-paginates exactly these)."""
    loader = Loader()
    try:
        data = loader.load_service_model(service, "paginators-1")
    except Exception:
        return frozenset()
    return frozenset(data.get("pagination", {}))
