"""Parallel groups under failure, on a real dev server with test doubles for activities.

The test saga `PAIR` runs create_order, then create_ticket ∥ begin_cancel (a group, both with a
compensation), then the pivot. Latches prove concurrency: a step that waits until its partner
has been called can only finish if both run at the same time.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError

from tests.support.any_saga import AnySagaInput, AnySagaWorkflow
from tests.support.doubles import Behaviour, Doubles, fast, meet, reject, succeed
from tests.support.eventually import eventually_async
from worker import WorkerSettings, build_worker
from workflows.base import RESOLVE_UPDATE, STATUS_QUERY
from workflows.state import Resolution, SagaState, SagaStatus, StepCall

TICKET, CANCEL = "kitchen.create_ticket", "orders.begin_cancel"
UNDO_TICKET, UNDO_CANCEL = "kitchen.reject_ticket", "orders.undo_cancel"
Handle = WorkflowHandle[Any, SagaState]


@pytest.fixture
async def start(temporal_client: Client, doubles: Doubles) -> AsyncIterator[Any]:
    task_queue = f"groups-{uuid.uuid4().hex}"
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    workflows = [AnySagaWorkflow]
    async with build_worker(temporal_client, task_queue, doubles.activities(), settings, workflows):

        async def started(**options: Any) -> Handle:
            saga_input = AnySagaInput("Pair", uuid.uuid4().hex, options=fast(**options))
            return await temporal_client.start_workflow(
                "AnySaga", saga_input, id=f"group-{saga_input.order_id}",
                task_queue=task_queue, result_type=SagaState,
            )  # fmt: skip

        yield started


async def finished(handle: Handle) -> SagaState:
    """The saga's end; a latch that is never released fails the test instead of hanging it."""
    return await asyncio.wait_for(handle.result(), timeout=30)


def statuses(saga: SagaState) -> dict[str, str]:
    return {step.name: step.status.value for step in saga.steps}


def after(latch: asyncio.Event, then: Behaviour = succeed) -> Behaviour:
    """Answer once `latch` is set."""

    async def waiting(call: StepCall, attempt: int) -> dict[str, Any]:
        await latch.wait()
        return await then(call, attempt)

    return waiting


async def test_one_rejects_the_other_succeeds_and_both_are_undone_together(
    start: Any, doubles: Doubles
) -> None:
    doubles.behaviours[CANCEL] = reject("order_locked")
    doubles.behaviours[UNDO_TICKET] = meet(doubles, UNDO_CANCEL)
    doubles.behaviours[UNDO_CANCEL] = meet(doubles, UNDO_TICKET)
    saga = await finished(await start())
    assert (saga.status, saga.error and saga.error.code) == (SagaStatus.COMPENSATED, "order_locked")
    assert statuses(saga) == {
        "create_order": "COMPENSATED", "create_ticket": "COMPENSATED", "begin_cancel": "COMPENSATED",
        "authorize_card": "SKIPPED", "approve_order": "SKIPPED",
    }  # fmt: skip
    compensations = doubles.roles("compensation")
    assert sorted(compensations[:2]) == ["begin_cancel", "create_ticket"]
    assert compensations[2:] == ["create_order"], "groups are undone in reverse order"
    assert saga.step("begin_cancel").error is not None
    assert saga.step("create_ticket").group == "create_ticket+begin_cancel"


async def test_both_reject_the_first_in_definition_order_is_the_saga_error(
    start: Any, doubles: Doubles
) -> None:
    doubles.behaviours[TICKET] = reject("restaurant_not_accepting_orders")
    doubles.behaviours[CANCEL] = reject("order_locked")
    saga = await finished(await start())
    assert saga.status is SagaStatus.COMPENSATED
    assert saga.error is not None and saga.error.code == "restaurant_not_accepting_orders"
    assert sorted(doubles.roles("action")) == ["begin_cancel", "create_order", "create_ticket"]
    # Registered before they ran: a rejected step's compensation is a no-op at the participant.
    assert sorted(doubles.roles("compensation")[:2]) == ["begin_cancel", "create_ticket"]
    assert doubles.roles("compensation")[2:] == ["create_order"]


async def test_a_slow_member_is_let_finish_and_its_late_commit_is_undone(
    start: Any, doubles: Doubles
) -> None:
    rejected = asyncio.Event()

    async def reject_then_tell(call: StepCall, attempt: int) -> dict[str, Any]:
        rejected.set()
        return await reject("order_locked")(call, attempt)

    async def slow_commit(call: StepCall, attempt: int) -> dict[str, Any]:
        await rejected.wait()  # answers only after its partner has rejected
        doubles.committed.append(call.step)
        return await succeed(call, attempt)

    doubles.behaviours[TICKET], doubles.behaviours[CANCEL] = slow_commit, reject_then_tell
    saga = await finished(await start())
    assert saga.status is SagaStatus.COMPENSATED
    assert doubles.committed == ["create_ticket"]
    assert statuses(saga)["create_ticket"] == "COMPENSATED"
    assert doubles.attempts(UNDO_TICKET) == 1
    assert doubles.roles("compensation")[-1] == "create_order"


async def test_member_compensations_that_fail_wait_for_the_operator_one_at_a_time(
    start: Any, doubles: Doubles
) -> None:
    fixed = asyncio.Event()

    async def broken_until_fixed(call: StepCall, attempt: int) -> dict[str, Any]:
        if not fixed.is_set():
            raise ApplicationError("503", {"attempt": attempt}, type="http_503")
        return await succeed(call, attempt)

    doubles.behaviours[CANCEL] = reject("order_locked")
    doubles.behaviours[UNDO_TICKET] = doubles.behaviours[UNDO_CANCEL] = broken_until_fixed
    handle = await start()

    async def both_gave_up() -> None:
        assert doubles.attempts(UNDO_TICKET) == doubles.attempts(UNDO_CANCEL) == 3

    await eventually_async(both_gave_up)
    fixed.set()
    for decided in range(2):  # one question at a time: each member's compensation in turn
        await waits_for_operator(handle, decided)
        await handle.execute_update(
            RESOLVE_UPDATE, Resolution("retry", "fixed"), result_type=SagaState
        )
    saga = await finished(handle)
    assert saga.status is SagaStatus.COMPENSATED
    assert [s for s, v in statuses(saga).items() if v == "COMPENSATED"] == [
        "create_order",
        "create_ticket",
        "begin_cancel",
    ]
    assert [a.step for a in saga.operator_actions] in (
        ["create_ticket", "begin_cancel"], ["begin_cancel", "create_ticket"],
    )  # fmt: skip


async def waits_for_operator(handle: Handle, decided: int) -> None:
    async def needs_attention() -> None:
        state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
        assert state.status is SagaStatus.NEEDS_ATTENTION, state.status
        assert len(state.operator_actions) == decided

    await eventually_async(needs_attention)


async def test_a_cancellation_while_a_group_runs_undoes_both_members_together(
    start: Any, doubles: Doubles
) -> None:
    never = asyncio.Event()
    doubles.behaviours[TICKET] = doubles.behaviours[CANCEL] = after(never)
    doubles.behaviours[UNDO_TICKET] = meet(doubles, UNDO_CANCEL)
    doubles.behaviours[UNDO_CANCEL] = meet(doubles, UNDO_TICKET)
    handle = await start()

    async def both_running() -> None:
        assert sorted(doubles.roles("action")) == ["begin_cancel", "create_order", "create_ticket"]

    await eventually_async(both_running)
    await handle.cancel()
    saga = await finished(handle)
    assert (saga.status, saga.error and saga.error.code) == (SagaStatus.CANCELLED, "cancelled")
    assert statuses(saga) == {
        "create_order": "COMPENSATED", "create_ticket": "COMPENSATED", "begin_cancel": "COMPENSATED",
        "authorize_card": "SKIPPED", "approve_order": "SKIPPED",
    }  # fmt: skip
    assert doubles.roles("compensation")[2:] == ["create_order"]


async def test_the_deadline_while_a_group_runs_undoes_both_members(
    start: Any, doubles: Doubles
) -> None:
    never = asyncio.Event()
    doubles.behaviours[TICKET] = doubles.behaviours[CANCEL] = after(never)
    saga = await finished(await start(deadline_seconds=1))
    assert (saga.status, saga.error and saga.error.code) == (
        SagaStatus.CANCELLED,
        "deadline_exceeded",
    )
    assert [statuses(saga)[name] for name in ("create_ticket", "begin_cancel")] == [
        "COMPENSATED"
    ] * 2
    assert sorted(doubles.roles("compensation")[:2]) == ["begin_cancel", "create_ticket"]
