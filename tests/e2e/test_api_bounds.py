"""Input bounds (DESIGN §5): anything out of bounds is a 422 at the API and starts no saga."""

from typing import Any

import httpx
import pytest
from temporalio.service import RPCError, RPCStatusCode

from api.routes.orders import new_order_id
from tests.support.api_app import TOKEN as APP_TOKEN
from tests.support.api_app import api_client
from tests.support.participants import assert_error
from tests.support.sagas import Json, place_order, saga_ends, unique
from tests.support.seed import new_world
from tests.support.stack import Stack

OPERATOR = "operator"  # the name of the stack's main token
VALID: Json = {
    "consumer_id": "consumer-1",
    "restaurant_id": "restaurant_1",
    "line_items": [{"menu_item_id": "naan", "quantity": 1}],
}
LINE = VALID["line_items"][0]
TOO_LONG_ID = "x" * 65
APP_AUTH = {"Authorization": f"Bearer {APP_TOKEN}"}


def with_items(*items: Json) -> Json:
    return VALID | {"line_items": list(items)}


def with_quantity(quantity: Any) -> Json:
    return with_items(LINE | {"quantity": quantity})


OUT_OF_BOUNDS: dict[str, Json] = {
    "negative quantity": with_quantity(-25259),
    "quantity 0": with_quantity(0),
    "quantity 1001": with_quantity(1001),
    "quantity beyond 64 bits": with_quantity(2**70),
    "quantity as a float": with_quantity(2097152.0),
    "quantity as an integral float": with_quantity(2.0),
    "quantity as a bool": with_quantity(True),
    "quantity as a string of digits": with_quantity("2"),
    "quantity null": with_quantity(None),
    "no line items": with_items(),
    "51 line items": with_items(*[LINE] * 51),
    "empty menu item id": with_items(LINE | {"menu_item_id": ""}),
    "menu item id of 65 characters": with_items(LINE | {"menu_item_id": TOO_LONG_ID}),
    "menu item id with a dot": with_items(LINE | {"menu_item_id": "naan.1"}),
    "consumer id with a colon": VALID | {"consumer_id": "c:1"},
    "consumer id with a space": VALID | {"consumer_id": "c 1"},
    "consumer id not ASCII": VALID | {"consumer_id": "cönsumer"},
    "consumer id of 65 characters": VALID | {"consumer_id": TOO_LONG_ID},
    "consumer id a number": VALID | {"consumer_id": 12},
    "restaurant id with a slash": VALID | {"restaurant_id": "r/1"},
    "restaurant id empty": VALID | {"restaurant_id": ""},
}


async def saga_exists(stack: Stack, saga_id: str) -> bool:
    try:
        await stack.client.get_workflow_handle(saga_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


def assert_invalid_request(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request", error
    assert error["message"] and isinstance(error["details"], list), error


@pytest.mark.parametrize("body", OUT_OF_BOUNDS.values(), ids=OUT_OF_BOUNDS.keys())
async def test_an_order_out_of_bounds_is_refused_before_any_saga(
    stack: Stack, api: httpx.AsyncClient, body: Json
) -> None:
    key = unique("bounds")
    response = await api.post("/orders", json=body, headers={"Idempotency-Key": key})
    assert_invalid_request(response)
    assert not await saga_exists(stack, f"create-order-{new_order_id(OPERATOR, key)}")


async def test_the_bounds_themselves_are_accepted(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=10**9)
    body = world.order(*[(0, 1)] * 49, (1, 1000))
    accepted = await place_order(api, body)
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga


async def test_the_refusal_still_holds_for_a_valid_body(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    """The probe of the tests above can see a saga: a valid body with a key does start one."""
    key = unique("bounds")
    response = await api.post("/orders", json=VALID, headers={"Idempotency-Key": key})
    assert response.status_code == 202, response.text
    assert await saga_exists(stack, f"create-order-{new_order_id(OPERATOR, key)}")


ORDER_PATHS = ["/orders/{}", "/orders/{}/cancel", "/consumers/{}/orders"]
BAD_PATH_IDS = {
    "dot": "a.b",
    "colon": "a:b",
    "65 characters": TOO_LONG_ID,
    "space": "a%20b",
    "not ASCII": "%C3%A9",
}


BAD_SAGA_IDS = {
    "not a saga id shape": "anything",
    "unknown saga prefix": "refund-order-x",
    "order id too long": f"create-order-{TOO_LONG_ID}",
    "dot": "create-order-a.b",
    "colon": "cancel-order-a:b",
    "revision not a number": "revise-order-a-b.1",
}


SAGA_PATHS = ["/sagas/{}", "/sagas/{}/cancel"]
# Every path with an id of its kind, each malformed id.
MALFORMED = {
    f"{template} {name}": template.format(bad)
    for templates, bad_ids in ((ORDER_PATHS, BAD_PATH_IDS), (SAGA_PATHS, BAD_SAGA_IDS))
    for template in templates
    for name, bad in bad_ids.items()
}


@pytest.mark.parametrize("path", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_id_in_a_path_is_refused(api: httpx.AsyncClient, path: str) -> None:
    method = api.post if path.endswith("/cancel") else api.get
    assert_invalid_request(await method(path))


@pytest.mark.parametrize(
    "saga_id",
    ["create-order-{}", "cancel-order-{}", "revise-order-{}-3"],
)
async def test_every_saga_id_shape_is_accepted(api: httpx.AsyncClient, saga_id: str) -> None:
    response = await api.get(f"/sagas/{saga_id.format(unique('o'))}")
    assert_error(response, 404, "saga_not_found")


@pytest.mark.parametrize("path", ["/codec/encode", "/codec/decode"])
@pytest.mark.parametrize("field", ["data", "metadata"])
async def test_a_codec_payload_that_is_not_ascii_is_refused(path: str, field: str) -> None:
    payload = {"data": "é"} if field == "data" else {"metadata": {"encoding": "é"}}
    async with api_client() as api:
        response = await api.post(path, json={"payloads": [payload]}, headers=APP_AUTH)
    assert_error(response, 422, "invalid_payloads")
