"""A terminated saga is reported FAILED, by id and in the listing."""

from typing import Any

from tests.support.eventually import eventually_async
from tests.support.seed import new_world
from tests.support.stack import Stack


async def test_terminated_saga_is_failed_everywhere(stack: Stack) -> None:
    world = await new_world(stack.http, stack.participants)
    kitchen = stack.participants.kitchen.url
    hold = {"path": "/tickets", "method": "POST", "status": None, "delay_ms": 4000, "times": 1}
    assert (await stack.http.post(f"{kitchen}/_faults", json=hold)).status_code == 201
    async with stack.api_client() as api:
        accepted = (await api.post("/orders", json=world.order((0, 1)))).json()
        saga_id = accepted["saga_id"]

        async def creating_ticket() -> None:
            saga = (await api.get(f"/sagas/{saga_id}")).json()
            assert saga["steps"][2]["status"] == "RUNNING", saga

        await eventually_async(creating_ticket)
        await stack.client.get_workflow_handle(saga_id).terminate("operator terminated it")
        # Learnt from Temporal, not from the API: wait until the API's read model has it too.
        saga = (await api.get(f"/sagas/{saga_id}", params={"wait_seconds": 10})).json()
        assert saga["status"] == "FAILED" and saga["error"]["code"] == "saga_failed", saga
        assert saga["closed_at"] is not None

        async def listed(status: str) -> list[str]:
            page: dict[str, Any] = (await api.get("/sagas", params={"status": status})).json()
            return [s["saga_id"] for s in page["sagas"]]

        async def listed_as_failed() -> None:
            assert saga_id in await listed("FAILED")

        await eventually_async(listed_as_failed)
        assert saga_id not in await listed("RUNNING")
