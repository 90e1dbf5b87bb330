"""Declared data flow and parallel groups, measured on a real dev server.

* History size: a synthetic saga of 6, 13 and 20 steps, on the engine (each step takes only what
  it declares) and on a baseline that hands every step all earlier results (what the engine did
  before steps declared their data flow).
* Latency: Create Order version 1 against version 2 (verify consumer ∥ create ticket), against
  the real participants, one saga at a time, alternating, median of `--sagas` each.

    .venv/bin/python -m bench.groups --sagas 20
"""

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from temporalio import workflow
from temporalio.client import Client

from activities.config import ParticipantUrls
from activities.registry import http_client, saga_activities
from bench.stack import BenchStack
from tests.support.any_saga import (
    DEFINITIONS,
    AnySagaInput,
    AnySagaWorkflow,
    synthetic_step,
    synthetic_undo,
)
from tests.support.seed import new_world
from tests.support.temporal import start_dev_server
from worker import WorkerSettings, build_worker
from workflows.state import SagaState, SagaStatus, StepCall, StepOutcome


@workflow.defn(name="BenchAllResultsSaga")
class AllResultsSaga:
    """The baseline: every step receives the saga input and every earlier result."""

    @workflow.run
    async def run(self, saga_input: AnySagaInput) -> int:
        results: dict[str, Any] = {}
        for step in DEFINITIONS[saga_input.definition].steps:
            data = {"order_id": saga_input.order_id, "results": dict(results)}
            call = StepCall(workflow.info().workflow_id, step.name, "action", data)
            outcome: StepOutcome = await workflow.execute_activity(
                synthetic_step, call, start_to_close_timeout=timedelta(seconds=10)
            )
            results[step.name] = outcome.body
        return len(results)


async def history_bytes(client: Client, workflow_type: str, steps: int, queue: str) -> int:
    saga_input = AnySagaInput(f"Synthetic{steps}", uuid.uuid4().hex)
    handle = await client.start_workflow(
        workflow_type, saga_input, id=f"bench-size-{saga_input.order_id}", task_queue=queue
    )
    await handle.result()
    history = await handle.fetch_history()
    return sum(event.ByteSize() for event in history.events)


async def measure_sizes(client: Client, queue: str) -> None:
    """Linear growth: each added step costs the same; with all results handed on, it grows."""
    print("history size in bytes (protobuf events, as stored)")
    for name in ("AnySaga", "BenchAllResultsSaga"):
        sizes = {n: await history_bytes(client, name, n, queue) for n in (6, 13, 20)}
        first, second = (sizes[13] - sizes[6]) / 7, (sizes[20] - sizes[13]) / 7
        print(f"  {name:20} 6 steps: {sizes[6]:>7}  13: {sizes[13]:>7}  20: {sizes[20]:>7}  "
              f"bytes per added step: 6→13 {first:.0f}, 13→20 {second:.0f}")  # fmt: skip


async def one_order(client: Client, queue: str, definition: str, body: dict[str, Any]) -> float:
    saga_input = AnySagaInput(definition, uuid.uuid4().hex, **body)
    started = time.perf_counter()
    state: SagaState = await client.execute_workflow(
        "AnySaga", saga_input, id=f"bench-{definition}-{saga_input.order_id}", task_queue=queue,
        result_type=SagaState,
    )  # fmt: skip
    assert state.status is SagaStatus.COMPLETED, state
    return (time.perf_counter() - started) * 1000


async def measure_latency(client: Client, queue: str, http: Any, participants: Any, n: int) -> None:
    world = await new_world(http, participants, credit_cents=10**12)
    body = world.order((0, 1))
    for definition in ("CreateOrder", "CreateOrderV2"):  # warm-up
        await one_order(client, queue, definition, body)
    times: dict[str, list[float]] = {"CreateOrder": [], "CreateOrderV2": []}
    for _ in range(n):
        for definition, runs in times.items():
            runs.append(await one_order(client, queue, definition, body))
    print(f"Create Order latency, one saga at a time, {n} each (ms)")
    for definition, runs in times.items():
        runs.sort()
        print(f"  {definition:14} median {statistics.median(runs):7.1f}  "
              f"p10 {runs[len(runs) // 10]:7.1f}  p90 {runs[len(runs) * 9 // 10]:7.1f}")  # fmt: skip
    v1, v2 = (statistics.median(runs) for runs in times.values())
    print(f"  v2 - v1: {v2 - v1:+.1f} ms ({(v2 - v1) / v1:+.1%})")


async def main(sagas: int) -> None:
    """The participants run as processes of their own, as under `make run`; the worker and the
    dev server as in the tests."""
    env = await start_dev_server()
    processes = BenchStack(Path(tempfile.mkdtemp(prefix="bench-groups-")))
    processes.start(arms=[], memory=False)
    names = ("consumers", "orders", "kitchen", "accounting")
    participants = SimpleNamespace(**{n: SimpleNamespace(url=processes.url(n)) for n in names})
    queue, settings = f"bench-groups-{uuid.uuid4().hex[:8]}", WorkerSettings()
    try:
        urls = ParticipantUrls.model_validate({f"{n}_url": processes.url(n) for n in names})
        async with http_client(urls) as http:
            activities = [*saga_activities(http, urls), synthetic_step, synthetic_undo]
            workflows = [AnySagaWorkflow, AllResultsSaga]
            async with build_worker(env.client, queue, activities, settings, workflows):
                await measure_sizes(env.client, queue)
                await measure_latency(env.client, queue, http, participants, sagas)
    finally:
        processes.stop()
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sagas", type=int, default=20, help="sagas per version")
    asyncio.run(main(parser.parse_args().sagas))
