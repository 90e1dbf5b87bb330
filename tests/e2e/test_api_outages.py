"""An outage is a 503 with an error code, never a 500: Temporal gone after the API started,
internal services unreachable."""

from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RetryConfig

from api.config import ApiSettings
from api.main import create_app
from temporal_client.connection import TemporalSettings
from tests.support.participants import assert_error
from tests.support.temporal import start_dev_server

TOKEN = "outage-token"
CLOSED_PORT = "http://127.0.0.1:9"
ORDER = {
    "consumer_id": "c1",
    "restaurant_id": "r1",
    "line_items": [{"menu_item_id": "m1", "quantity": 1}],
}
# The SDK retries an unreachable server for up to 10 s by default; one quick retry is enough here.
QUICK = RetryConfig(initial_interval_millis=50, max_retries=1, max_elapsed_time_millis=2000)


@pytest.fixture(scope="module")
async def temporal_gone() -> AsyncIterator[Client]:
    """A client that connected to a real dev server which has shut down since."""
    env = await start_dev_server()
    target = env.client.service_client.config.target_host
    client = await Client.connect(target, retry_config=QUICK)
    await env.shutdown()
    yield client


@pytest.fixture
async def api(temporal_gone: Client) -> AsyncIterator[httpx.AsyncClient]:
    settings = ApiSettings.model_validate(
        {"token": TOKEN, "orders_url": CLOSED_PORT, "order_history_url": CLOSED_PORT}
    )
    app = create_app(settings, temporal_settings=TemporalSettings(), temporal_client=temporal_gone)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api", headers=headers) as client,
    ):
        yield client


TEMPORAL_CALLS = {
    "start a saga": ("POST", "/orders", ORDER),
    "read a saga": ("GET", "/sagas/create-order-o1", None),
    "list sagas": ("GET", "/sagas", None),
    "cancel a saga": ("POST", "/sagas/create-order-o1/cancel", None),
    "resolve a saga": ("POST", "/sagas/create-order-o1/resolve", {"action": "skip", "reason": "r"}),
}


@pytest.mark.parametrize(("method", "path", "body"), TEMPORAL_CALLS.values(), ids=TEMPORAL_CALLS)
async def test_temporal_unreachable_is_503(
    api: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    response = await api.request(method, path, json=body)
    assert_error(response, 503, "temporal_unavailable")
    assert response.headers["Retry-After"]


SERVICE_CALLS = {
    "read an order": ("GET", "/orders/o1"),
    "cancel an order": ("POST", "/orders/o1/cancel"),
    "order history": ("GET", "/consumers/c1/orders"),
}


@pytest.mark.parametrize(("method", "path"), SERVICE_CALLS.values(), ids=SERVICE_CALLS)
async def test_an_internal_service_unreachable_is_503(
    api: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await api.request(method, path)
    assert_error(response, 503, "service_unavailable")


async def test_readiness_says_temporal_is_unreachable(api: httpx.AsyncClient) -> None:
    response = await api.get("/readyz")
    assert response.status_code == 503, response.text
    assert response.json()["checks"]["temporal"].startswith("unreachable")
