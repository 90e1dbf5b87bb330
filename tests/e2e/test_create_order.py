"""Create Order saga end to end: real dev server, real participants, real API."""

from typing import Any

import httpx

from tests.support.eventually import eventually_async
from tests.support.seed import new_world
from tests.support.stack import Stack

TERMINAL = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED"}


async def saga_ends(api: httpx.AsyncClient, saga_id: str) -> dict[str, Any]:
    async def terminal() -> dict[str, Any]:
        saga: dict[str, Any] = (await api.get(f"/sagas/{saga_id}")).json()
        assert saga["status"] in TERMINAL, saga["status"]
        return saga

    return await eventually_async(terminal, timeout=30)


async def test_happy_path_completes_and_every_participant_agrees(stack: Stack) -> None:
    world = await new_world(stack.http, stack.participants)
    async with stack.api_client() as api:
        accepted = (await api.post("/orders", json=world.order((0, 2), (1, 1)))).json()
        saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga
    assert [s["status"] for s in saga["steps"]] == ["SUCCEEDED"] * 6
    p, order_id = stack.participants, accepted["order_id"]
    order = (await stack.http.get(f"{p.orders.url}/orders/{order_id}")).json()
    ticket = (await stack.http.get(f"{p.kitchen.url}/tickets/{order_id}")).json()
    authorization = (await stack.http.get(f"{p.accounting.url}/authorizations/{order_id}")).json()
    account = (await stack.http.get(f"{p.accounting.url}/accounts/{world.consumer_id}")).json()
    assert order["state"] == "APPROVED" and order["total_cents"] == 2 * 1250 + 350
    assert ticket["state"] == "AWAITING_ACCEPTANCE"
    assert authorization["state"] == "AUTHORIZED" and authorization["amount_cents"] == 2850
    assert account["available_cents"] == 100_000 - 2850
