"""POST /sagas/{id}/cancel: before its pivot a saga undoes exactly the steps it started and ends
CANCELLED; once the pivot has started it finishes forward."""

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from api.sagas import start_saga
from tests.support.participants import assert_error
from tests.support.sagas import (
    Faults,
    Json,
    Records,
    available_credit,
    create_order_steps,
    order_held_at,
    place_order,
    saga_ends,
    step,
    step_runs,
    step_succeeds,
    steps,
    unique,
)
from tests.support.seed import World, new_world
from tests.support.servers import RunningServer
from tests.support.stack import FAST_SAGAS, Participants, Stack
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem, create_order_saga_id


@dataclass
class Hold:
    """A pre-pivot step a Create Order saga is held at, and what cancelling it there leaves."""

    step: str
    participant: Callable[[Participants], RunningServer]
    path: Callable[[World], str]
    statuses: dict[str, str]
    records: tuple[str | None, str | None, str | None]  # order, ticket, authorization
    action: Callable[[World, str], Json] | None = None  # the held call's body, if it writes
    partner: str | None = None  # the held step's group partner: cancelled once it succeeded


def order_body(world: World, order_id: str) -> Json:
    return world.order((0, 1)) | {"order_id": order_id}


HOLDS = {
    "create_order": Hold(
        "create_order",
        lambda p: p.orders,
        lambda world: "/orders",
        create_order_steps("FAILED"),
        (None, None, None),
        action=order_body,
    ),
    "verify_consumer": Hold(  # its group partner create_ticket runs on and is undone too
        "verify_consumer",
        lambda p: p.consumers,
        lambda world: f"/consumers/{world.consumer_id}/verify",
        create_order_steps("COMPENSATED", "FAILED", "COMPENSATED"),
        ("REJECTED", "REJECTED", None),
        partner="create_ticket",
    ),
    "create_ticket": Hold(
        "create_ticket",
        lambda p: p.kitchen,
        lambda world: "/tickets",
        create_order_steps("COMPENSATED", "SUCCEEDED", "FAILED"),
        ("REJECTED", None, None),
        action=order_body,
        partner="verify_consumer",
    ),
}


@pytest.mark.parametrize("hold", HOLDS.values(), ids=HOLDS.keys())
async def test_cancel_before_the_pivot_undoes_exactly_the_started_steps(
    stack: Stack, api: httpx.AsyncClient, faults: Faults, hold: Hold
) -> None:
    world = await new_world(stack.http, stack.participants)
    participant = hold.participant(stack.participants)
    await faults.hold(participant, hold.path(world))
    accepted = await place_order(api, world.order((0, 1)))
    saga_id, order_id = accepted["saga_id"], accepted["order_id"]
    await step_runs(api, saga_id, hold.step)
    if hold.partner is not None:
        await step_succeeds(api, saga_id, hold.partner)
    response = await api.post(f"/sagas/{saga_id}/cancel")
    assert response.status_code == 202, response.text
    assert response.json()["saga_id"] == saga_id
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "CANCELLED", saga
    assert saga["error"]["code"] == "cancelled"
    assert steps(saga) == hold.statuses
    assert step(saga, hold.step)["error"]["code"] == "cancelled"
    assert saga["past_pivot"] is False
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == hold.records
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 100_000
    if hold.action is not None:  # the held call, arriving late, is refused
        key = {"Idempotency-Key": f"{saga_id}:{hold.step}:action"}
        body = hold.action(world, order_id) | {"saga_id": saga_id}
        late = await stack.http.post(participant.url + hold.path(world), json=body, headers=key)
        assert_error(late, 409, "already_compensated")
        assert await records.all() == hold.records


async def test_cancel_once_the_pivot_has_started_is_refused_and_the_saga_completes(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    server = stack.participants.accounting
    accepted, held = await order_held_at(
        stack, api, faults, server, "/authorizations", "authorize_card"
    )
    response = await api.post(f"/sagas/{accepted['saga_id']}/cancel")
    assert_error(response, 409, "past_pivot")
    await faults.release(stack.participants.accounting, held)
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")


async def test_cancel_of_a_closed_saga_is_refused(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    await saga_ends(api, accepted["saga_id"])
    response = await api.post(f"/sagas/{accepted['saga_id']}/cancel")
    assert_error(response, 409, "saga_closed")
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPLETED"


async def test_cancel_of_an_unknown_saga_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post(f"/sagas/{unique('create-order')}/cancel")
    assert_error(response, 404, "saga_not_found")


async def test_a_cancelled_cancel_order_saga_leaves_the_order_approved(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    await saga_ends(api, accepted["saga_id"])
    order_id = accepted["order_id"]
    await faults.hold(stack.participants.kitchen, f"/tickets/{order_id}/cancel/begin")
    assert (await api.post(f"/orders/{order_id}/cancel")).status_code == 202
    saga_id = f"cancel-order-{order_id}"
    await step_runs(api, saga_id, "begin_cancel_ticket")
    assert (await api.post(f"/sagas/{saga_id}/cancel")).status_code == 202
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("CANCELLED", "cancelled")
    assert step(saga, "begin_cancel")["status"] == "COMPENSATED"
    assert step(saga, "begin_cancel_ticket")["status"] == "FAILED"  # cancelled before it applied
    assert step(saga, "reverse_authorization")["status"] == "SKIPPED"
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")


async def test_a_saga_held_past_its_deadline_before_the_pivot_is_cancelled(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.hold(stack.participants.kitchen, "/tickets")
    order_id = unique("order")
    line_items = [LineItem(world.menu[0]["id"], 1)]
    options = FAST_SAGAS.options(deadline_seconds=1)
    saga_input = CreateOrderInput(
        order_id, world.consumer_id, world.restaurant_id, line_items, options
    )
    saga_id = create_order_saga_id(order_id)
    await start_saga(stack.client, CREATE_ORDER.saga_type, saga_input, saga_id, stack.task_queue)
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("CANCELLED", "deadline_exceeded")
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "FAILED")
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("REJECTED", None, None)
