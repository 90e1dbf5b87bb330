"""GET /sagas/{id}, its long poll and its event stream answer from the API's read model: one
follower per saga, shared by every client of it, current with the saga's history."""

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.service import RetryConfig

from api.config import ApiSettings, SagaSettings
from api.main import create_app
from api.sagas.projection import SagaProjection
from api.sagas.watch import current
from temporal_client.connection import TemporalSettings
from tests.e2e.test_saga_waiting import sse
from tests.support.eventually import eventually_async
from tests.support.participants import assert_error
from tests.support.sagas import (
    TERMINAL,
    Faults,
    Json,
    saga_ends,
    saga_of,
    step,
    step_runs,
    step_succeeds,
)
from tests.support.seed import new_world
from tests.support.servers import serve
from tests.support.stack import FAST_SAGAS, TOKEN, Stack, saga_worker
from tests.support.temporal import start_dev_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORDER = {
    "consumer_id": "c1",
    "restaurant_id": "r1",
    "line_items": [{"menu_item_id": "m1", "quantity": 1}],
}
QUICK = RetryConfig(initial_interval_millis=50, max_retries=1, max_elapsed_time_millis=2000)


@asynccontextmanager
async def projection_api(
    stack: Stack, task_queue: str, sagas: SagaSettings = FAST_SAGAS, **settings: Any
) -> AsyncIterator[tuple[SagaProjection, httpx.AsyncClient]]:
    """An API of its own (its read model's counters are this test's) on the stack's server and
    participants, starting sagas on `task_queue`."""
    api_settings = ApiSettings.model_validate(
        {"token": TOKEN, "orders_url": stack.participants.orders.url} | settings
    )
    temporal = TemporalSettings.model_validate(
        {
            "address": stack.client.service_client.config.target_host,
            "namespace": stack.client.namespace,
            "task_queue": task_queue,
        }
    )
    with serve(create_app(api_settings, sagas, temporal)) as server:
        async with httpx.AsyncClient(base_url=server.url, headers=AUTH, timeout=60) as api:
            yield server.app.state.projection, api


async def place(api: httpx.AsyncClient, body: Json) -> str:
    response = await api.post("/orders", json=body)
    assert response.status_code == 202, response.text
    saga_id: str = response.json()["saga_id"]
    return saga_id


def queue(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


async def test_reads_answer_from_memory_with_no_worker_and_after_it_stops(
    stack: Stack, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    task_queue = queue("projection-alone")
    async with projection_api(stack, task_queue) as (projection, api):
        unserved = await place(api, world.order((0, 1)))  # no worker polls this queue yet
        saga = await saga_of(api, unserved)
        assert saga["status"] == "RUNNING" and {s["status"] for s in saga["steps"]} == {"PENDING"}
        await faults.hold(stack.participants.kitchen, "/tickets")
        async with saga_worker(stack.client, task_queue, stack.participants.urls()):
            await step_runs(api, unserved, "create_ticket")
            await step_succeeds(api, unserved, "verify_consumer")
        described = projection.counters.describes
        for _ in range(5):
            saga = await saga_of(api, unserved)
            assert step(saga, "verify_consumer")["status"] == "SUCCEEDED"
            assert step(saga, "create_ticket")["status"] == "RUNNING"
        assert projection.counters.describes == described  # followed since it started
        assert projection.counters.started == 1
        assert projection.counters.memory_reads >= 5


async def test_waiting_clients_of_one_saga_share_one_follower(stack: Stack, faults: Faults) -> None:
    world = await new_world(stack.http, stack.participants)
    kitchen = stack.participants.kitchen
    held = await faults.hold(kitchen, "/tickets")
    async with projection_api(stack, stack.task_queue) as (projection, api):
        saga_id = await place(api, world.order((0, 1)))
        await step_runs(api, saga_id, "create_ticket")
        polls = [
            asyncio.create_task(api.get(f"/sagas/{saga_id}", params={"wait_seconds": 50}))
            for _ in range(12)
        ]
        streams = [asyncio.create_task(sse(api, saga_id)) for _ in range(3)]

        async def all_waiting() -> None:
            follower = projection.followers[saga_id]
            assert follower.waiters == len(polls) + len(streams), follower.waiters

        await eventually_async(all_waiting)
        await faults.release(kitchen, held)
        answers = await asyncio.gather(*polls)
        assert {answer.json()["status"] for answer in answers} == {"COMPLETED"}
        for events in await asyncio.gather(*streams):
            assert events[0]["status"] == "RUNNING" and events[-1]["status"] == "COMPLETED"
        assert projection.counters.started == 1
        assert projection.counters.closed == 1
        assert saga_id not in projection.followers
        assert projection.counters.folds >= 1  # its steps' changes folded from the history
        # What the memo upserts folded into is what a describe reads.
        described, _, _ = await current(stack.client, saga_id)
        assert projection.finals[saga_id].state == described


STEP_ORDER = ["PENDING", "RUNNING", "SUCCEEDED", "COMPENSATING", "COMPENSATED", "FAILED"]
SAGA_ORDER = ["RUNNING", "COMPENSATING", "NEEDS_ATTENTION", *sorted(TERMINAL)]


def progress(saga: Json) -> tuple[int, ...]:
    return (
        SAGA_ORDER.index(saga["status"]) > 0,
        *(STEP_ORDER.index(s["status"]) for s in saga["steps"]),
    )


async def test_no_client_sees_an_older_state_than_it_saw_before(stack: Stack) -> None:
    """A completing saga's steps only move forward; so does every client's view of them, while
    clients read it as fast as they can and the follower keeps changing it."""
    world = await new_world(stack.http, stack.participants)
    async with projection_api(stack, stack.task_queue) as (_, api):
        saga_ids = [await place(api, world.order((0, 1))) for _ in range(3)]

        async def reader(saga_id: str) -> list[tuple[int, ...]]:
            seen = []
            while True:
                saga = await saga_of(api, saga_id)
                seen.append(progress(saga))
                if saga["status"] in TERMINAL:
                    return seen

        views = await asyncio.gather(*(reader(s) for s in saga_ids for _ in range(4)))
    for view in views:
        for earlier, later in itertools.pairwise(view):
            assert all(a <= b for a, b in zip(earlier, later, strict=True)), (earlier, later)


async def test_followers_end_when_idle_and_are_capped(stack: Stack) -> None:
    task_queue = queue("projection-cap")  # no worker: the sagas stay RUNNING
    limits: dict[str, Any] = {"status_followers": 2, "status_idle_seconds": 0.5}
    async with projection_api(stack, task_queue, FAST_SAGAS, **limits) as (projection, api):
        first, second, third = [await place(api, ORDER) for _ in range(3)]
        assert sorted(projection.followers) == sorted([first, second])
        assert projection.counters.refused == 1
        for _ in range(3):  # beyond the cap: every read describes
            assert (await saga_of(api, third))["status"] == "RUNNING"
        assert projection.counters.describes == 3

        async def all_evicted() -> None:
            assert not projection.followers
            assert projection.counters.evicted == 2

        await eventually_async(all_evicted)
        assert (await saga_of(api, third))["status"] == "RUNNING"
        assert list(projection.followers) == [third]  # read while running: followed again


async def test_a_retried_steps_attempts_show_while_it_retries(stack: Stack, faults: Faults) -> None:
    world = await new_world(stack.http, stack.participants)
    patient = FAST_SAGAS.model_copy(
        update={
            "step_max_attempts": 100,
            "retry_initial_seconds": 0.2,
            "retry_max_interval_seconds": 0.2,
        }
    )
    task_queue = queue("projection-retries")
    await faults.add(stack.participants.kitchen, "/tickets", status=503)  # until cleared
    async with (
        saga_worker(stack.client, task_queue, stack.participants.urls()),
        projection_api(stack, task_queue, patient) as (projection, api),
    ):
        saga_id = await place(api, world.order((0, 1)))

        async def retried() -> None:
            ticket = step(await saga_of(api, saga_id), "create_ticket")
            assert ticket["status"] == "RUNNING" and ticket["attempts"] >= 3, ticket
            assert ticket["error"] is not None, ticket

        await eventually_async(retried)
        assert projection.counters.live_refreshes >= 1
        await faults.clear(stack.participants.kitchen)
        assert (await saga_ends(api, saga_id))["status"] == "COMPLETED"


async def test_a_follower_drops_out_when_the_server_goes_away(stack: Stack) -> None:
    """Its clients are answered 503 `temporal_unavailable`, as without a read model."""
    env = await start_dev_server()
    running = True
    try:
        target = env.client.service_client.config.target_host
        client = await Client.connect(target, retry_config=QUICK)
        settings = ApiSettings.model_validate({"token": TOKEN})
        temporal = TemporalSettings.model_validate({"task_queue": queue("projection-outage")})
        app = create_app(settings, temporal_settings=temporal, temporal_client=client)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://api", headers=AUTH) as api,
        ):
            projection: SagaProjection = app.state.projection
            saga_id = await place(api, ORDER)
            assert (await saga_of(api, saga_id))["status"] == "RUNNING"
            waiting = asyncio.create_task(api.get(f"/sagas/{saga_id}", params={"wait_seconds": 50}))

            async def polled() -> None:
                assert projection.followers[saga_id].waiters == 1

            await eventually_async(polled)
            await env.shutdown()
            running = False
            assert_error(await waiting, 503, "temporal_unavailable")
            assert projection.counters.dropped == 1
            assert not projection.followers
            assert_error(await api.get(f"/sagas/{saga_id}"), 503, "temporal_unavailable")
    finally:
        if running:
            await env.shutdown()
