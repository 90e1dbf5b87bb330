"""An operator's resolution is applied once: of several sent at the same moment exactly one is
accepted (the workflow checks in the update's handler too, not only in its validator, which
runs for all of them before any handler)."""

import asyncio
from typing import Any

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from tests.support.doubles import Doubles, Engine, engine_with, fast, reject
from tests.support.eventually import eventually_async
from worker import WorkerSettings, build_worker
from workflows.base import RESOLVE_UPDATE, STATUS_QUERY
from workflows.cancel_order import CANCEL_ORDER
from workflows.create_order import CREATE_ORDER
from workflows.state import Resolution, SagaState, SagaStatus, StepCall, StepStatus


async def test_of_simultaneous_resolutions_exactly_one_is_accepted(
    temporal_client: Client, doubles: Doubles
) -> None:
    """The resolutions reach the workflow in one workflow task: every validator runs before
    the first handler."""
    doubles.behaviours["orders.approve_order"] = reject("order_locked")
    async with engine_with(temporal_client, doubles) as engine:
        handle = await engine.start(CREATE_ORDER)

        async def needs_attention() -> None:
            state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
            assert state.status is SagaStatus.NEEDS_ATTENTION, state.status

        await eventually_async(needs_attention)
    # No worker: the updates wait in the server and reach the next worker in one task.
    resolutions = [Resolution("skip", f"decision {n}", actor=f"op{n}") for n in range(4)]
    sent = [
        asyncio.create_task(handle.execute_update(RESOLVE_UPDATE, r, result_type=SagaState))
        for r in resolutions
    ]

    async def waiting_for_a_worker() -> None:
        description = await handle.describe()
        assert description.raw_description.HasField("pending_workflow_task")

    await eventually_async(waiting_for_a_worker)
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    async with build_worker(temporal_client, engine.task_queue, doubles.activities(), settings):
        answers = await asyncio.gather(*sent, return_exceptions=True)
        saga = await handle.result()
    assert len([a for a in answers if isinstance(a, SagaState)]) == 1, answers
    refused = [a for a in answers if isinstance(a, WorkflowUpdateFailedError)]
    assert len(refused) == len(resolutions) - 1, answers
    for failure in refused:
        assert isinstance(failure.cause, ApplicationError)
        assert failure.cause.type == "saga_not_needing_attention"
    assert saga.status is SagaStatus.COMPLETED
    assert len(saga.operator_actions) == 1


async def test_a_pivot_without_an_answer_cannot_be_skipped(
    engine: Engine, doubles: Doubles
) -> None:
    pivot = CANCEL_ORDER.steps[CANCEL_ORDER.pivot_index or 0]

    async def no_answer_six_times(call: StepCall, attempt: int) -> dict[str, Any]:
        if doubles.attempts(pivot.action) <= 6:
            raise ApplicationError("no answer", {"attempt": attempt}, type="http_503")
        return {"reversed": True}

    doubles.behaviours[pivot.action] = no_answer_six_times
    options = fast(step_max_attempts=2, retry_max_interval_seconds=30)
    handle = await engine.start(CANCEL_ORDER, options)

    async def round_over(rounds: int) -> SagaState:
        state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
        assert state.status is SagaStatus.NEEDS_ATTENTION, state.status
        assert state.step(pivot.name).attempts == 2 * rounds
        return state

    state = await eventually_async(lambda: round_over(1))
    assert state.step(pivot.name).status is StepStatus.RUNNING
    assert state.step(pivot.name).error is not None
    skip = Resolution("skip", "looks done", actor="bob")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(RESOLVE_UPDATE, skip, result_type=SagaState)
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "pivot_not_skippable"
    for n in range(3):  # each retry starts the next round at once instead of after 30 s
        await eventually_async(lambda n=n: round_over(n + 1))  # type: ignore[misc]
        retry = Resolution("retry", f"try again {n}", actor="bob")
        await handle.execute_update(RESOLVE_UPDATE, retry, result_type=SagaState)
    saga = await handle.result()
    assert (saga.status, saga.error) == (SagaStatus.COMPLETED, None)
    assert saga.step(pivot.name).attempts == 7
    assert doubles.roles("compensation") == []
