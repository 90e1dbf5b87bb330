"""One Cancel Order saga per order: after a compensated cancel, a second cancel is refused."""

from tests.support.sagas import saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack


async def test_cancel_after_a_compensated_cancel_is_refused(stack: Stack) -> None:
    world = await new_world(stack.http, stack.participants)
    accounting = stack.participants.accounting.url
    async with stack.api_client() as api:
        placed = (await api.post("/orders", json=world.order((0, 1)))).json()
        assert (await saga_ends(api, placed["saga_id"]))["status"] == "COMPLETED"
        order_id = placed["order_id"]
        refuse = {"path": f"/authorizations/{order_id}/reverse", "status": 409, "times": 1,
                  "code": "reversal_refused", "business": True}  # fmt: skip
        assert (await stack.http.post(f"{accounting}/_faults", json=refuse)).status_code == 201
        first = await api.post(f"/orders/{order_id}/cancel")
        assert first.status_code == 202
        undone = await saga_ends(api, first.json()["saga_id"])
        assert undone["status"] == "COMPENSATED", undone
        assert undone["error"]["code"] == "reversal_refused"
        order = (await stack.http.get(f"{stack.participants.orders.url}/orders/{order_id}")).json()
        assert order["state"] == "APPROVED"
        second = await api.post(f"/orders/{order_id}/cancel")
        assert second.status_code == 409, second.text
        assert second.json()["error"]["code"] == "cancel_already_attempted"
