"""Cancel Order saga end to end: POST /orders/{id}/cancel after a completed Create Order."""

import httpx

from tests.support.participants import assert_error
from tests.support.sagas import (
    Records,
    available_credit,
    place_order,
    saga_ends,
    step,
    steps,
    unique,
)
from tests.support.seed import World, new_world
from tests.support.stack import Stack

STEPS = [
    "begin_cancel",
    "begin_cancel_ticket",
    "reverse_authorization",
    "confirm_cancel_ticket",
    "confirm_cancel",
]


async def approved_order(stack: Stack, api: httpx.AsyncClient, world: World) -> str:
    accepted = await place_order(api, world.order((0, 2)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPLETED"
    order_id: str = accepted["order_id"]
    return order_id


async def test_cancel_order_undoes_everything_the_order_holds(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(stack, api, world)
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 97_500
    response = await api.post(f"/orders/{order_id}/cancel")
    assert response.status_code == 202, response.text
    assert response.json() == {"saga_id": f"cancel-order-{order_id}", "status": "RUNNING"}
    saga = await saga_ends(api, f"cancel-order-{order_id}")
    assert (saga["status"], saga["saga_type"], saga["error"]) == ("COMPLETED", "CancelOrder", None)
    assert steps(saga) == dict.fromkeys(STEPS, "SUCCEEDED")
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("CANCELLED", "CANCELLED", "REVERSED")
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 100_000
    again = await api.post(f"/orders/{order_id}/cancel")
    assert_error(again, 409, "order_not_cancellable")


async def test_cancel_of_an_order_that_is_not_approved_is_refused(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    accepted = await place_order(api, world.order((0, 1)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPENSATED"
    response = await api.post(f"/orders/{accepted['order_id']}/cancel")
    assert_error(response, 409, "order_not_cancellable")
    missing = await api.get(f"/sagas/cancel-order-{accepted['order_id']}")
    assert missing.status_code == 404, "no Cancel Order saga may start"


async def test_cancel_of_an_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post(f"/orders/{unique('nothing')}/cancel")
    assert_error(response, 404, "order_not_found")


async def test_cancel_order_refused_at_its_pivot_restores_the_order(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    """A business rejection at the pivot: the authorization was reversed already (by hand)."""
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(stack, api, world)
    reverse = f"{stack.participants.accounting.url}/authorizations/{order_id}/reverse"
    assert (
        await stack.http.post(reverse, headers={"Idempotency-Key": unique("by-hand")})
    ).is_success
    assert (await api.post(f"/orders/{order_id}/cancel")).status_code == 202
    saga = await saga_ends(api, f"cancel-order-{order_id}")
    assert saga["status"] == "COMPENSATED", saga
    assert saga["error"]["code"] == "authorization_not_reversible"
    assert steps(saga) == dict(
        zip(STEPS, ["COMPENSATED", "COMPENSATED", "FAILED", "SKIPPED", "SKIPPED"], strict=True)
    )
    assert step(saga, "reverse_authorization")["attempts"] == 1
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "REVERSED")
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 100_000
