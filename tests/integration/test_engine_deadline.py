"""Saga deadlines in skipped time (Temporal's time-skipping test server, activity doubles).

The test server skips time only while no activity is in flight: a double that just sleeps keeps
the clock at real speed. So a saga is held at a step by a technical failure whose retry waits a
long (skipped) interval.
"""

from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.support.doubles import Doubles, engine_with, fast, flaky
from tests.support.temporal import start_time_skipping
from workflows.cancel_order import CANCEL_ORDER
from workflows.create_order import CREATE_ORDER
from workflows.definition import SagaDefinition, StepKind
from workflows.state import SagaStatus, StepStatus

DEADLINE = 300
HELD = fast(
    deadline_seconds=DEADLINE,
    step_max_attempts=10,
    retry_initial_seconds=2 * DEADLINE,
    retry_max_interval_seconds=2 * DEADLINE,
)


@pytest.fixture(scope="module")
async def skipping() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_time_skipping()
    yield env
    await env.shutdown()


def last_before_pivot(definition: SagaDefinition) -> int:
    assert definition.pivot_index is not None
    return definition.pivot_index - 1


@pytest.mark.parametrize("definition", [CREATE_ORDER, CANCEL_ORDER], ids=lambda d: d.saga_type)
async def test_a_saga_held_before_its_pivot_is_cancelled_at_its_deadline(
    skipping: WorkflowEnvironment, definition: SagaDefinition
) -> None:
    held = last_before_pivot(definition)
    doubles = Doubles({definition.steps[held].action: flaky(failures=1000)})
    before = await skipping.get_current_time()
    async with engine_with(skipping.client, doubles) as engine:
        saga = await engine.run(definition, HELD)
    assert (await skipping.get_current_time() - before).total_seconds() >= DEADLINE
    assert saga.status is SagaStatus.CANCELLED
    assert saga.error is not None and saga.error.code == "deadline_exceeded"
    started = definition.steps[: held + 1]
    undone = [step.name for step in reversed(started) if step.compensation is not None]
    assert doubles.roles("compensation") == undone
    assert saga.step(definition.steps[held].name).error is not None
    assert [step.status for step in saga.steps[held + 1 :]] == [StepStatus.SKIPPED] * (
        len(definition.steps) - held - 1
    )
    assert doubles.roles("action").count(definition.steps[held].name) == 1, "held in backoff"


@pytest.mark.parametrize("definition", [CREATE_ORDER, CANCEL_ORDER], ids=lambda d: d.saga_type)
async def test_a_saga_whose_pivot_has_started_finishes_after_its_deadline(
    skipping: WorkflowEnvironment, definition: SagaDefinition
) -> None:
    assert definition.pivot_index is not None
    pivot = definition.steps[definition.pivot_index]
    doubles = Doubles({pivot.action: flaky(failures=1)})
    before = await skipping.get_current_time()
    async with engine_with(skipping.client, doubles) as engine:
        saga = await engine.run(definition, HELD)
    assert (await skipping.get_current_time() - before).total_seconds() >= 2 * DEADLINE
    assert (saga.status, saga.error) == (SagaStatus.COMPLETED, None)
    assert saga.step(pivot.name).attempts == 2
    assert doubles.roles("compensation") == []
    retriable = [s for s in definition.steps if s.kind is StepKind.RETRIABLE]
    assert all(saga.step(s.name).status is StepStatus.SUCCEEDED for s in retriable)
