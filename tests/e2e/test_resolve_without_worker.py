"""POST /sagas/{id}/resolve does not hang when no worker runs the saga: 503 with a code."""

import uuid

import httpx

from api.routes.orders import new_order_id
from api.sagas import start_saga
from tests.support.participants import assert_error
from tests.support.sagas import Faults, saga_reaches, unique
from tests.support.seed import new_world
from tests.support.stack import FAST_SAGAS, Stack, saga_worker
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem, create_order_saga_id


async def test_resolve_answers_503_when_no_worker_applies_it(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    order_id = new_order_id("operator", unique("cart"))
    await faults.add(stack.participants.kitchen, f"/tickets/{order_id}/reject", status=503)
    saga_input = CreateOrderInput(
        order_id, world.consumer_id, world.restaurant_id, [LineItem(world.menu[0]["id"], 1)],
        FAST_SAGAS.options(300),
    )  # fmt: skip
    saga_id = create_order_saga_id(order_id)
    task_queue = f"alone-{uuid.uuid4().hex[:8]}"
    async with saga_worker(stack.client, task_queue, stack.participants.urls()):
        await start_saga(stack.client, CREATE_ORDER.saga_type, saga_input, saga_id, task_queue)
        await saga_reaches(api, saga_id, "NEEDS_ATTENTION")
    body = {"action": "skip", "reason": "ticket voided by hand"}
    response = await api.post(f"/sagas/{saga_id}/resolve", json=body)
    assert_error(response, 503, "resolve_timeout")
    assert (await saga_reaches(api, saga_id, "NEEDS_ATTENTION"))["operator_actions"] == []
