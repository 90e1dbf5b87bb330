"""A new saga is its definition, its input, its activities and one registry entry: it runs on
the engine and worker as they are, to COMPLETED and to COMPENSATED, sandboxed and not."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from worker import WorkerSettings, build_worker
from workflows.base import Registry, SagaType
from workflows.definition import compensatable, pivot, retriable, saga
from workflows.state import SagaOptions, SagaState, SagaStatus, StepCall, StepOutcome, StepStatus

# 1. the definition and its input
# fmt: off
SHIP_PARCEL = saga(
    "ShipParcel",
    compensatable("reserve_slot", "depot.reserve_slot", "depot.release_slot", takes="parcel_id", gives="slot"),
    pivot("charge_postage", "billing.charge_postage", takes="parcel_id weight_grams", gives="postage_cents"),
    retriable("hand_over", "depot.hand_over", takes="parcel_id charge_postage.postage_cents"),
    inputs="parcel_id weight_grams",
)
# fmt: on


@dataclass
class ShipParcelInput:
    parcel_id: str
    weight_grams: int
    options: SagaOptions = field(default_factory=lambda: SagaOptions(retry_initial_seconds=0.05))


# 2. its activities
CALLS: list[str] = []


@activity.defn(name="depot.reserve_slot")
async def reserve_slot(call: StepCall) -> StepOutcome:
    return _called(call, {"slot": f"slot-{call.input['parcel_id']}"})


@activity.defn(name="depot.release_slot")
async def release_slot(call: StepCall) -> StepOutcome:
    return _called(call, {"released": f"slot-{call.input['parcel_id']}"})


@activity.defn(name="billing.charge_postage")
async def charge_postage(call: StepCall) -> StepOutcome:
    if call.input["weight_grams"] > 30_000:
        _called(call, {})
        raise ApplicationError("too heavy", type="parcel_too_heavy", non_retryable=True)
    return _called(call, {"postage_cents": call.input["weight_grams"] // 10})


@activity.defn(name="depot.hand_over")
async def hand_over(call: StepCall) -> StepOutcome:
    return _called(call, {"postage_cents": call.input["postage_cents"]})


def _called(call: StepCall, body: dict[str, Any]) -> StepOutcome:
    CALLS.append(f"{call.input['parcel_id']}:{call.step}:{call.role}")
    return StepOutcome(body=body, attempt=activity.info().attempt)


# 3. its registry entry
TOY_SAGAS = Registry(SagaType((SHIP_PARCEL,), ShipParcelInput))
ACTIVITIES = [reserve_slot, release_slot, charge_postage, hand_over]


@pytest.fixture(params=[True, False], ids=["sandboxed", "unsandboxed"])
async def task_queue(temporal_client: Client, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    queue = f"parcels-{uuid.uuid4().hex}"
    settings = WorkerSettings(sandbox=request.param, graceful_shutdown_seconds=0)
    worker = build_worker(temporal_client, queue, ACTIVITIES, settings, TOY_SAGAS.workflows)
    async with worker:
        yield queue


async def ship(client: Client, task_queue: str, weight_grams: int) -> tuple[str, SagaState]:
    parcel_id = uuid.uuid4().hex[:12]
    state = await client.execute_workflow(
        "ShipParcel",
        ShipParcelInput(parcel_id, weight_grams),
        id=f"ship-parcel-{parcel_id}",
        task_queue=task_queue,
        result_type=SagaState,
    )
    return parcel_id, state


async def test_the_new_saga_completes(temporal_client: Client, task_queue: str) -> None:
    parcel_id, state = await ship(temporal_client, task_queue, weight_grams=2_000)
    assert (state.saga_type, state.status, state.error) == (
        "ShipParcel",
        SagaStatus.COMPLETED,
        None,
    )
    assert [step.status for step in state.steps] == [StepStatus.SUCCEEDED] * 3
    steps = ["reserve_slot", "charge_postage", "hand_over"]
    assert [c for c in CALLS if c.startswith(parcel_id)] == [
        f"{parcel_id}:{s}:action" for s in steps
    ]
    description = await temporal_client.get_workflow_handle(f"ship-parcel-{parcel_id}").describe()
    assert (await description.memo())["version"] == 1


async def test_the_new_saga_compensates(temporal_client: Client, task_queue: str) -> None:
    parcel_id, state = await ship(temporal_client, task_queue, weight_grams=40_000)
    assert state.status is SagaStatus.COMPENSATED
    assert state.error is not None and state.error.code == "parcel_too_heavy"
    assert [step.status for step in state.steps] == [
        StepStatus.COMPENSATED,
        StepStatus.FAILED,
        StepStatus.SKIPPED,
    ]
    assert [c for c in CALLS if c.startswith(parcel_id)] == [
        f"{parcel_id}:reserve_slot:action",
        f"{parcel_id}:charge_postage:action",
        f"{parcel_id}:reserve_slot:compensation",
    ]
