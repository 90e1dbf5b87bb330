"""A pivot whose outcome is unknown is retried with the same idempotency key until the
participant answers: a participant that is always slower than the step timeout gets a longer
timeout round after round, and the saga finishes forward. Only a business rejection compensates."""

import httpx

from tests.support.sagas import (
    Faults,
    Records,
    available_credit,
    place_order,
    saga_ends,
    saga_reaches,
    step,
    steps,
)
from tests.support.seed import new_world
from tests.support.stack import FAST_SAGAS, Stack

# Later than the step timeout: every attempt of the first round commits and then times out.
SLOWER_THAN_A_STEP = int(FAST_SAGAS.step_timeout_seconds * 1000) + 1500
PIVOT_TIMEOUT = 90  # a first round of timeouts, then a round with a longer timeout


async def test_a_slow_authorization_completes_the_order(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    accounting = stack.participants.accounting
    await faults.add(accounting, "/authorizations", status=None, delay_ms=SLOWER_THAN_A_STEP)
    accepted = await place_order(api, world.order((0, 2)))
    waiting = await saga_reaches(api, accepted["saga_id"], "NEEDS_ATTENTION", PIVOT_TIMEOUT)
    pivot = step(waiting, "authorize_card")
    assert pivot["status"] == "RUNNING" and pivot["error"]["code"] == "retries_exhausted", pivot
    assert pivot["attempts"] >= FAST_SAGAS.step_max_attempts
    saga = await saga_ends(api, accepted["saga_id"], PIVOT_TIMEOUT)
    assert (saga["status"], saga["error"]) == ("COMPLETED", None), saga
    assert set(steps(saga).values()) == {"SUCCEEDED"}
    assert step(saga, "authorize_card")["attempts"] > FAST_SAGAS.step_max_attempts
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 97_500


async def test_a_slow_reversal_cancels_the_order(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 2)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPLETED"
    order_id = accepted["order_id"]
    reverse = f"/authorizations/{order_id}/reverse"
    await faults.add(
        stack.participants.accounting, reverse, status=None, delay_ms=SLOWER_THAN_A_STEP
    )
    assert (await api.post(f"/orders/{order_id}/cancel")).status_code == 202
    saga = await saga_ends(api, f"cancel-order-{order_id}", PIVOT_TIMEOUT)
    assert (saga["status"], saga["error"]) == ("COMPLETED", None), saga
    assert step(saga, "reverse_authorization")["attempts"] > FAST_SAGAS.step_max_attempts
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("CANCELLED", "CANCELLED", "REVERSED")
    assert await available_credit(stack.http, stack.participants, world.consumer_id) == 100_000


async def test_a_declined_card_still_compensates(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=1000)
    accepted = await place_order(api, world.order((0, 2)))
    saga = await saga_ends(api, accepted["saga_id"])
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "card_declined"), saga
    assert step(saga, "authorize_card")["attempts"] == 1
    records = Records(stack.http, stack.participants, accepted["order_id"])
    assert await records.all() == ("REJECTED", "REJECTED", "DECLINED")
