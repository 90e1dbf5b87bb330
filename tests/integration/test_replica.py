"""Orders' restaurant replica follows kitchen's event feed, across a restart of orders."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

import participants.orders.main as orders_main
from event_feed.commits import signal_of
from event_feed.dead_letters import DeadLetter
from event_feed.outbox import record_event
from event_feed.subscriber import Event, SubscriberStatus, SubscriptionCursor
from participants.kitchen.config import Settings as KitchenSettings
from participants.kitchen.main import create_app as create_kitchen
from participants.orders.config import Settings as OrdersSettings
from participants.orders.main import create_app as create_orders
from participants.orders.replica import apply_kitchen_event
from service_app.web import engine_of
from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.participants import Json, answer, events, running
from tests.support.servers import RunningServer, start_server

MENU = [{"id": "curry", "name": "Chicken Vindaloo", "price_cents": 1250}]


@pytest.fixture
def kitchen_app(database_factory: DatabaseFactory) -> FastAPI:
    return create_kitchen(KitchenSettings(database_url=database_factory("kitchen")))


@pytest.fixture
def kitchen(kitchen_app: FastAPI) -> Iterator[httpx.Client]:
    with running(kitchen_app) as client:
        yield client


def start_orders(database_url: str, kitchen: httpx.Client) -> RunningServer:
    settings = OrdersSettings(database_url=database_url, kitchen_url=str(kitchen.base_url))
    return start_server(create_orders(settings))


def open_restaurant(kitchen: httpx.Client, name: str) -> Json:
    body = {"name": name, "accepting_orders": True, "menu_items": MENU}
    return answer(kitchen.post("/restaurants", json=body), 201)


def revise(kitchen: httpx.Client, restaurant_id: str, **patch: object) -> Json:
    return answer(kitchen.patch(f"/restaurants/{restaurant_id}", json=patch), 200)


def wait_for_replica(orders: httpx.Client, restaurant: Json) -> None:
    """Until orders' replica shows `restaurant` as kitchen answered it."""
    fields = ("id", "name", "accepting_orders", "menu_items")
    expected = {field: restaurant[field] for field in fields}

    def replicated() -> None:
        assert orders.get(f"/restaurants/{restaurant['id']}").json() == expected

    eventually(replicated, timeout=5, interval=0.01)


def replica_waiting(kitchen_app: FastAPI) -> None:
    """The replica's long poll is parked on kitchen's feed: it read everything and waits."""
    assert signal_of(engine_of(kitchen_app)).waiters == 1


def test_the_waiting_replica_applies_each_kitchen_commit(
    database_factory: DatabaseFactory, kitchen_app: FastAPI, kitchen: httpx.Client
) -> None:
    """Each change is committed while the replica's request is already waiting at kitchen: it
    arrives by that request's answer, not by a poll on a timer."""
    server = start_orders(database_factory("orders"), kitchen)
    try:
        with httpx.Client(base_url=server.url) as orders:
            eventually(lambda: replica_waiting(kitchen_app))
            ajanta = open_restaurant(kitchen, "Ajanta")
            wait_for_replica(orders, ajanta)
            eventually(lambda: replica_waiting(kitchen_app))
            new_menu = [{"id": "dal", "name": "Dal", "price_cents": 900}]
            revised = revise(kitchen, ajanta["id"], name="Ajanta 2", menu_items=new_menu)
            wait_for_replica(orders, revised)
            order = orders.post("/orders", json=order_for(ajanta["id"], "dal")).json()
    finally:
        server.stop()

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


def test_an_event_the_replica_cannot_apply_is_set_aside_and_later_events_apply(
    database_factory: DatabaseFactory, kitchen_app: FastAPI, kitchen: httpx.Client
) -> None:
    with Session(engine_of(kitchen_app)) as session:  # a restaurant event without its menu
        record_event(session, "RestaurantCreated", "restaurant", "bad", {"id": "bad", "name": "B"})
        session.commit()
    ajanta = open_restaurant(kitchen, "Ajanta")
    server = start_orders(database_factory("orders"), kitchen)
    try:
        with httpx.Client(base_url=server.url) as orders:
            wait_for_replica(orders, ajanta)
            missing = orders.get("/restaurants/bad").status_code
        # the status is updated once the batch's transaction (which the probe above saw) returns
        status = eventually(lambda: _status_at(server, 2))
        set_aside = dead_letters(server)
    finally:
        server.stop()
    assert missing == 404
    assert [(letter.source, letter.seq) for letter in set_aside] == [("kitchen", 1)]
    assert (
        set_aside[0].error.startswith("KeyError") and set_aside[0].event["payload"]["id"] == "bad"
    )
    assert (status.dead_letters, status.last_seq, status.last_error) == (1, 2, None)


def test_a_database_error_retries_the_batch_instead_of_setting_events_aside(
    database_factory: DatabaseFactory, kitchen: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    def failing_once(session: Session, event: Event) -> None:
        attempts.append(event["seq"])
        if len(attempts) == 1:
            raise OperationalError("UPDATE replica_restaurant", {}, Exception("disk I/O error"))
        apply_kitchen_event(session, event)

    monkeypatch.setattr(orders_main, "apply_kitchen_event", failing_once)
    ajanta = open_restaurant(kitchen, "Ajanta")
    server = start_orders(database_factory("orders"), kitchen)
    try:
        with httpx.Client(base_url=server.url) as orders:
            wait_for_replica(orders, ajanta)
        set_aside = dead_letters(server)
    finally:
        server.stop()
    assert attempts == [1, 1] and set_aside == []


def _status_at(server: RunningServer, seq: int) -> SubscriberStatus:
    status: SubscriberStatus = server.app.state.replica.status()
    assert status.last_seq == seq
    return status


def dead_letters(server: RunningServer) -> list[DeadLetter]:
    with Session(engine_of(server.app)) as session:
        return list(session.exec(select(DeadLetter)))
