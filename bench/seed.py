"""Consumers with ample credit and one open restaurant, created as a client would."""

import asyncio
import time
from dataclasses import dataclass
from itertools import count
from typing import Any

import httpx

CREDIT_CENTS = 10**12


@dataclass
class World:
    consumer_ids: list[str]
    restaurant_id: str
    menu_item_id: str
    _next: Any = None

    def order(self) -> dict[str, Any]:
        """A POST /orders body; consumers take turns."""
        if self._next is None:
            self._next = count()
        consumer = self.consumer_ids[next(self._next) % len(self.consumer_ids)]
        return {
            "consumer_id": consumer,
            "restaurant_id": self.restaurant_id,
            "line_items": [{"menu_item_id": self.menu_item_id, "quantity": 2}],
        }


async def seed(http: httpx.AsyncClient, urls: dict[str, str], consumers: int = 8) -> World:
    consumer_ids = [await _consumer(http, urls, n) for n in range(consumers)]
    menu = [{"id": "curry", "name": "Chicken Vindaloo", "price_cents": 1250}]
    body = {"name": "Ajanta", "accepting_orders": True, "menu_items": menu}
    response = await http.post(f"{urls['kitchen']}/restaurants", json=body)
    response.raise_for_status()
    restaurant_id = response.json()["id"]
    await _replicated(http, f"{urls['orders']}/restaurants/{restaurant_id}")
    return World(consumer_ids, restaurant_id, "curry")


async def _consumer(http: httpx.AsyncClient, urls: dict[str, str], n: int) -> str:
    response = await http.post(f"{urls['consumers']}/consumers", json={"name": f"bench-{n}"})
    response.raise_for_status()
    consumer_id: str = response.json()["id"]
    account = {"consumer_id": consumer_id, "credit_limit_cents": CREDIT_CENTS}
    response = await http.post(f"{urls['accounting']}/accounts", json=account)
    response.raise_for_status()
    return consumer_id


async def _replicated(http: httpx.AsyncClient, url: str, timeout: float = 30.0) -> None:
    """Wait until the orders service's replica knows the restaurant."""
    deadline = time.monotonic() + timeout
    while (await http.get(url)).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not replicated within {timeout:.0f}s")
        await asyncio.sleep(0.1)
