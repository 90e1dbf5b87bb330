"""The saga engine under every failure, on a real dev server, with test doubles for activities.

Each saga definition is driven through a failure at each step in turn: before or at the pivot a
business rejection compensates exactly the steps started (the failing one too when it has a
compensation, which is registered before the step runs), in reverse order; after the pivot a
step is retried until it succeeds.
"""

from typing import Any

import pytest

from tests.support.doubles import (
    FAST,
    Doubles,
    Engine,
    commit_then_hang,
    fast,
    flaky,
    reject,
)
from tests.support.eventually import eventually_async
from workflows.base import RESOLVE_UPDATE, STATUS_QUERY
from workflows.create_order import CREATE_ORDER
from workflows.definition import SagaDefinition, Step, StepKind
from workflows.engine import SAGA_STATUS, SAGA_TYPE
from workflows.registry import DEFINITIONS as REGISTERED
from workflows.state import Resolution, SagaState, SagaStatus, StepStatus

DEFINITIONS = list(REGISTERED.values())  # the versions new sagas run


def cases(kinds: set[StepKind]) -> list[Any]:
    return [
        pytest.param(definition, index, id=f"{definition.saga_type}.{step.name}")
        for definition in DEFINITIONS
        for index, step in enumerate(definition.steps)
        if step.kind in kinds
    ]


def stage_of(definition: SagaDefinition, name: str) -> int:
    return next(i for i, stage in enumerate(definition.stages) if name in {s.name for s in stage})


def by_stage(definition: SagaDefinition, names: list[str]) -> list[set[str]]:
    """Calls in order, the members of one group together (their order among them is free)."""
    runs: list[tuple[int, set[str]]] = []
    for name in names:
        stage = stage_of(definition, name)
        if runs and runs[-1][0] == stage:
            runs[-1][1].add(name)
        else:
            runs.append((stage, {name}))
    return [members for _, members in runs]


def expected_status(step: Step, started: list[Step], failing: Step) -> StepStatus:
    if step not in started:
        return StepStatus.SKIPPED
    if step.compensation is not None:
        return StepStatus.COMPENSATED
    return StepStatus.FAILED if step == failing else StepStatus.SUCCEEDED


@pytest.mark.parametrize(("definition", "failing"), cases({StepKind.COMPENSATABLE, StepKind.PIVOT}))
async def test_a_rejection_compensates_the_started_steps_in_reverse_order(
    engine: Engine, doubles: Doubles, definition: SagaDefinition, failing: int
) -> None:
    """The failing step's whole stage ran (a group's other members are let finish)."""
    rejected = definition.steps[failing]
    stages = definition.stages[: stage_of(definition, rejected.name) + 1]
    started = [step for stage in stages for step in stage]
    doubles.behaviours[rejected.action] = reject("no_way")
    saga = await engine.run(definition)
    assert (saga.status, saga.error and saga.error.code) == (SagaStatus.COMPENSATED, "no_way")
    actions = by_stage(definition, doubles.roles("action"))
    assert actions == [{step.name for step in stage} for stage in stages], "rejections are final"
    undone = [{step.name for step in stage if step.compensation} for stage in reversed(stages)]
    assert by_stage(definition, doubles.roles("compensation")) == [
        names for names in undone if names
    ]
    assert [step.status for step in saga.steps] == [
        expected_status(step, started, rejected) for step in definition.steps
    ]
    assert saga.step(rejected.name).error is not None
    assert saga.past_pivot is False


@pytest.mark.parametrize(("definition", "failing"), cases({StepKind.RETRIABLE}))
async def test_a_step_after_the_pivot_is_retried_until_it_succeeds(
    engine: Engine, doubles: Doubles, definition: SagaDefinition, failing: int
) -> None:
    retried = definition.steps[failing]
    doubles.behaviours[retried.action] = flaky(failures=2)
    saga = await engine.run(definition)
    assert (saga.status, saga.error) == (SagaStatus.COMPLETED, None)
    assert [step.status for step in saga.steps] == [StepStatus.SUCCEEDED] * len(saga.steps)
    assert saga.step(retried.name).attempts == 3
    assert doubles.attempts(retried.action) == 3
    assert doubles.roles("compensation") == []
    assert saga.past_pivot is True


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.saga_type)
async def test_a_technical_failure_before_the_pivot_is_retried_too(
    engine: Engine, doubles: Doubles, definition: SagaDefinition
) -> None:
    first = definition.steps[0]
    doubles.behaviours[first.action] = flaky(failures=FAST.step_max_attempts - 1)
    saga = await engine.run(definition)
    assert saga.status is SagaStatus.COMPLETED
    assert saga.step(first.name).attempts == FAST.step_max_attempts


async def test_an_action_that_times_out_after_committing_is_compensated(
    engine: Engine, doubles: Doubles
) -> None:
    doubles.behaviours["kitchen.create_ticket"] = commit_then_hang(doubles, seconds=2)
    saga = await engine.run(CREATE_ORDER, fast(step_timeout_seconds=0.5, step_max_attempts=2))
    assert saga.status is SagaStatus.COMPENSATED
    assert saga.error is not None and saga.error.code == "retries_exhausted"
    assert doubles.committed == ["create_ticket", "create_ticket"]
    assert doubles.roles("compensation") == ["create_ticket", "create_order"]
    ticket = saga.step("create_ticket")
    assert (ticket.status, ticket.attempts) == (StepStatus.COMPENSATED, 2)


async def test_a_rejection_after_the_pivot_waits_for_an_operator(
    engine: Engine, doubles: Doubles
) -> None:
    doubles.behaviours["orders.approve_order"] = reject("order_locked")
    handle = await engine.start(CREATE_ORDER)

    async def needs_attention() -> SagaState:
        state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
        assert state.status is SagaStatus.NEEDS_ATTENTION, state.status
        return state

    state = await eventually_async(needs_attention)
    assert state.step("approve_order").status is StepStatus.FAILED
    resolution = Resolution("skip", "approved by hand", actor="bob")
    await handle.execute_update(RESOLVE_UPDATE, resolution, result_type=SagaState)
    saga = await handle.result()
    assert saga.status is SagaStatus.COMPLETED
    assert saga.step("approve_order").status is StepStatus.SKIPPED
    assert doubles.roles("compensation") == [], "after the pivot nothing is undone"
    assert [(a.actor, a.action, a.step) for a in saga.operator_actions] == [
        ("bob", "skip", "approve_order")
    ]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.saga_type)
async def test_search_attributes_are_published_whoever_started_the_saga(
    engine: Engine, definition: SagaDefinition
) -> None:
    """Started without search attributes (a plain client, the CLI), the saga sets them itself."""
    handle = await engine.start(definition)
    assert (await handle.result()).status is SagaStatus.COMPLETED
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(SAGA_TYPE) == definition.saga_type
    assert attributes.get(SAGA_STATUS) == "COMPLETED"
