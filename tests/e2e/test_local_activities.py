"""The engine's local-activity option: the same saga, the same outcomes, no activity tasks."""

from dataclasses import replace

import httpx
from temporalio.api.enums.v1 import EventType

from tests.support.sagas import (
    CREATE_ORDER_STEPS,
    Faults,
    Records,
    create_order_steps,
    saga_ends,
    steps,
    unique,
)
from tests.support.seed import World, new_world
from tests.support.stack import FAST_SAGAS, Stack
from workflows.create_order import (
    CREATE_ORDER,
    CreateOrderInput,
    LineItem,
    create_order_saga_id,
)

LOCAL = replace(FAST_SAGAS.options(300), local_activities=True)


async def start_local(stack: Stack, world: World) -> tuple[str, str]:
    order_id = unique("local")
    saga_input = CreateOrderInput(
        order_id, world.consumer_id, world.restaurant_id, [LineItem(world.menu[0]["id"], 1)], LOCAL
    )
    saga_id = create_order_saga_id(order_id)
    await stack.client.start_workflow(
        CREATE_ORDER.saga_type, saga_input, id=saga_id, task_queue=stack.task_queue
    )
    return order_id, saga_id


async def activity_tasks(stack: Stack, saga_id: str) -> int:
    history = await stack.client.get_workflow_handle(saga_id).fetch_history()
    scheduled = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    return sum(1 for event in history.events if event.event_type == scheduled)


async def test_local_activities_complete_the_saga(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id, saga_id = await start_local(stack, world)
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "COMPLETED", saga
    assert steps(saga) == dict.fromkeys(CREATE_ORDER_STEPS, "SUCCEEDED")
    assert [s["attempts"] for s in saga["steps"]] == [1] * 6
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")
    assert await activity_tasks(stack, saga_id) == 0


async def test_local_activities_compensate_a_declined_card(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=1000)
    order_id, saga_id = await start_local(stack, world)
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "COMPENSATED" and saga["error"]["code"] == "card_declined", saga
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "COMPENSATED", "FAILED")
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("REJECTED", "REJECTED", "DECLINED")


async def test_local_activities_retry_a_technical_failure(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.add(stack.participants.kitchen, "/tickets", status=503, times=2)
    _, saga_id = await start_local(stack, world)
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "COMPLETED", saga
    assert [s["attempts"] for s in saga["steps"]] == [1, 1, 3, 1, 1, 1]


async def test_local_activities_compensate_when_retries_run_out(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.add(stack.participants.kitchen, "/tickets", status=503)
    order_id, saga_id = await start_local(stack, world)
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "COMPENSATED" and saga["error"]["code"] == "retries_exhausted", saga
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "FAILED")
    assert await Records(stack.http, stack.participants, order_id).order() == "REJECTED"
