"""Scenario e: the pivot (authorize card) commits, then answers only after the step timeout,
on every attempt. Its outcome is unknown to the saga each time; the saga must still learn it and
complete, never compensate an order whose card was charged."""

import httpx
import pytest

from tests.reliability.faults import add_rule
from tests.reliability.load import (
    MENU_PRICE,
    Clients,
    audit_is_clean,
    every_saga_closes_once,
    seed,
)
from tests.reliability.stack import ProcessStack

SAGAS = 3
STEP_TIMEOUT_SECONDS = 3
ROUND_ATTEMPTS = 4


# A round of 4 attempts at 3 s, then the next round's timeout (6 s) outlasts the late answer (4 s).
@pytest.mark.saga_env(
    SAGA_STEP_TIMEOUT_SECONDS=str(STEP_TIMEOUT_SECONDS), SAGA_STEP_MAX_ATTEMPTS=str(ROUND_ATTEMPTS)
)
async def test_a_pivot_answering_too_late_every_time_still_completes(stack: ProcessStack) -> None:
    world = await seed(stack, credit_cents=SAGAS * MENU_PRICE)
    late = {"when": "after", "status": None, "delay_ms": STEP_TIMEOUT_SECONDS * 1000 + 1000}
    await add_rule(stack, "accounting", path=r"/authorizations", method="POST", times=None, **late)
    async with stack.api() as api:
        clients = Clients(api)
        await clients.place_all([world.order() for _ in range(SAGAS)], concurrency=SAGAS)
        assert await every_saga_closes_once(stack, clients, timeout=120) == {"COMPLETED": SAGAS}
        async with httpx.AsyncClient(timeout=30) as http:
            for ack in clients.acks.values():
                order_id = ack["order_id"]
                order = (await http.get(f"{stack.url('orders')}/orders/{order_id}")).json()
                url = f"{stack.url('accounting')}/authorizations/{order_id}"
                authorization = (await http.get(url)).json()
                assert (order["state"], authorization["state"]) == ("APPROVED", "AUTHORIZED")
        await audit_is_clean(api)
