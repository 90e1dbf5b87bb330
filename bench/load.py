"""Load generation: how each arm starts one saga and waits for its end, and the load shapes
(closed loop at a fixed concurrency, a burst with a bounded number of starts in flight).

Latency is start→terminal as the client sees it: from issuing the start (the Temporal start
call, or `POST /orders` for the API arm) to the workflow result, awaited with the Temporal
client's long poll (`handle.result()`) for the `api` arm; `api-poll` reads `GET /sagas/{id}` every
250 ms as a polling client does, `api-wait` long-polls it with `wait_seconds`.

The engine arm starts the CreateOrder workflow with the API's own `start_saga` (search
attributes set at start, the same id and conflict policies), so that `api` minus `engine` is
the cost of the HTTP front end.
"""

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from api.sagas import start_saga
from bench.arms import Arm, Shape
from bench.seed import World
from bench.stack import API_TOKEN, task_queue
from bench.workflows import BenchOrder
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem, create_order_saga_id
from workflows.publishing import SAGA_STATUS, SAGA_TYPE
from workflows.state import SagaOptions

# What the API and the engine's starter set on a saga (the hand-written arm that publishes too).
STARTED_AS_SAGA = TypedSearchAttributes(
    [SearchAttributePair(SAGA_TYPE, "BenchHandWrittenCreateOrder"),
     SearchAttributePair(SAGA_STATUS, "RUNNING")]
)  # fmt: skip


@dataclass
class Sample:
    start: float
    end: float
    ok: bool
    error: str = ""
    workflow_id: str = ""

    @property
    def latency(self) -> float:
        return self.end - self.start


@dataclass
class Target:
    """Starts the sagas of one arm."""

    arm: Arm
    client: Client
    world: World
    http: httpx.AsyncClient | None = None
    api_url: str = ""
    options: SagaOptions = field(default_factory=SagaOptions)
    reads: list[float] = field(default_factory=list)  # seconds of each polling client's GET

    async def start(self) -> WorkflowHandle[Any, Any]:
        order = self.world.order()
        if self.arm.via_api:
            return await self._via_api(order)
        order_id = uuid.uuid4().hex
        queue = task_queue(self.arm.worker)
        if self.arm.workflow == "engine":
            saga_input = CreateOrderInput(
                order_id=order_id,
                consumer_id=order["consumer_id"],
                restaurant_id=order["restaurant_id"],
                line_items=[LineItem(**item) for item in order["line_items"]],
                options=self.options,
            )
            saga_id = create_order_saga_id(order_id)
            await start_saga(self.client, CREATE_ORDER.saga_type, saga_input, saga_id, queue)
            return self.client.get_workflow_handle(saga_id)
        workflow = "BenchHandWrittenCreateOrder" if self.arm.workflow == "hand" else "BenchNoopSaga"
        bench_order = BenchOrder(
            order_id, local_activities=self.arm.local_activities, publish=self.arm.publish, **order
        )
        return await self.client.start_workflow(
            workflow,
            bench_order,
            id=f"bench-{order_id}",
            task_queue=queue,
            search_attributes=STARTED_AS_SAGA if self.arm.publish else None,
        )

    async def _via_api(self, order: dict[str, Any]) -> WorkflowHandle[Any, Any]:
        assert self.http is not None
        headers = {"Authorization": f"Bearer {API_TOKEN}"}
        response = await self.http.post(f"{self.api_url}/orders", json=order, headers=headers)
        if response.status_code != 202:
            raise RuntimeError(f"POST /orders answered {response.status_code}: {response.text}")
        return self.client.get_workflow_handle(response.json()["saga_id"])

    @staticmethod
    def completed(result: Any) -> bool:
        status = result.get("status") if isinstance(result, dict) else result
        return bool(status == "COMPLETED")


async def one_saga(target: Target, gate: asyncio.Semaphore | None = None) -> Sample:
    async with gate if gate is not None else contextlib.nullcontext():
        start = time.perf_counter()
        try:
            handle = await target.start()
        except Exception as error:
            return Sample(start, time.perf_counter(), False, f"start: {error}")
    try:
        result = await finished(target, handle)
    except Exception as error:
        return Sample(start, time.perf_counter(), False, f"{type(error).__name__}: {error}")
    ok = target.completed(result)
    return Sample(start, time.perf_counter(), ok, "" if ok else str(result)[:200], handle.id)


ENDED = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED", "NEEDS_ATTENTION"}
POLL_SECONDS = 0.25


async def finished(target: Target, handle: WorkflowHandle[Any, Any]) -> Any:
    """The saga's end as the arm's client learns it: the workflow result (Temporal's long poll),
    or the API's status read, polled every 250 ms or long-polled with `wait_seconds`."""
    if target.arm.wait == "result":
        return await handle.result()
    assert target.http is not None
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    long_poll = target.arm.wait == "long-poll"
    params = {"wait_seconds": 30} if long_poll else {}
    url = f"{target.api_url}/sagas/{handle.id}"
    while True:
        began = time.perf_counter()
        response = await target.http.get(url, params=params, headers=headers)
        if not long_poll:  # a long poll's time is its wait, not the cost of a read
            target.reads.append(time.perf_counter() - began)
        body: dict[str, Any] = response.json()
        if response.status_code == 200 and body["status"] in ENDED:
            return body
        if not long_poll:
            await asyncio.sleep(POLL_SECONDS)  # what a polling client does between reads


@dataclass
class Load:
    samples: list[Sample]
    window: float  # seconds over which completions are counted
    counted: int  # completions inside the window

    @property
    def failed(self) -> list[Sample]:
        return [s for s in self.samples if not s.ok]


async def closed_loop(target: Target, concurrency: int, seconds: float) -> Load:
    """`concurrency` loops, each starting its next saga when its last one ended, for `seconds`;
    then the open sagas are waited for. Completions are counted from the first start to the
    last completion (the drain included, so a saturated system is not cut off mid-wave)."""
    samples: list[Sample] = []
    begin = time.perf_counter()
    deadline = begin + seconds

    async def loop() -> None:
        while time.perf_counter() < deadline:
            samples.append(await one_saga(target))

    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return _counted(samples, begin)


async def burst(target: Target, size: int, inflight: int) -> Load:
    """`size` sagas at once, at most `inflight` start calls in flight; counted until the last
    one completes."""
    gate = asyncio.Semaphore(inflight)
    begin = time.perf_counter()
    samples = await asyncio.gather(*(one_saga(target, gate) for _ in range(size)))
    return _counted(list(samples), begin)


def _counted(samples: list[Sample], begin: float) -> Load:
    window = max((s.end for s in samples), default=begin) - begin
    return Load(samples, window, sum(1 for s in samples if s.ok))


async def run_shape(target: Target, shape: Shape) -> Load:
    if shape.is_burst:
        return await burst(target, shape.burst, shape.concurrency)
    return await closed_loop(target, shape.concurrency, shape.seconds)
