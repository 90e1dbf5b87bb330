"""Test doubles for every saga activity, registered under the real activity names.

Each double records its call and then behaves as the test scripted it (succeed by default), so
the engine can be driven through any failure without participants.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError

from tests.support.eventually import eventually_async
from worker import WorkerSettings, build_worker
from workflows.cancel_order import CANCEL_ORDER, CancelOrderInput
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem
from workflows.definition import SagaDefinition
from workflows.registry import DEFINITIONS
from workflows.revise_order import REVISE_ORDER, ReviseOrderInput
from workflows.state import SagaOptions, SagaState, StepCall, StepOutcome

Behaviour = Callable[[StepCall, int], Awaitable[dict[str, Any]]]
ACTIVITY_NAMES = sorted(
    {step.action for d in DEFINITIONS.values() for step in d.steps}
    | {step.compensation for d in DEFINITIONS.values() for step in d.steps if step.compensation}
)


@dataclass(frozen=True)
class Call:
    activity: str
    step: str
    role: str
    attempt: int


async def succeed(call: StepCall, attempt: int) -> dict[str, Any]:
    return {"total_cents": 1250, "pending_revision": {"total_cents": 1250}, "step": call.step}


def reject(code: str) -> Behaviour:
    """A business rejection: not retried."""

    async def rejected(call: StepCall, attempt: int) -> dict[str, Any]:
        details = {"attempt": attempt}
        raise ApplicationError(f"{call.step} says no", details, type=code, non_retryable=True)

    return rejected


def flaky(failures: int) -> Behaviour:
    """A technical failure for the first `failures` attempts, then success."""

    async def sometimes(call: StepCall, attempt: int) -> dict[str, Any]:
        if attempt <= failures:
            raise ApplicationError(
                "503 from the participant", {"attempt": attempt}, type="http_503"
            )
        return await succeed(call, attempt)

    return sometimes


def meet(doubles: "Doubles", partner: str) -> Behaviour:
    """Answer only once `partner` has been called too: both must run at the same time."""

    async def met(call: StepCall, attempt: int) -> dict[str, Any]:
        async def partner_called() -> None:
            assert doubles.attempts(partner) > 0

        await eventually_async(partner_called, timeout=5)
        return await succeed(call, attempt)

    return met


def hang(seconds: float = 3600) -> Behaviour:
    """Answer nothing for `seconds` (no heartbeats: only a timeout or the deadline ends it)."""

    async def waiting(call: StepCall, attempt: int) -> dict[str, Any]:
        await asyncio.sleep(seconds)
        return await succeed(call, attempt)

    return waiting


@dataclass
class Doubles:
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    committed: list[str] = field(default_factory=list)

    def activities(self) -> list[Callable[..., Any]]:
        return [self._double(name) for name in ACTIVITY_NAMES]

    def roles(self, role: str) -> list[str]:
        """The steps called in `role`, in call order, one entry per attempt."""
        return [call.step for call in self.calls if call.role == role]

    def attempts(self, activity_name: str) -> int:
        return sum(1 for call in self.calls if call.activity == activity_name)

    def _double(self, name: str) -> Callable[..., Any]:
        async def double(call: StepCall) -> StepOutcome:
            attempt = activity.info().attempt
            self.calls.append(Call(name, call.step, call.role, attempt))
            body = await self.behaviours.get(name, succeed)(call, attempt)
            return StepOutcome(body=body, attempt=attempt)

        return activity.defn(name=name)(double)


def commit_then_hang(doubles: Doubles, seconds: float) -> Behaviour:
    """The participant commits, then the answer never arrives in time."""

    async def committed(call: StepCall, attempt: int) -> dict[str, Any]:
        doubles.committed.append(call.step)
        await asyncio.sleep(seconds)
        return await succeed(call, attempt)

    return committed


# Short retries so failure paths finish in well under a second.
FAST = SagaOptions(
    deadline_seconds=60,
    step_timeout_seconds=5,
    step_max_attempts=4,
    compensation_max_attempts=3,
    retry_initial_seconds=0.05,
    retry_max_interval_seconds=0.2,
)
INPUTS: dict[str, Callable[[str, SagaOptions], Any]] = {
    CREATE_ORDER.saga_type: lambda order_id, options: CreateOrderInput(
        order_id, "consumer", "restaurant", [LineItem("curry", 1)], options
    ),
    CANCEL_ORDER.saga_type: lambda order_id, options: CancelOrderInput(order_id, options),
    REVISE_ORDER.saga_type: lambda order_id, options: ReviseOrderInput(
        order_id, [LineItem("naan", 2)], options
    ),
}


def fast(**changes: Any) -> SagaOptions:
    return replace(FAST, **changes)


@dataclass
class Engine:
    """Runs sagas on a task queue whose activities are doubles."""

    client: Client
    task_queue: str

    async def start(
        self, definition: SagaDefinition, options: SagaOptions = FAST
    ) -> WorkflowHandle[Any, SagaState]:
        order_id = uuid.uuid4().hex
        return await self.client.start_workflow(
            definition.saga_type,
            INPUTS[definition.saga_type](order_id, options),
            id=f"engine-test-{order_id}",
            task_queue=self.task_queue,
            result_type=SagaState,
        )

    async def run(self, definition: SagaDefinition, options: SagaOptions = FAST) -> SagaState:
        return await (await self.start(definition, options)).result()


@asynccontextmanager
async def engine_with(client: Client, doubles: Doubles) -> AsyncIterator[Engine]:
    """A worker with every saga workflow and `doubles` as its activities, on a fresh task queue;
    doubles still running at exit are cancelled at once."""
    task_queue = f"engine-{uuid.uuid4().hex}"
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    async with build_worker(client, task_queue, doubles.activities(), settings):
        yield Engine(client, task_queue)
