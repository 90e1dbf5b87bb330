"""Cancel requests that cannot be honoured are refused with a reason."""

import uuid
from typing import Any

from api.routes.orders import new_order_id
from tests.support.eventually import eventually_async
from tests.support.sagas import saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack


async def test_cancel_of_a_saga_waiting_for_an_operator_is_refused(stack: Stack) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    key = uuid.uuid4().hex
    order_id = new_order_id("operator", key)
    kitchen = stack.participants.kitchen.url
    stuck = {
        "path": f"/tickets/{order_id}/reject",
        "status": 409,
        "code": "ticket_locked",
        "business": True,
    }
    assert (await stack.http.post(f"{kitchen}/_faults", json=stuck)).status_code == 201
    try:
        async with stack.api_client() as api:
            headers = {"Idempotency-Key": key}
            accepted = (await api.post("/orders", json=world.order((0, 1)), headers=headers)).json()
            assert accepted["order_id"] == order_id

            async def needs_attention() -> dict[str, Any]:
                saga: dict[str, Any] = (await api.get(f"/sagas/{accepted['saga_id']}")).json()
                assert saga["status"] == "NEEDS_ATTENTION", saga["status"]
                return saga

            saga = await eventually_async(needs_attention)
            assert saga["steps"][2]["error"]["code"] == "ticket_locked"
            refused = await api.post(f"/sagas/{accepted['saga_id']}/cancel")
            assert refused.status_code == 409
            assert refused.json()["error"]["code"] == "saga_compensating"
            await stack.http.delete(f"{kitchen}/_faults")
            body = {"action": "retry", "reason": "kitchen unlocked"}
            assert (
                await api.post(f"/sagas/{accepted['saga_id']}/resolve", json=body)
            ).status_code == 202
            saga = await saga_ends(api, accepted["saga_id"])
            assert saga["status"] == "COMPENSATED" and saga["error"]["code"] == "card_declined"
    finally:
        await stack.http.delete(f"{kitchen}/_faults")
