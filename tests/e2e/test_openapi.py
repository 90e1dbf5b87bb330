"""The OpenAPI document declares the bearer scheme and every status code each operation can
answer, with the error body's schema (DESIGN §5)."""

from typing import Any

import pytest

from api.openapi import ERRORS, ORDER_STATES
from http_contract.order_states import OrderState
from tests.support.api_app import api_client
from workflows.registry import DEFINITIONS, SAGAS

OPEN = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")}
ERROR_REF = "#/components/schemas/ErrorResponse"
# DESIGN §5, as the error statuses each operation must declare.
EXPECTED = {
    ("POST", "/orders"): {400, 401, 413, 422, 503},
    ("GET", "/orders/{order_id}"): {401, 404, 422, 503},
    ("POST", "/orders/{order_id}/cancel"): {401, 404, 409, 422, 503},
    ("GET", "/sagas"): {400, 401, 422, 503},
    ("GET", "/sagas/{saga_id}"): {401, 404, 422, 503},
    ("POST", "/sagas/{saga_id}/cancel"): {401, 404, 409, 422, 503},
    ("POST", "/sagas/{saga_id}/resolve"): {400, 401, 404, 409, 413, 422, 503},
    ("GET", "/consumers/{consumer_id}/orders"): {400, 401, 422, 503},
    ("GET", "/readyz"): {503},
}
Operations = dict[tuple[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
async def document() -> dict[str, Any]:
    async with api_client() as api:
        response = await api.get("/openapi.json")
    assert response.status_code == 200, response.text
    schema: dict[str, Any] = response.json()
    return schema


@pytest.fixture(scope="module")
def operations(document: dict[str, Any]) -> Operations:
    return {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def error_statuses(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"] if int(status) >= 400}


def test_the_bearer_scheme_is_declared(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"HTTPBearer": {"type": "http", "scheme": "bearer"}}


def test_every_protected_operation_needs_the_bearer_token(operations: Operations) -> None:
    protected = {key: op for key, op in operations.items() if key not in OPEN}
    assert protected
    for key, operation in protected.items():
        assert operation.get("security") == [{"HTTPBearer": []}], key
        assert 401 in error_statuses(operation), key
    for key in OPEN & operations.keys():
        assert "security" not in operations[key], key


def test_every_operation_declares_its_errors_on_purpose(operations: Operations) -> None:
    """A new route needs its line in api/openapi.py ERRORS: what can it answer?"""
    assert sorted(operations.keys() - ERRORS.keys()) == []


@pytest.mark.parametrize(("key", "statuses"), EXPECTED.items(), ids=[" ".join(k) for k in EXPECTED])
def test_each_operation_declares_the_statuses_it_answers(
    operations: Operations, key: tuple[str, str], statuses: set[int]
) -> None:
    assert error_statuses(operations[key]) == statuses


def test_every_error_answer_has_the_error_body(operations: Operations) -> None:
    for key, operation in operations.items():
        if key == ("GET", "/readyz"):
            continue  # its 503 is its readiness report
        for status in error_statuses(operation):
            content = operation["responses"][str(status)]["content"]
            assert content["application/json"]["schema"] == {"$ref": ERROR_REF}, (key, status)


def test_the_error_body_is_a_named_component(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorResponse"]["required"] == ["error"]
    detail = schemas["ErrorDetail"]
    assert detail["required"] == ["code", "message"]
    assert detail["properties"]["details"]["type"] == "array"
    assert "HTTPValidationError" not in schemas, "422 answers the error body, not FastAPI's"


def test_saga_and_order_ids_are_bounded_in_the_document(operations: Operations) -> None:
    [order_id] = operations[("GET", "/orders/{order_id}")]["parameters"]
    assert order_id["schema"]["maxLength"] == 64
    assert order_id["schema"]["pattern"] == "^[A-Za-z0-9_-]{1,64}$"
    [saga_id] = [
        p for p in operations[("GET", "/sagas/{saga_id}")]["parameters"] if p["name"] == "saga_id"
    ]
    assert saga_id["schema"]["pattern"] == SAGAS.saga_id_pattern()  # one shape per saga type
    assert "create-order-[A-Za-z0-9_-]{1,64}|" in saga_id["schema"]["pattern"]


def test_the_order_states_listed_are_those_the_view_knows() -> None:
    assert [state.value for state in OrderState] == ORDER_STATES


def test_query_vocabularies_are_listed(operations: Operations) -> None:
    parameters = {p["name"]: p["schema"] for p in operations[("GET", "/sagas")]["parameters"]}
    assert parameters["saga_type"]["enum"] == ["", *sorted(DEFINITIONS)]
    assert "NEEDS_ATTENTION" in parameters["status"]["enum"]


def test_a_started_saga_links_to_its_operations(operations: Operations) -> None:
    links = operations[("POST", "/orders")]["responses"]["202"]["links"]
    assert links["GetSaga"] == {
        "operationRef": "#/paths/~1sagas~1{saga_id}/get",
        "parameters": {"saga_id": "$response.body#/saga_id"},
    }
    assert {"CancelSaga", "ResolveSaga"} <= links.keys()
