"""Clients of a reliability stack: seed it, place orders as a client would, and check the end
state: every acknowledged saga closed once, in exactly one terminal state, the audit clean."""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.reliability.stack import ProcessStack
from tests.support.eventually import eventually_async

Json = dict[str, Any]
TERMINAL = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED"}
MENU_PRICE = 1250


@dataclass
class World:
    consumer_id: str
    restaurant_id: str
    menu_item_id: str

    def order(self, quantity: int = 1) -> Json:
        item = {"menu_item_id": self.menu_item_id, "quantity": quantity}
        return {
            "consumer_id": self.consumer_id,
            "restaurant_id": self.restaurant_id,
            "line_items": [item],
        }


async def seed(stack: ProcessStack, credit_cents: int) -> World:
    """A consumer with an account and a restaurant the orders service has replicated."""
    async with httpx.AsyncClient(timeout=30) as http:
        consumer = await _created(http, f"{stack.url('consumers')}/consumers", {"name": "Ann"})
        account = {"consumer_id": consumer["id"], "credit_limit_cents": credit_cents}
        await _created(http, f"{stack.url('accounting')}/accounts", account)
        item_id = f"curry-{uuid.uuid4().hex[:6]}"
        item = {"id": item_id, "name": "Curry", "price_cents": MENU_PRICE}
        body = {"name": "Ajanta", "accepting_orders": True, "menu_items": [item]}
        restaurant = await _created(http, f"{stack.url('kitchen')}/restaurants", body)

        async def replicated() -> None:
            url = f"{stack.url('orders')}/restaurants/{restaurant['id']}"
            assert (await http.get(url)).status_code == 200

        await eventually_async(replicated, timeout=30)
    return World(consumer["id"], restaurant["id"], item_id)


async def _created(http: httpx.AsyncClient, url: str, body: Json) -> Json:
    response = await http.post(url, json=body)
    assert response.status_code == 201, response.text
    created: Json = response.json()
    return created


@dataclass
class Clients:
    """Places orders with an Idempotency-Key each; retrying ones resend the same key and body
    until the API acknowledges (202), whatever failed in between."""

    api: httpx.AsyncClient
    acks: dict[str, Json] = field(default_factory=dict)  # saga id -> the 202 body
    refusals: Counter[str] = field(default_factory=Counter)  # status (or error) -> count

    async def place(self, body: Json, retry: bool = False) -> Json:
        key = uuid.uuid4().hex
        while True:
            try:
                response = await self.api.post(
                    "/orders", json=body, headers={"Idempotency-Key": key}
                )
            except httpx.HTTPError as error:
                self.refusals[type(error).__name__] += 1
                if retry:
                    continue
                raise
            if response.status_code == 202 or not retry:
                break
            self.refusals[str(response.status_code)] += 1
        assert response.status_code == 202, response.text
        ack: Json = response.json()
        assert self.acks.setdefault(ack["saga_id"], ack) == ack, "one key, one saga"
        return ack

    async def place_all(
        self, bodies: Iterable[Json], concurrency: int, retry: bool = False
    ) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: Json) -> None:
            async with gate:
                await self.place(body, retry)

        await asyncio.gather(*(one(body) for body in bodies))


async def closed_sagas(stack: ProcessStack) -> int:
    assert stack.client is not None
    count = await stack.client.count_workflows("ExecutionStatus != 'Running'")
    return count.count


async def when_closed(stack: ProcessStack, at_least: int, timeout: float = 120) -> None:
    async def enough() -> None:
        assert await closed_sagas(stack) >= at_least

    await eventually_async(enough, timeout=timeout, interval=0.2)


async def every_saga_closes_once(
    stack: ProcessStack, clients: Clients, timeout: float = 180
) -> Counter[str]:
    """Every acknowledged saga has closed; each ran exactly once (one execution per saga id,
    none that was not acknowledged); answers the count of each terminal status."""
    await when_closed(stack, len(clients.acks), timeout)
    assert stack.client is not None
    runs = Counter([execution.id async for execution in stack.client.list_workflows()])
    assert set(runs) == set(clients.acks), "a saga that no client was told about, or a lost one"
    assert max(runs.values()) == 1, {saga: n for saga, n in runs.items() if n > 1}
    statuses = await asyncio.gather(*(saga_status(clients.api, saga) for saga in clients.acks))
    return Counter(statuses)


async def saga_status(api: httpx.AsyncClient, saga_id: str) -> str:
    response = await api.get(f"/sagas/{saga_id}")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    status = body["status"]
    assert status in TERMINAL, body
    if status == "COMPENSATED":
        return f"COMPENSATED:{body['error']['code']}"
    return str(status)


async def audit_is_clean(api: httpx.AsyncClient, timeout: float = 60) -> Json:
    """The audit finds nothing once the view has caught up with the participants."""

    async def clean() -> Json:
        response = await api.get("/audit")
        assert response.status_code == 200, response.text
        body: Json = response.json()
        assert body["ok"], body["violations"][:5]
        return body

    return await eventually_async(clean, timeout=timeout, interval=0.5)


async def during(load: Awaitable[None], chaos: Callable[[], Awaitable[None]]) -> float:
    """Run the load and the chaos together; answer the seconds they took."""
    started = time.monotonic()
    await asyncio.gather(load, chaos())
    return time.monotonic() - started
