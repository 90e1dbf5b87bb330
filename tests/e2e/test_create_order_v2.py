"""Create Order version 2 (verify consumer ∥ create ticket) on the real engine against the real
participants. Not registered yet: it runs as the test workflow `AnySaga` on a worker of its own."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.client import WorkflowHandle

from activities.registry import http_client, saga_activities
from tests.support.any_saga import AnySagaInput, AnySagaWorkflow
from tests.support.doubles import fast
from tests.support.eventually import eventually_async
from tests.support.sagas import Faults, Records
from tests.support.seed import World, new_world
from tests.support.stack import Stack
from worker import WorkerSettings, build_worker
from workflows.base import STATUS_QUERY
from workflows.state import SagaState, SagaStatus

Handle = WorkflowHandle[Any, SagaState]
NOT_RUN = {"authorize_card": "SKIPPED", "approve_ticket": "SKIPPED", "approve_order": "SKIPPED"}


@pytest.fixture
async def start(stack: Stack) -> AsyncIterator[Any]:
    task_queue = f"v2-{uuid.uuid4().hex}"
    urls = stack.participants.urls()
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    async with http_client(urls) as http:
        activities = saga_activities(http, urls)
        async with build_worker(stack.client, task_queue, activities, settings, [AnySagaWorkflow]):

            async def started(world: World) -> Handle:
                order = world.order((0, 2), (1, 1))
                saga_input = AnySagaInput(
                    "CreateOrderV2", uuid.uuid4().hex, options=fast(), **order
                )
                return await stack.client.start_workflow(
                    "AnySaga", saga_input, id=f"create-order-v2-{saga_input.order_id}",
                    task_queue=task_queue, result_type=SagaState,
                )  # fmt: skip

            yield started


def statuses(saga: SagaState) -> dict[str, str]:
    return {step.name: step.status.value for step in saga.steps}


def records(stack: Stack, handle: Handle) -> Records:
    return Records(stack.http, stack.participants, handle.id.removeprefix("create-order-v2-"))


async def test_the_group_completes_like_version_1(stack: Stack, start: Any) -> None:
    handle = await start(await new_world(stack.http, stack.participants))
    saga = await handle.result()
    assert saga.status is SagaStatus.COMPLETED
    assert set(statuses(saga).values()) == {"SUCCEEDED"}
    assert await records(stack, handle).all() == ("APPROVED", "AWAITING_ACCEPTANCE", "AUTHORIZED")


async def test_a_suspended_consumer_undoes_the_ticket_made_meanwhile(
    stack: Stack, start: Any
) -> None:
    world = await new_world(stack.http, stack.participants, consumer_status="SUSPENDED")
    handle = await start(world)
    saga = await handle.result()
    assert (saga.status, saga.error and saga.error.code) == (
        SagaStatus.COMPENSATED,
        "consumer_suspended",
    )
    assert statuses(saga) == {
        "create_order": "COMPENSATED", "verify_consumer": "FAILED", "create_ticket": "COMPENSATED",
    } | NOT_RUN  # fmt: skip
    assert await records(stack, handle).all() == ("REJECTED", "REJECTED", None)


async def test_both_members_reject_and_the_first_is_the_error(stack: Stack, start: Any) -> None:
    world = await new_world(
        stack.http, stack.participants, consumer_status="SUSPENDED", accepting=False
    )
    handle = await start(world)
    saga = await handle.result()
    assert saga.status is SagaStatus.COMPENSATED
    assert saga.error is not None and saga.error.code == "consumer_suspended"
    assert saga.step("create_ticket").error is not None
    assert saga.step("create_ticket").error.code == "restaurant_not_accepting_orders"
    # The ticket was never made: its compensation found nothing to undo.
    assert statuses(saga)["create_ticket"] == "FAILED"
    assert await records(stack, handle).all() == ("REJECTED", None, None)


async def test_a_slow_ticket_committed_after_the_rejection_is_undone(
    stack: Stack, start: Any, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants, consumer_status="SUSPENDED")
    kitchen = stack.participants.kitchen
    held = await faults.hold(kitchen, "/tickets", when="after")  # committed, answer held
    handle = await start(world)

    async def verify_failed_ticket_waits() -> None:
        state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
        assert statuses(state)["verify_consumer"] == "FAILED"
        assert statuses(state)["create_ticket"] == "RUNNING"
        assert state.status is SagaStatus.RUNNING, "the group lets its slow member finish"
        assert await faults.held(kitchen, held) == 1

    await eventually_async(verify_failed_ticket_waits)
    assert await records(stack, handle).ticket() == "CREATE_PENDING"
    await faults.release(kitchen, held)
    saga = await handle.result()
    assert saga.status is SagaStatus.COMPENSATED
    assert statuses(saga)["create_ticket"] == "COMPENSATED"
    assert await records(stack, handle).all() == ("REJECTED", "REJECTED", None)
