"""Ids in paths are validated before they are forwarded to internal services."""

import pytest

from tests.support.stack import Stack


@pytest.mark.parametrize(
    "path",
    ["/orders/..", "/orders/bad%20id", "/orders/a%3Fb", "/consumers/..%2F..%2Fadmin/orders",
     "/orders/x" + "y" * 120, "/orders/.hidden/cancel"],
)  # fmt: skip
async def test_malformed_ids_are_refused(stack: Stack, path: str) -> None:
    async with stack.api_client() as api:
        method = api.post if path.endswith("/cancel") else api.get
        response = await method(path)
    assert response.status_code in (404, 422), response.text
