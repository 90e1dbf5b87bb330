"""Create consumers, restaurants and accounts in the participants, as a client would."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.eventually import eventually_async
from tests.support.stack import Participants


@dataclass
class World:
    consumer_id: str
    restaurant_id: str
    menu: list[dict[str, Any]]

    def order(self, *items: tuple[int, int], consumer_id: str | None = None) -> dict[str, Any]:
        """A POST /orders body: (menu index, quantity) pairs."""
        return {
            "consumer_id": consumer_id or self.consumer_id,
            "restaurant_id": self.restaurant_id,
            "line_items": [
                {"menu_item_id": self.menu[index]["id"], "quantity": qty} for index, qty in items
            ],
        }


def menu() -> list[dict[str, Any]]:
    tag = uuid.uuid4().hex[:6]
    return [
        {"id": f"curry-{tag}", "name": "Chicken Vindaloo", "price_cents": 1250},
        {"id": f"naan-{tag}", "name": "Garlic Naan", "price_cents": 350},
    ]


async def new_consumer(
    http: httpx.AsyncClient,
    p: Participants,
    status: str = "ACTIVE",
    credit_cents: int | None = 100_000,
) -> str:
    response = await http.post(
        f"{p.consumers.url}/consumers", json={"name": "Ann", "status": status}
    )
    assert response.status_code == 201, response.text
    consumer_id: str = response.json()["id"]
    if credit_cents is not None:
        account = {"consumer_id": consumer_id, "credit_limit_cents": credit_cents}
        response = await http.post(f"{p.accounting.url}/accounts", json=account)
        assert response.status_code == 201, response.text
    return consumer_id


async def new_restaurant(
    http: httpx.AsyncClient, p: Participants, accepting: bool = True
) -> tuple[str, list[dict[str, Any]]]:
    items = menu()
    body = {"name": "Ajanta", "accepting_orders": accepting, "menu_items": items}
    response = await http.post(f"{p.kitchen.url}/restaurants", json=body)
    assert response.status_code == 201, response.text
    restaurant_id: str = response.json()["id"]

    async def replicated() -> None:
        response = await http.get(f"{p.orders.url}/restaurants/{restaurant_id}")
        assert response.status_code == 200

    await eventually_async(replicated)
    return restaurant_id, items


async def new_world(
    http: httpx.AsyncClient,
    p: Participants,
    *,
    consumer_status: str = "ACTIVE",
    credit_cents: int = 100_000,
    accepting: bool = True,
) -> World:
    consumer_id = await new_consumer(http, p, consumer_status, credit_cents)
    restaurant_id, items = await new_restaurant(http, p, accepting)
    return World(consumer_id, restaurant_id, items)
