"""Drive and watch sagas as a client would: the public API, the participants, fault rules."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tests.support.eventually import eventually_async
from tests.support.seed import new_world
from tests.support.servers import RunningServer
from tests.support.stack import Participants, Stack
from workflows.create_order import CREATE_ORDER

Json = dict[str, Any]
TERMINAL = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED"}
SETTLED = {*TERMINAL, "NEEDS_ATTENTION"}
CREATE_ORDER_STEPS = [step.name for step in CREATE_ORDER.steps]


def create_order_steps(*values: str) -> dict[str, str]:
    """Create Order step statuses in definition order; the steps not named are SKIPPED."""
    rest = ["SKIPPED"] * (len(CREATE_ORDER_STEPS) - len(values))
    return dict(zip(CREATE_ORDER_STEPS, [*values, *rest], strict=True))


async def saga_of(api: httpx.AsyncClient, saga_id: str) -> Json:
    response = await api.get(f"/sagas/{saga_id}")
    assert response.status_code == 200, response.text
    saga: Json = response.json()
    return saga


async def saga_ends(api: httpx.AsyncClient, saga_id: str, timeout: float = 30) -> Json:
    """Wait until the saga is closed and return it."""

    async def closed() -> Json:
        saga = await settled_saga(api, saga_id, timeout)
        assert saga["status"] in TERMINAL, saga["status"]
        return saga

    return await eventually_async(closed, timeout=timeout)


async def saga_reaches(
    api: httpx.AsyncClient, saga_id: str, status: str, timeout: float = 30
) -> Json:
    async def reached() -> Json:
        settles = status in SETTLED  # the long poll waits for these only
        saga = await (settled_saga(api, saga_id, timeout) if settles else saga_of(api, saga_id))
        assert saga["status"] == status, saga["status"]
        return saga

    return await eventually_async(reached, timeout=timeout)


async def settled_saga(api: httpx.AsyncClient, saga_id: str, timeout: float) -> Json:
    """The API's long poll: the saga as soon as it is closed or needs attention."""
    seconds = max(1, min(60, int(timeout)))
    response = await api.get(
        f"/sagas/{saga_id}", params={"wait_seconds": seconds}, timeout=seconds + 15
    )
    assert response.status_code == 200, response.text
    saga: Json = response.json()
    return saga


async def step_is(api: httpx.AsyncClient, saga_id: str, step: str, status: str) -> Json:
    """Wait until `step` has `status`; answer the saga."""

    async def reached() -> Json:
        saga = await saga_of(api, saga_id)
        assert steps(saga)[step] == status, steps(saga)
        return saga

    return await eventually_async(reached)


async def step_runs(api: httpx.AsyncClient, saga_id: str, step: str) -> Json:
    """Wait until `step` is RUNNING (held there by a delay fault)."""
    return await step_is(api, saga_id, step, "RUNNING")


async def step_succeeds(api: httpx.AsyncClient, saga_id: str, step: str) -> Json:
    """Wait until `step` has SUCCEEDED (a member of a group whose partner is held)."""
    return await step_is(api, saga_id, step, "SUCCEEDED")


def steps(saga: Json) -> dict[str, str]:
    """Step name → step status."""
    return {step["name"]: step["status"] for step in saga["steps"]}


def step(saga: Json, name: str) -> Json:
    found: Json = next(s for s in saga["steps"] if s["name"] == name)
    return found


async def place_order(api: httpx.AsyncClient, body: Json, key: str | None = None) -> Json:
    headers = {"Idempotency-Key": key} if key else {}
    response = await api.post("/orders", json=body, headers=headers)
    assert response.status_code == 202, response.text
    accepted: Json = response.json()
    return accepted


async def state_at(http: httpx.AsyncClient, url: str) -> str | None:
    """The `state` of a participant record, None when it does not exist."""
    response = await http.get(url)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


async def available_credit(http: httpx.AsyncClient, p: Participants, consumer_id: str) -> int:
    account = (await http.get(f"{p.accounting.url}/accounts/{consumer_id}")).json()
    cents: int = account["available_cents"]
    return cents


class Records:
    """Where an order's records live in each participant."""

    def __init__(self, http: httpx.AsyncClient, p: Participants, order_id: str) -> None:
        self.http, self.p, self.order_id = http, p, order_id

    async def order(self) -> str | None:
        return await state_at(self.http, f"{self.p.orders.url}/orders/{self.order_id}")

    async def ticket(self) -> str | None:
        return await state_at(self.http, f"{self.p.kitchen.url}/tickets/{self.order_id}")

    async def authorization(self) -> str | None:
        url = f"{self.p.accounting.url}/authorizations/{self.order_id}"
        return await state_at(self.http, url)

    async def all(self) -> tuple[str | None, str | None, str | None]:
        return await self.order(), await self.ticket(), await self.authorization()


class Faults:
    """Fault rules on the participants; every rule is cleared (and every held call let go) when
    the test ends."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.touched: set[str] = set()

    async def add(
        self,
        server: RunningServer,
        path: str,
        *,
        status: int | None = 503,
        delay_ms: int = 0,
        times: int | None = None,
        method: str = "POST",
        **rule: Any,
    ) -> str:
        """Add a rule (`rule` holds the other fields: when, hold, drop, sql, code); its id."""
        body = {"path": path, "method": method, "status": status, "delay_ms": delay_ms}
        response = await self.http.post(
            f"{server.url}/_faults", json=body | {"times": times} | rule
        )
        assert response.status_code == 201, response.text
        self.touched.add(server.url)
        rule_id: str = response.json()["id"]
        return rule_id

    async def hold(
        self, server: RunningServer, path: str, delay_ms: int | None = None, *, when: str = "before"
    ) -> str:
        """Hold the next matching call until `release` (or the end of the test): a latch.

        With `delay_ms`, let it through after that long instead (a timing window)."""
        if delay_ms is not None:
            return await self.add(server, path, status=None, delay_ms=delay_ms, times=1)
        return await self.add(server, path, status=None, times=1, hold=True, when=when)

    async def release(self, server: RunningServer, rule_id: str) -> None:
        response = await self.http.post(f"{server.url}/_faults/{rule_id}/release")
        assert response.status_code == 200, response.text

    async def held(self, server: RunningServer, rule_id: str) -> int:
        """How many calls wait on the rule now."""
        response = await self.http.get(f"{server.url}/_faults")
        assert response.status_code == 200, response.text
        held: int = next(rule["held"] for rule in response.json() if rule["id"] == rule_id)
        return held

    async def lose_answer(self, server: RunningServer, path: str, times: int = 1) -> str:
        """The next matching calls run and commit, but their caller gets a 503 instead."""
        return await self.add(server, path, times=times, when="after")

    async def drop_answer(self, server: RunningServer, path: str, times: int = 1) -> str:
        """The next matching calls run and commit, then their connection is dropped."""
        return await self.add(server, path, times=times, when="after", drop=True)

    async def clear(self, server: RunningServer | None = None) -> None:
        urls = [server.url] if server else sorted(self.touched)
        for url in urls:
            response = await self.http.delete(f"{url}/_faults")
            assert response.status_code == 204, response.text


@asynccontextmanager
async def fault_rules(http: httpx.AsyncClient) -> AsyncIterator[Faults]:
    faults = Faults(http)
    try:
        yield faults
    finally:
        await faults.clear()


async def order_held_at(
    stack: Stack,
    api: httpx.AsyncClient,
    faults: Faults,
    server: RunningServer,
    path: str,
    step: str,
) -> tuple[Json, str]:
    """A one-line order of a new world whose saga runs `step`, its request to `server`'s `path`
    held: the API's acceptance and the fault rule to release."""
    world = await new_world(stack.http, stack.participants)
    held = await faults.hold(server, path)
    accepted = await place_order(api, world.order((0, 1)))
    await step_runs(api, accepted["saga_id"], step)
    return accepted, held


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
