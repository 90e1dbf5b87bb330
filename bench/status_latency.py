"""GET /sagas/{id}'s Temporal side under polling: the memo read model against the former
workflow query.

    .venv/bin/python -m bench.status_latency [--sagas 60] [--clients 16] [--seconds 20] [--http]

Starts a dev server (as the tests do) and a worker whose activities hold every saga at its
first step, so all sagas are RUNNING; then `clients` pollers each read a random saga every
250 ms, first with `api.sagas.saga_state` (describe + memo), then with the former path (describe
+ `status` query, answered by the worker). Both run in this one process; the HTTP layer, the
same for both, is left out.

With `--http`, the pollers read `GET /sagas/{id}` from the API app instead (in this process,
through httpx's ASGI transport): once with the read model off (`SAGA_API_STATUS_FOLLOWERS=0`,
one describe per read), once with it on (every saga read once first, so it is followed).
"""

import argparse
import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from temporalio import activity
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.config import ApiSettings
from api.main import create_app
from api.sagas import saga_state
from api.sagas.temporal import describe
from bench.stats import percentile
from temporal_client.connection import TemporalSettings
from tests.support.temporal import start_dev_server
from worker import WorkerSettings, build_worker
from workflows.base import STATUS_QUERY
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem
from workflows.state import SagaOptions, SagaState, StepCall, StepOutcome

Reader = Callable[[Client, str], Awaitable[Any]]
HELD = SagaOptions(step_timeout_seconds=3600, deadline_seconds=0)


async def queried_state(client: Client, saga_id: str) -> SagaState:
    """The former path: describe, then ask the workflow (a worker round trip)."""
    handle = client.get_workflow_handle(saga_id)
    await describe(handle)
    state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
    return state


def held_activities(release: asyncio.Event) -> list[Callable[..., Any]]:
    def held(name: str) -> Callable[..., Any]:
        async def hold(call: StepCall) -> StepOutcome:
            await release.wait()
            return StepOutcome({"total_cents": 100})

        return activity.defn(name=name)(hold)

    names = {s.action for s in CREATE_ORDER.steps} | {
        "orders.reject_order",
        "kitchen.reject_ticket",
    }
    return [held(name) for name in sorted(names)]


async def all_held(client: Client, saga_ids: list[str]) -> None:
    """Wait until every saga shows its first step running."""
    for saga_id in saga_ids:
        while (await saga_state(client, saga_id)).steps[0].status != "RUNNING":
            await asyncio.sleep(0.05)


async def poll(client: Client, read: Reader, saga_ids: list[str], seconds: float) -> list[float]:
    latencies: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.monotonic()
        await read(client, random.choice(saga_ids))
        latencies.append((time.monotonic() - began) * 1000)
        await asyncio.sleep(max(0.0, 0.25 - (time.monotonic() - began)))
    return latencies


async def measure(client: Client, read: Reader, saga_ids: list[str], args: Any) -> str:
    runs = await asyncio.gather(
        *(poll(client, read, saga_ids, args.seconds) for _ in range(args.clients))
    )
    latencies = sorted(value for run in runs for value in run)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return f"{len(latencies)} reads, p50 {p50:.1f} ms, p99 {p99:.1f} ms"


async def over_http(client: Client, queue: str, saga_ids: list[str], args: Any) -> None:
    """GET /sagas/{id} from the API app: the describe path, then the read model."""
    for name, followers in (("API, describe", 0), ("API, read model", 10_000)):
        settings = ApiSettings.model_validate({"token": "bench", "status_followers": followers})
        temporal = TemporalSettings.model_validate({"task_queue": queue})
        app = create_app(settings, temporal_settings=temporal, temporal_client=client)
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer bench"}
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://api", headers=headers) as api,
        ):

            async def read(_: Client, saga_id: str) -> None:
                response = await api.get(f"/sagas/{saga_id}")
                assert response.status_code == 200, response.text

            for saga_id in saga_ids:  # the read model follows a saga from its first read
                await read(client, saga_id)
            print(f"{name:<18} {await measure(client, read, saga_ids, args)}", flush=True)


async def main(args: Any) -> None:
    env: WorkflowEnvironment = await start_dev_server()
    release = asyncio.Event()
    queue = f"status-bench-{uuid.uuid4().hex[:6]}"
    try:
        async with build_worker(env.client, queue, held_activities(release), WorkerSettings()):
            saga_ids = []
            for n in range(args.sagas):
                order = CreateOrderInput(
                    f"o{n}-{uuid.uuid4().hex[:6]}", "c", "r", [LineItem("m", 1)], HELD
                )
                handle = await env.client.start_workflow(
                    CREATE_ORDER.saga_type,
                    order,
                    id=f"create-order-{order.order_id}",
                    task_queue=queue,
                )
                saga_ids.append(handle.id)
            await all_held(env.client, saga_ids)
            if args.http:
                await over_http(env.client, queue, saga_ids, args)
                release.set()
                return
            for name, read in (("memo (describe)", saga_state), ("query (former)", queried_state)):
                print(f"{name:<18} {await measure(env.client, read, saga_ids, args)}", flush=True)
            release.set()
    finally:
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sagas", type=int, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--http", action="store_true", help="through the API app, with and without its read model"
    )
    asyncio.run(main(parser.parse_args()))
