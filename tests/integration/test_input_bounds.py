"""Participant commands refuse out-of-bounds input with `422 invalid_request` before anything
happens: quantities are integers 1-1000 (no floats, no booleans), 1-50 line items, client ids
1-64 characters of [A-Za-z0-9_-], saga ids up to 200 characters."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.support.participants import MENU, Json, participant_app, running

Start = Callable[[str], httpx.Client]
BAD_IDS = ["", "a" * 65, "a b", "a/b", "ä", "a.b"]
LINE = {"menu_item_id": "curry", "quantity": 1}
BAD_QUANTITIES: list[object] = [2097152.0, 1.5, True, "2", 0, 1001]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    with ExitStack() as stack:

        def run(name: str) -> httpx.Client:
            url = f"sqlite:///{tmp_path / name}.db"
            return stack.enter_context(running(participant_app(name, url)))

        yield run


def refused(client: httpx.Client, path: str, body: Json) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, (body, response.text)
    assert response.json()["error"]["code"] == "invalid_request", response.text


def ticket(**changes: object) -> Json:
    body: Json = {"order_id": "o-1", "restaurant_id": "ajanta", "line_items": [LINE]}
    return body | changes


def test_kitchen_bounds(start: Start) -> None:
    kitchen = start("kitchen")
    for bad in BAD_IDS:
        refused(kitchen, "/restaurants", {"id": bad, "name": "A"})
        refused(kitchen, "/restaurants", {"name": "A", "menu_items": [MENU[0] | {"id": bad}]})
        refused(kitchen, "/tickets", ticket(order_id=bad))
    for quantity in BAD_QUANTITIES:
        refused(kitchen, "/tickets", ticket(line_items=[LINE | {"quantity": quantity}]))
    refused(kitchen, "/tickets", ticket(line_items=[LINE] * 51))
    refused(kitchen, "/tickets", ticket(saga_id="s" * 201))
    refused(kitchen, "/restaurants", {"name": "A", "menu_items": [MENU[0] | {"price_cents": 1.0}]})
    long_saga_id = kitchen.post("/tickets", json=ticket(saga_id="s" * 200))
    assert long_saga_id.json()["error"]["code"] == "unknown_restaurant"  # valid, then refused


def test_orders_bounds(start: Start) -> None:
    orders = start("orders")
    order = {
        "order_id": "o-1",
        "consumer_id": "ann",
        "restaurant_id": "ajanta",
        "line_items": [LINE],
    }
    for bad in BAD_IDS:
        for field in ("order_id", "consumer_id", "restaurant_id"):
            refused(orders, "/orders", order | {field: bad})
    for quantity in BAD_QUANTITIES[:4]:  # 0 and 1001 are the business rule's invalid_quantity
        refused(orders, "/orders", order | {"line_items": [LINE | {"quantity": quantity}]})
    refused(orders, "/orders", order | {"line_items": [LINE] * 51})


def test_consumers_and_accounting_bounds(start: Start) -> None:
    consumers, accounting = start("consumers"), start("accounting")
    charge = {"order_id": "o-1", "consumer_id": "ann", "amount_cents": 1}
    for bad in BAD_IDS:
        refused(consumers, "/consumers", {"id": bad, "name": "Ann"})
        refused(accounting, "/accounts", {"consumer_id": bad, "credit_limit_cents": 1})
        refused(accounting, "/authorizations", charge | {"order_id": bad})
    for amount in (1.0, True, -1, 2**63):
        refused(accounting, "/accounts", {"consumer_id": "ann", "credit_limit_cents": amount})
        refused(accounting, "/authorizations", charge | {"amount_cents": amount})
    assert consumers.post("/consumers", json={"id": "a" * 64, "name": "Ann"}).status_code == 201
