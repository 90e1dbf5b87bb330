"""Clients that wait: GET /sagas/{id}?wait_seconds=N (long poll) and GET /sagas/{id}/events
(Server-Sent Events), both served from the saga's history and memo."""

import json
import time
from collections.abc import Awaitable, Callable

import httpx

from tests.support.participants import assert_error
from tests.support.sagas import Faults, Json, place_order, step_runs
from tests.support.seed import new_world
from tests.support.stack import Stack


async def long_poll(api: httpx.AsyncClient, saga_id: str, seconds: float) -> tuple[Json, float]:
    began = time.monotonic()
    response = await api.get(f"/sagas/{saga_id}", params={"wait_seconds": seconds}, timeout=90)
    assert response.status_code == 200, response.text
    saga: Json = response.json()
    return saga, time.monotonic() - began


async def test_a_long_poll_answers_when_the_saga_completes(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    saga, waited = await long_poll(api, accepted["saga_id"], 60)
    assert saga["status"] == "COMPLETED", saga
    assert waited < 30


async def test_a_long_poll_answers_after_its_time_with_the_running_saga(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    await faults.hold(stack.participants.kitchen, "/tickets")  # until the end of the test
    accepted = await place_order(api, world.order((0, 1)))
    await step_runs(api, accepted["saga_id"], "create_ticket")
    saga, waited = await long_poll(api, accepted["saga_id"], 1)
    assert saga["status"] == "RUNNING", saga
    assert waited >= 1


async def test_a_long_poll_answers_when_the_saga_needs_attention(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    """NEEDS_ATTENTION settles a long poll like a closed saga: an operator is waited for."""
    world = await new_world(stack.http, stack.participants, credit_cents=100)  # card declined
    await faults.add(stack.participants.kitchen, r"/tickets/.*/reject", status=503)
    accepted = await place_order(api, world.order((0, 1)))
    saga, waited = await long_poll(api, accepted["saga_id"], 60)
    assert saga["status"] == "NEEDS_ATTENTION", saga
    assert waited < 30


async def sse(
    api: httpx.AsyncClient, saga_id: str, opened: Callable[[], Awaitable[None]] | None = None
) -> list[Json]:
    """Every `saga` event of the stream, read until the server ends it; `opened` runs once the
    first event has arrived."""
    events: list[Json] = []
    async with api.stream("GET", f"/sagas/{saga_id}/events", timeout=90) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                assert name == "saga"
                events.append(json.loads(line.removeprefix("data: ")))
                if opened is not None:
                    await opened()
                    opened = None
    return events


async def test_the_event_stream_follows_a_compensation_to_its_end(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=1000)
    kitchen = stack.participants.kitchen
    held = await faults.hold(kitchen, "/tickets")
    accepted = await place_order(api, world.order((0, 2)))
    await step_runs(api, accepted["saga_id"], "create_ticket")
    events = await sse(api, accepted["saga_id"], opened=lambda: faults.release(kitchen, held))
    statuses = [event["status"] for event in events]
    collapsed = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
    assert collapsed == ["RUNNING", "COMPENSATING", "COMPENSATED"], statuses
    changes = [(e["status"], [s["status"] for s in e["steps"]]) for e in events]
    assert len(set(map(str, changes))) == len(changes), "one event per change"
    assert events[-1]["error"]["code"] == "card_declined"


async def test_wait_seconds_is_bounded(api: httpx.AsyncClient) -> None:
    for seconds in (-1, 61, "soon"):
        response = await api.get("/sagas/create-order-x", params={"wait_seconds": seconds})
        assert response.status_code == 422, response.text


async def test_the_event_stream_of_an_unknown_saga_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/sagas/create-order-nothing-here/events")
    assert_error(response, 404, "saga_not_found")
