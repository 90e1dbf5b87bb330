"""What `saga load` orders from: a consumer with an account and an open restaurant, created
through the participants as a client would."""

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from cli.api import CliError, check, unreachable
from cli.config import LoadSettings

REPLICA_TIMEOUT_SECONDS = 30.0
PRICE_CENTS = 1250


@dataclass
class Seed:
    consumer_id: str
    restaurant_id: str
    menu_item_id: str

    def order(self) -> dict[str, Any]:
        item = {"menu_item_id": self.menu_item_id, "quantity": 1}
        return {
            "consumer_id": self.consumer_id,
            "restaurant_id": self.restaurant_id,
            "line_items": [item],
        }


async def seed(http: httpx.AsyncClient, urls: LoadSettings, orders: int) -> Seed:
    try:
        consumer = await _created(http, f"{urls.consumers_url}/consumers", {"name": "Load"})
        consumer_id = str(consumer["id"])
        account = {"consumer_id": consumer_id, "credit_limit_cents": PRICE_CENTS * orders * 2}
        await _created(http, f"{urls.accounting_url}/accounts", account)
        item = f"load-{uuid.uuid4().hex[:8]}"
        restaurant = {
            "name": "Load test kitchen",
            "accepting_orders": True,
            "menu_items": [{"id": item, "name": "Dal", "price_cents": PRICE_CENTS}],
        }
        restaurant_id = str(
            (await _created(http, f"{urls.kitchen_url}/restaurants", restaurant))["id"]
        )
        await _replicated(http, f"{urls.orders_url}/restaurants/{restaurant_id}")
    except httpx.TransportError as error:
        raise unreachable(str(error.request.url), error) from error
    return Seed(consumer_id, restaurant_id, item)


async def _created(http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(url, json=body)
    check(response)
    created: dict[str, Any] = response.json()
    return created


async def _replicated(http: httpx.AsyncClient, url: str) -> None:
    """The orders service learns restaurants from the kitchen's event feed: wait for it."""
    deadline = time.monotonic() + REPLICA_TIMEOUT_SECONDS
    while (await http.get(url)).status_code != 200:
        if time.monotonic() > deadline:
            raise CliError(f"the orders service did not replicate the restaurant ({url})")
        await asyncio.sleep(0.1)
