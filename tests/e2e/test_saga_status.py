"""GET /sagas/{id} answers from what the saga published (its memo), not by asking a worker: it
answers while no worker runs, for running and closed sagas alike, and 503 when Temporal is
unreachable."""

import uuid
from typing import Any

import httpx
import pytest
from temporalio.api.enums.v1 import EventType

from api.sagas import start_saga
from tests.support.api_app import TOKEN, api_client
from tests.support.participants import assert_error
from tests.support.sagas import Faults, saga_ends, step_runs, step_succeeds, steps
from tests.support.seed import World, new_world
from tests.support.stack import FAST_SAGAS, Stack, saga_worker
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem, create_order_saga_id

MEMO_UPSERT = EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED
WORKFLOW_TASK = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED


async def start_on(stack: Stack, task_queue: str, world: World) -> str:
    order_id = uuid.uuid4().hex
    line_items = [LineItem(world.menu[0]["id"], 1)]
    saga_input = CreateOrderInput(
        order_id, world.consumer_id, world.restaurant_id, line_items, FAST_SAGAS.options(300)
    )
    saga_id = create_order_saga_id(order_id)
    await start_saga(stack.client, CREATE_ORDER.saga_type, saga_input, saga_id, task_queue)
    return saga_id


async def test_status_answers_while_no_worker_runs(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    task_queue = f"alone-{uuid.uuid4().hex[:8]}"
    async with saga_worker(stack.client, task_queue, stack.participants.urls()):
        done = await start_on(stack, task_queue, world)
        assert (await saga_ends(api, done))["status"] == "COMPLETED"
        await faults.hold(stack.participants.kitchen, "/tickets", delay_ms=1000)
        held = await start_on(stack, task_queue, world)
        await step_runs(api, held, "create_ticket")
        # Its group's partner finishes meanwhile: the state this saga keeps once the worker is
        # gone (the API's read model learns it from the saga's history a moment later).
        await step_succeeds(api, held, "verify_consumer")
    # The worker is gone: the held saga cannot move on, and nothing can answer a query.
    response = await api.get(f"/sagas/{held}")
    assert response.status_code == 200, response.text
    saga = response.json()
    assert saga["status"] == "RUNNING"
    assert list(steps(saga).values())[:3] == ["SUCCEEDED", "SUCCEEDED", "RUNNING"]
    assert list(steps(saga).values())[3:] == ["PENDING"] * 3
    closed = await api.get(f"/sagas/{done}")
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "COMPLETED"
    assert set(steps(closed.json()).values()) == {"SUCCEEDED"}
    assert closed.json()["closed_at"] is not None


def upserts_per_workflow_task(events: list[Any]) -> list[int]:
    """How many memo upserts each workflow task's commands made."""
    counts: list[int] = []
    for event in events:
        if event.event_type == WORKFLOW_TASK:
            counts.append(0)
        elif event.event_type == MEMO_UPSERT:
            counts[-1] += 1
    return counts


@pytest.mark.parametrize("credit_cents", [100_000, 1000], ids=["completed", "compensated"])
async def test_a_saga_publishes_at_most_once_per_workflow_task(
    stack: Stack, api: httpx.AsyncClient, credit_cents: int
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=credit_cents)
    accepted = (await api.post("/orders", json=world.order((0, 1)))).json()
    assert (await saga_ends(api, accepted["saga_id"]))["status"] in ("COMPLETED", "COMPENSATED")
    history = await stack.client.get_workflow_handle(accepted["saga_id"]).fetch_history()
    counts = upserts_per_workflow_task(list(history.events))
    assert max(counts) == 1, counts


async def test_status_answers_503_when_temporal_is_unreachable() -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with api_client() as api:
        one = await api.get("/sagas/create-order-abc", headers=auth)
        many = await api.get("/sagas", headers=auth)
    for response in (one, many):
        assert_error(response, 503, "temporal_unavailable")


async def test_a_saga_no_worker_has_picked_up_yet_is_running_with_steps_pending(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    saga_id = await start_on(stack, f"nobody-{uuid.uuid4().hex[:8]}", world)
    response = await api.get(f"/sagas/{saga_id}")
    assert response.status_code == 200, response.text
    saga = response.json()
    assert (saga["status"], saga["closed_at"]) == ("RUNNING", None)
    assert set(steps(saga).values()) == {"PENDING"}
    await stack.client.get_workflow_handle(saga_id).terminate("no worker serves this queue")
