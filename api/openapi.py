"""The OpenAPI document: the bearer scheme and every status code each operation can answer,
with the error body's schema. Declared here as data, applied to what FastAPI generates, so
routes stay free of documentation plumbing."""

import json
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from workflows.registry import DEFINITIONS
from workflows.state import SagaStatus

REF = "#/components/schemas/{model}"
ERROR = "ErrorResponse"
READINESS = "Readiness"
BEARER = "HTTPBearer"

# What each status means, whatever the operation.
MEANINGS = {
    400: "The request cannot be read: a body that is not JSON text, or a page token this "
    "listing did not issue (`invalid_page_token`)",
    401: "No valid bearer token (`unauthorized`)",
    404: "No such resource",
    409: "The resource is in a state that does not allow this (e.g. `order_not_cancellable`)",
    413: "The request body is larger than the API accepts (`body_too_large`)",
    422: "The request is not valid (`invalid_request`, with `details`) or a business rule says "
    "no (e.g. `idempotency_key_reused`)",
    503: "Temporal or an internal service is unreachable (`temporal_unavailable`, "
    "`service_unavailable`); try again later",
}

# (method, path) -> the error statuses an operation answers besides those every operation of its
# kind answers (401 when protected, 413 with a body, 422 with parameters or a body).
# Operations that do not exist yet are listed as DESIGN.md §5 has them.
ERRORS: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "/healthz"): (),
    ("GET", "/readyz"): (503,),
    ("GET", "/metrics"): (),
    ("POST", "/orders"): (422, 503),
    ("GET", "/orders/{order_id}"): (404, 503),
    ("POST", "/orders/{order_id}/cancel"): (404, 409, 503),
    ("POST", "/orders/{order_id}/revise"): (404, 409, 503),
    ("GET", "/sagas"): (400, 503),
    ("GET", "/sagas/{saga_id}"): (404, 503),
    ("POST", "/sagas/{saga_id}/cancel"): (404, 409, 503),
    ("POST", "/sagas/{saga_id}/resolve"): (404, 409, 503),
    ("GET", "/sagas/{saga_id}/events"): (404, 503),
    ("GET", "/sagas/{saga_id}/diagram"): (404, 503),
    ("GET", "/saga-types"): (),
    ("GET", "/saga-types/{saga_type}/diagram"): (404,),
    ("GET", "/audit"): (503,),
    ("GET", "/consumers/{consumer_id}/orders"): (400, 503),
    ("POST", "/codec/decode"): (),
    ("POST", "/codec/encode"): (),
}
# Query parameters the route checks against a fixed vocabulary (the order-history view checks
# `state`): the document lists the values.
ORDER_STATES = [
    "APPROVAL_PENDING", "APPROVED", "REJECTED", "CANCEL_PENDING", "CANCELLED", "REVISION_PENDING",
]  # fmt: skip
QUERY_VALUES: dict[tuple[str, str], dict[str, list[str]]] = {
    ("GET", "/sagas"): {"saga_type": sorted(DEFINITIONS), "status": list(SagaStatus.__members__)},
    ("GET", "/consumers/{consumer_id}/orders"): {"state": ORDER_STATES},
}
# Links: the saga a 202 answer started can be read, cancelled and resolved next.
SAGA_OPERATIONS = {
    "GetSaga": ("get", "/sagas/{saga_id}"),
    "CancelSaga": ("post", "/sagas/{saga_id}/cancel"),
    "ResolveSaga": ("post", "/sagas/{saga_id}/resolve"),
}
LINKS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("POST", "/orders"): SAGA_OPERATIONS,
    ("POST", "/orders/{order_id}/cancel"): SAGA_OPERATIONS,
    ("POST", "/orders/{order_id}/revise"): SAGA_OPERATIONS,
}
# These answer their own body, not the error body, with any status they declare.
OWN_BODIES = {("GET", "/readyz"): READINESS}


def absent_not_null(schema: dict[str, Any]) -> None:
    """The field is left out when empty: it has no null default to document."""
    schema.pop("default", None)


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: branch on this")
    message: str = Field(description="For people; may change")
    details: SkipJsonSchema[None] | list[dict[str, Any]] = Field(
        default=None,
        description="Validation errors only: where and why",
        json_schema_extra=absent_not_null,
    )


class ErrorResponse(BaseModel):
    """Every error the API answers."""

    error: ErrorDetail


class Readiness(BaseModel):
    status: str
    checks: dict[str, Any]


def install_openapi(app: FastAPI) -> None:
    """Document the errors once, the first time the document is asked for."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(component_schemas())
    components["securitySchemes"] = {BEARER: {"type": "http", "scheme": "bearer"}}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            document_operation(method.upper(), path, operation)
            link_saga(method.upper(), path, operation, schema["paths"])
    drop_unused(components["schemas"], schema)
    return schema


def component_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (ErrorResponse, Readiness):
        generated = model.model_json_schema(ref_template=REF, mode="validation")
        schemas |= generated.pop("$defs", {})
        schemas[model.__name__] = generated
    return schemas


def document_operation(method: str, path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    list_values(operation, QUERY_VALUES.get((method, path), {}))
    own = OWN_BODIES.get((method, path))
    if own:  # its success answer has the same body
        responses["200"]["content"] = response(200, own)["content"]
    for status in statuses(method, path, operation):
        responses[str(status)] = response(status, own or ERROR)


def statuses(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    """Every error status of an operation: its kind's, then its own from ERRORS."""
    found = set(ERRORS.get((method, path), (503,)))
    if operation.get("security"):
        found.add(401)
    if "requestBody" in operation:
        found |= {400, 413, 422}
    if operation.get("parameters"):
        found.add(422)
    return sorted(found)


def link_saga(method: str, path: str, operation: dict[str, Any], paths: dict[str, Any]) -> None:
    links = {
        name: {
            "operationRef": "#/paths/" + target.replace("/", "~1") + "/" + target_method,
            "parameters": {"saga_id": "$response.body#/saga_id"},
        }
        for name, (target_method, target) in LINKS.get((method, path), {}).items()
        if target_method in paths.get(target, {})
    }
    if links:
        operation["responses"]["202"]["links"] = links


def list_values(operation: dict[str, Any], values: dict[str, list[str]]) -> None:
    """An empty value filters nothing, like leaving the parameter out."""
    for parameter in operation.get("parameters", []):
        if parameter["name"] in values:
            parameter["schema"] = {"enum": ["", *values[parameter["name"]]], "type": "string"}


def response(status: int, model: str) -> dict[str, Any]:
    schema = {"$ref": REF.format(model=model)}
    description = MEANINGS.get(status, "OK")
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def drop_unused(schemas: dict[str, Any], document: dict[str, Any]) -> None:
    """FastAPI's own validation error models, now that 422 has the error body."""
    paths = json.dumps(document["paths"])
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"{REF.format(model=name)}"' not in paths:
            schemas.pop(name, None)
