"""Create Order saga end to end: real dev server, real participants, real API."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support.sagas import (
    CREATE_ORDER_STEPS,
    Faults,
    Json,
    Records,
    available_credit,
    create_order_steps,
    place_order,
    saga_ends,
    step,
    steps,
)
from tests.support.seed import World, new_world
from tests.support.stack import FAST_SAGAS, Stack


async def test_happy_path_completes_and_every_participant_agrees(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 2), (1, 1)))
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga
    assert steps(saga) == dict.fromkeys(CREATE_ORDER_STEPS, "SUCCEEDED")
    assert saga["error"] is None and saga["past_pivot"] is True
    assert [s["attempts"] for s in saga["steps"]] == [1] * 6
    pair = "verify_consumer+create_ticket"  # version 2 runs them as a group
    assert [s["group"] for s in saga["steps"]] == [None, pair, pair, None, None, None]
    p, order_id = stack.participants, accepted["order_id"]
    order = (await stack.http.get(f"{p.orders.url}/orders/{order_id}")).json()
    ticket = (await stack.http.get(f"{p.kitchen.url}/tickets/{order_id}")).json()
    authorization = (await stack.http.get(f"{p.accounting.url}/authorizations/{order_id}")).json()
    assert order["state"] == "APPROVED" and order["total_cents"] == 2 * 1250 + 350
    assert ticket["state"] == "AWAITING_ACCEPTANCE"
    assert authorization["state"] == "AUTHORIZED" and authorization["amount_cents"] == 2850
    assert await available_credit(stack.http, p, world.consumer_id) == 100_000 - 2850


@dataclass
class Rejection:
    """A business rejection and what every participant must show afterwards."""

    code: str
    failed_step: str
    statuses: dict[str, str]
    records: tuple[str | None, str | None, str | None]  # order, ticket, authorization
    world: dict[str, Any] = field(default_factory=dict)
    body: Callable[[World], Json] = lambda world: world.order((0, 1))


REJECTIONS = {
    "suspended consumer": Rejection(
        "consumer_suspended",
        "verify_consumer",
        create_order_steps("COMPENSATED", "FAILED", "COMPENSATED"),  # its group partner too
        ("REJECTED", "REJECTED", None),
        world={"consumer_status": "SUSPENDED"},
    ),
    "unknown consumer": Rejection(
        "consumer_not_found",
        "verify_consumer",
        create_order_steps("COMPENSATED", "FAILED", "COMPENSATED"),  # its group partner too
        ("REJECTED", "REJECTED", None),
        body=lambda world: world.order((0, 1), consumer_id="nobody"),
    ),
    "unknown menu item": Rejection(
        "unknown_menu_item",
        "create_order",
        create_order_steps("FAILED"),
        (None, None, None),
        body=lambda world: (
            world.order((0, 1)) | {"line_items": [{"menu_item_id": "x", "quantity": 1}]}
        ),
    ),
    "unknown restaurant": Rejection(
        "unknown_restaurant",
        "create_order",
        create_order_steps("FAILED"),
        (None, None, None),
        body=lambda world: world.order((0, 1)) | {"restaurant_id": "nowhere"},
    ),
    "restaurant closed": Rejection(
        "restaurant_not_accepting_orders",
        "create_ticket",
        create_order_steps("COMPENSATED", "SUCCEEDED", "FAILED"),
        ("REJECTED", None, None),
        world={"accepting": False},
    ),
    "card declined": Rejection(
        "card_declined",
        "authorize_card",
        create_order_steps("COMPENSATED", "SUCCEEDED", "COMPENSATED", "FAILED"),
        ("REJECTED", "REJECTED", "DECLINED"),
        world={"credit_cents": 1000},
    ),
}


@pytest.mark.parametrize("case", REJECTIONS.values(), ids=REJECTIONS.keys())
async def test_a_business_rejection_compensates_exactly_the_steps_done(
    stack: Stack, api: httpx.AsyncClient, case: Rejection
) -> None:
    world = await new_world(stack.http, stack.participants, **case.world)
    credit = await available_credit(stack.http, stack.participants, world.consumer_id)
    accepted = await place_order(api, case.body(world))
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPENSATED", saga
    assert saga["error"]["code"] == case.code
    assert steps(saga) == case.statuses
    assert step(saga, case.failed_step)["error"]["code"] == case.code
    assert step(saga, case.failed_step)["attempts"] == 1, "a business rejection is not retried"
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == case.records
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == credit


async def test_a_technical_failure_is_retried_and_the_saga_completes(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.add(stack.participants.kitchen, "/tickets", status=503, times=2)
    accepted = await place_order(api, world.order((1, 1)))
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga
    assert step(saga, "create_ticket")["attempts"] == 3
    assert step(saga, "create_ticket")["error"] is None
    assert step(saga, "approve_ticket")["attempts"] == 1
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")


async def test_a_step_out_of_retries_compensates(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.add(stack.participants.kitchen, "/tickets", status=503)
    accepted = await place_order(api, world.order((1, 1)))
    saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPENSATED", saga
    assert saga["error"]["code"] == "retries_exhausted"
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "FAILED")
    ticket_step = step(saga, "create_ticket")
    assert ticket_step["attempts"] == FAST_SAGAS.step_max_attempts
    assert ticket_step["error"]["code"] == "retries_exhausted"
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == ("REJECTED", None, None)
