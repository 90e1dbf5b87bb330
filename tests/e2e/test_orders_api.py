"""POST /orders and GET /orders/{id}: idempotency, authentication, validation."""

import httpx
import pytest
from temporalio.client import Client

from tests.support.eventually import eventually_async
from tests.support.participants import assert_error
from tests.support.sagas import place_order, saga_ends, unique
from tests.support.seed import new_world
from tests.support.stack import Stack


async def executions(client: Client, saga_id: str) -> list[str]:
    """Every run of the workflow with this id that visibility knows of."""
    query = f"WorkflowId = '{saga_id}'"
    return [execution.run_id async for execution in client.list_workflows(query)]


async def test_the_same_key_and_body_start_one_saga(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    key = unique("cart")
    first = await place_order(api, world.order((0, 1)), key)
    again = await place_order(api, world.order((0, 1)), key)
    assert (again["order_id"], again["saga_id"]) == (first["order_id"], first["saga_id"])
    assert first["saga_id"] == f"create-order-{first['order_id']}"
    await saga_ends(api, first["saga_id"])
    after_the_end = await place_order(api, world.order((0, 1)), key)
    assert after_the_end["saga_id"] == first["saga_id"]
    assert after_the_end["status"] == "COMPLETED"

    async def one_run() -> None:
        assert len(await executions(stack.client, first["saga_id"])) == 1

    await eventually_async(one_run)


async def test_the_same_key_with_another_body_is_refused(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    key = unique("cart")
    first = await place_order(api, world.order((0, 1)), key)
    response = await api.post("/orders", json=world.order((0, 2)), headers={"Idempotency-Key": key})
    assert_error(response, 422, "idempotency_key_reused")
    saga = await saga_ends(api, first["saga_id"])
    assert saga["status"] == "COMPLETED"


async def test_without_a_key_every_post_is_a_new_order(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    first = await place_order(api, world.order((0, 1)))
    second = await place_order(api, world.order((0, 1)))
    assert first["order_id"] != second["order_id"]


async def test_keys_belong_to_their_caller(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    key = unique("cart")
    mine = await place_order(api, world.order((0, 1)), key)
    async with stack.api_client("alice-token") as alice:
        hers = await place_order(alice, world.order((0, 1)), key)
    assert mine["order_id"] != hers["order_id"]


@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["no token", "wrong token"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/orders"), ("GET", "/orders/x"), ("GET", "/sagas"), ("GET", "/sagas/x")],
)
async def test_every_endpoint_needs_a_valid_token(
    stack: Stack, token: str | None, method: str, path: str
) -> None:
    async with stack.api_client(token) as anonymous:
        response = await anonymous.request(method, path, json={})
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == "unauthorized" and error["message"]


async def test_health_needs_no_token(stack: Stack) -> None:
    async with stack.api_client(None) as anonymous:
        assert (await anonymous.get("/healthz")).status_code == 200


MALFORMED = {
    "empty object": {},
    "no line items": {"consumer_id": "c", "restaurant_id": "r"},
    "line items not a list": {"consumer_id": "c", "restaurant_id": "r", "line_items": "x"},
    "quantity not a number": {
        "consumer_id": "c",
        "restaurant_id": "r",
        "line_items": [{"menu_item_id": "m", "quantity": "two"}],
    },
    "unknown field": {"consumer_id": "c", "restaurant_id": "r", "line_items": [], "price": 1},
    "empty consumer id": {"consumer_id": "", "restaurant_id": "r", "line_items": []},
    "a list, not an object": [],
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_order_is_refused(api: httpx.AsyncClient, body: object) -> None:
    response = await api.post("/orders", json=body)
    assert response.status_code == 422, response.text


async def test_a_body_that_is_not_json_is_refused(api: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    response = await api.post("/orders", content=b"{not json", headers=headers)
    assert response.status_code == 422, response.text


async def test_get_order_shows_the_order(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 2)))
    await saga_ends(api, accepted["saga_id"])
    response = await api.get(f"/orders/{accepted['order_id']}")
    assert response.status_code == 200, response.text
    order = response.json()
    assert order["order_id"] == accepted["order_id"]
    assert (order["consumer_id"], order["restaurant_id"]) == (
        world.consumer_id,
        world.restaurant_id,
    )
    assert (order["state"], order["total_cents"]) == ("APPROVED", 2500)
    assert [item["quantity"] for item in order["line_items"]] == [2]


async def test_get_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get(f"/orders/{unique('nothing')}")
    assert_error(response, 404, "order_not_found")
