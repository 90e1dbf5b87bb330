"""Orders' restaurant replica follows kitchen's event feed, across a restart of orders."""

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

import participants.orders.main as orders_main
from common.subscriber import Event, SubscriptionCursor
from common.web import engine_of
from participants.kitchen.config import Settings as KitchenSettings
from participants.kitchen.main import create_app as create_kitchen
from participants.orders.config import Settings as OrdersSettings
from participants.orders.main import create_app as create_orders
from participants.orders.replica import apply_kitchen_event
from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.participants import Json, answer, events, running
from tests.support.servers import RunningServer, start_server

MENU = [{"id": "curry", "name": "Chicken Vindaloo", "price_cents": 1250}]
MAX_LAG_SECONDS = 0.5


@pytest.fixture
def kitchen(database_factory: DatabaseFactory) -> Iterator[httpx.Client]:
    settings = KitchenSettings(database_url=database_factory("kitchen"))
    with running(create_kitchen(settings)) as client:
        yield client


def start_orders(database_url: str, kitchen: httpx.Client) -> RunningServer:
    settings = OrdersSettings(
        database_url=database_url,
        kitchen_url=str(kitchen.base_url),
        replica_poll_interval=0.02,
    )
    return start_server(create_orders(settings))


def open_restaurant(kitchen: httpx.Client, name: str) -> Json:
    body = {"name": name, "accepting_orders": True, "menu_items": MENU}
    return answer(kitchen.post("/restaurants", json=body), 201)


def revise(kitchen: httpx.Client, restaurant_id: str, **patch: object) -> Json:
    return answer(kitchen.patch(f"/restaurants/{restaurant_id}", json=patch), 200)


def wait_for_replica(orders: httpx.Client, restaurant: Json) -> float:
    """Seconds until orders' replica shows `restaurant` as kitchen answered it."""
    fields = ("id", "name", "accepting_orders", "menu_items")
    expected = {field: restaurant[field] for field in fields}
    started = time.monotonic()

    def replicated() -> None:
        assert orders.get(f"/restaurants/{restaurant['id']}").json() == expected

    eventually(replicated, timeout=5, interval=0.01)
    return time.monotonic() - started


def test_replica_follows_kitchen_well_within_a_second(
    database_factory: DatabaseFactory, kitchen: httpx.Client
) -> None:
    server = start_orders(database_factory("orders"), kitchen)
    try:
        with httpx.Client(base_url=server.url) as orders:
            ajanta = open_restaurant(kitchen, "Ajanta")
            created_lag = wait_for_replica(orders, ajanta)
            new_menu = [{"id": "dal", "name": "Dal", "price_cents": 900}]
            revised = revise(kitchen, ajanta["id"], name="Ajanta 2", menu_items=new_menu)
            revised_lag = wait_for_replica(orders, revised)
            order = orders.post("/orders", json=order_for(ajanta["id"], "dal")).json()
    finally:
        server.stop()

    assert max(created_lag, revised_lag) < MAX_LAG_SECONDS
    assert (order["restaurant_name"], order["total_cents"]) == ("Ajanta 2", 1800)


def order_for(restaurant_id: str, menu_item_id: str) -> Json:
    return {
        "order_id": "o-1",
        "consumer_id": "ann",
        "restaurant_id": restaurant_id,
        "line_items": [{"menu_item_id": menu_item_id, "quantity": 2}],
    }


def test_restarted_orders_catches_up_without_applying_anything_twice(
    database_factory: DatabaseFactory, kitchen: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[int] = []

    def counting(session: Session, event: Event) -> None:
        applied.append(event["seq"])
        apply_kitchen_event(session, event)

    monkeypatch.setattr(orders_main, "apply_kitchen_event", counting)
    database_url = database_factory("orders")

    first = start_orders(database_url, kitchen)
    with httpx.Client(base_url=first.url) as orders:
        ajanta = open_restaurant(kitchen, "Ajanta")
        wait_for_replica(orders, ajanta)
    first.stop()

    closed = revise(kitchen, ajanta["id"], accepting_orders=False)
    bombay = open_restaurant(kitchen, "Bombay")
    last_seq = events(kitchen)[-1]["seq"]

    second = start_orders(database_url, kitchen)
    try:
        with httpx.Client(base_url=second.url) as orders:
            wait_for_replica(orders, closed)
            wait_for_replica(orders, bombay)
        eventually(lambda: assert_cursor(second, last_seq))
    finally:
        second.stop()

    assert applied == list(range(1, last_seq + 1)), "each event applied once, in order"


def assert_cursor(server: RunningServer, seq: int) -> None:
    with Session(engine_of(server.app)) as session:
        cursor = session.get(SubscriptionCursor, "kitchen")
    assert cursor is not None and cursor.last_seq == seq
