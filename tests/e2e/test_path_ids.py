"""Ids in paths are validated before they are forwarded to internal services."""

import pytest

from tests.support.stack import Stack


@pytest.mark.parametrize(
    "path",
    ["/orders/.x", "/orders/bad%20id", "/orders/a%3Fb", "/orders/x" + "y" * 120,
     "/orders/.hidden/cancel", "/consumers/a%23b/orders", "/sagas/create-order-a%20b"],
)  # fmt: skip
async def test_malformed_ids_are_refused_before_forwarding(stack: Stack, path: str) -> None:
    async with stack.api_client() as api:
        method = api.post if path.endswith("/cancel") else api.get
        response = await method(path)
    assert response.status_code == 422, response.text


async def test_an_encoded_slash_never_reaches_an_internal_service(stack: Stack) -> None:
    async with stack.api_client() as api:
        response = await api.get("/consumers/..%2F..%2Fadmin/orders")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
