"""A cancel after a Cancel Order saga that ended COMPENSATED starts a new attempt: the same saga
id, a new Temporal run, new idempotency keys (the participants must not replay the first
attempt's answers). Concurrent cancels start at most one run."""

import asyncio

import httpx

from tests.support.eventually import eventually_async
from tests.support.participants import assert_error
from tests.support.sagas import Faults, Records, available_credit, place_order, saga_ends
from tests.support.seed import new_world
from tests.support.stack import FAST_SAGAS, Stack


async def compensated_cancel(stack: Stack, api: httpx.AsyncClient, faults: Faults) -> str:
    """An approved order whose first Cancel Order saga ran out of retries and was compensated."""
    world = await new_world(stack.http, stack.participants)
    placed = await place_order(api, world.order((0, 1)))
    assert (await saga_ends(api, placed["saga_id"]))["status"] == "COMPLETED"
    order_id: str = placed["order_id"]
    begin = f"/tickets/{order_id}/cancel/begin"
    await faults.add(stack.participants.kitchen, begin, times=FAST_SAGAS.step_max_attempts)
    first = await api.post(f"/orders/{order_id}/cancel")
    assert first.status_code == 202, first.text
    undone = await saga_ends(api, first.json()["saga_id"])
    assert (undone["status"], undone["error"]["code"]) == ("COMPENSATED", "retries_exhausted")
    assert await Records(stack.http, stack.participants, order_id).order() == "APPROVED"
    return order_id


async def runs_of(stack: Stack, saga_id: str) -> list[str]:
    query = f"WorkflowId = '{saga_id}'"
    return [execution.run_id async for execution in stack.client.list_workflows(query)]


async def test_a_cancel_after_a_compensated_cancel_starts_a_new_attempt(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    order_id = await compensated_cancel(stack, api, faults)
    saga_id = f"cancel-order-{order_id}"
    first_run = (await stack.client.get_workflow_handle(saga_id).describe()).run_id
    second = await api.post(f"/orders/{order_id}/cancel")
    assert second.status_code == 202, second.text
    assert second.json() == {"saga_id": saga_id, "status": "RUNNING"}
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]) == ("COMPLETED", None), saga
    assert (await stack.client.get_workflow_handle(saga_id).describe()).run_id != first_run
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("CANCELLED", "CANCELLED", "REVERSED")
    again = await api.post(f"/orders/{order_id}/cancel")
    assert_error(again, 409, "order_not_cancellable")


async def test_concurrent_cancels_start_one_new_attempt(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    order_id = await compensated_cancel(stack, api, faults)
    saga_id = f"cancel-order-{order_id}"
    answers = await asyncio.gather(*(api.post(f"/orders/{order_id}/cancel") for _ in range(4)))
    accepted = [answer for answer in answers if answer.status_code == 202]
    assert accepted and {answer.json()["saga_id"] for answer in accepted} == {saga_id}
    assert all(a.status_code in (202, 409) for a in answers), [a.text for a in answers]
    assert (await saga_ends(api, saga_id))["status"] == "COMPLETED"

    async def two_runs() -> None:
        assert len(await runs_of(stack, saga_id)) == 2

    await eventually_async(two_runs)
    world_credit = await Records(stack.http, stack.participants, order_id).authorization()
    assert world_credit == "REVERSED"
    consumer = (await stack.http.get(f"{stack.participants.orders.url}/orders/{order_id}")).json()
    assert (
        await available_credit(stack.http, stack.participants, consumer["consumer_id"]) == 100_000
    )
