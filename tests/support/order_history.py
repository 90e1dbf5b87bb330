"""Driving the participants as the sagas do, and reading the order-history view, for its tests."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import Session, col, select

from event_feed.commits import signal_of
from service_app.web import engine_of
from storage.engines import make_engine
from tests.support.eventually import eventually
from tests.support.participants import answer
from tests.support.servers import RunningServer, serve
from views.order_history.config import Settings
from views.order_history.main import create_app
from views.order_history.models import KnownRestaurant, OrderHistory

MENU = [{"id": "dal", "name": "Dal", "price_cents": 1200}]
LINE_ITEMS = [{"menu_item_id": "dal", "quantity": 2}]


@dataclass
class Participants:
    orders: httpx.Client
    kitchen: httpx.Client
    accounting: httpx.Client
    orders_app: FastAPI


def client(server: RunningServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=10)


@contextmanager
def running_view(settings: Settings) -> Iterator[httpx.Client]:
    with serve(create_app(settings)) as server, client(server) as view:
        yield view


# -- the participants, driven step by step as the sagas drive them ---------------------------


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def open_restaurant(p: Participants, name: str = "Ajanta", accepting: bool = True) -> str:
    """A kitchen restaurant, once the orders service's replica knows it."""
    body = {"name": name, "accepting_orders": accepting, "menu_items": MENU}
    restaurant_id: str = answer(p.kitchen.post("/restaurants", json=body), 201)["id"]
    eventually(lambda: answer(p.orders.get(f"/restaurants/{restaurant_id}"), 200))
    return restaurant_id


def open_account(p: Participants, credit_limit_cents: int = 1_000_000) -> str:
    consumer_id = new_id("consumer")
    body = {"consumer_id": consumer_id, "credit_limit_cents": credit_limit_cents}
    answer(p.accounting.post("/accounts", json=body), 201)
    return consumer_id


def create_order(p: Participants, consumer_id: str, restaurant_id: str) -> str:
    """The Create Order saga's steps, with its compensations on a business rejection."""
    order_id = new_id("order")
    base = {"order_id": order_id, "restaurant_id": restaurant_id, "line_items": LINE_ITEMS}
    saga = {"saga_id": f"create-order-{order_id}"}
    order = answer(p.orders.post("/orders", json={**base, **saga, "consumer_id": consumer_id}), 201)
    if p.kitchen.post("/tickets", json={**base, **saga}).status_code == 422:
        answer(p.orders.post(f"/orders/{order_id}/reject"), 200)
        return order_id
    charge = {"order_id": order_id, "consumer_id": consumer_id, **saga}
    authorization = {**charge, "amount_cents": order["total_cents"]}
    if p.accounting.post("/authorizations", json=authorization).status_code == 422:
        answer(p.kitchen.post(f"/tickets/{order_id}/reject"), 200)
        answer(p.orders.post(f"/orders/{order_id}/reject"), 200)
        return order_id
    answer(p.kitchen.post(f"/tickets/{order_id}/approve"), 200)
    answer(p.orders.post(f"/orders/{order_id}/approve"), 200)
    return order_id


def cancel_order(p: Participants, order_id: str) -> None:
    """The Cancel Order saga's steps."""
    answer(p.orders.post(f"/orders/{order_id}/cancel/begin"), 200)
    answer(p.kitchen.post(f"/tickets/{order_id}/cancel/begin"), 200)
    answer(p.accounting.post(f"/authorizations/{order_id}/reverse"), 200)
    answer(p.kitchen.post(f"/tickets/{order_id}/cancel/confirm"), 200)
    answer(p.orders.post(f"/orders/{order_id}/cancel/confirm"), 200)


def rename_restaurant(p: Participants, restaurant_id: str, name: str) -> None:
    answer(p.kitchen.patch(f"/restaurants/{restaurant_id}", json={"name": name}), 200)


def truth(p: Participants, order_id: str) -> dict[str, Any]:
    """What the participants themselves say about an order."""
    order = answer(p.orders.get(f"/orders/{order_id}"), 200)
    ticket = p.kitchen.get(f"/tickets/{order_id}")
    authorization = p.accounting.get(f"/authorizations/{order_id}")
    return {
        "state": order["state"],
        "ticket_state": ticket.json()["state"] if ticket.status_code == 200 else None,
        "authorization_state": (
            authorization.json()["state"] if authorization.status_code == 200 else None
        ),
    }


def states(view: httpx.Client, order_id: str) -> dict[str, Any]:
    response = view.get(f"/orders/{order_id}")
    assert response.status_code == 200, response.text
    row = response.json()
    return {key: row[key] for key in ("state", "ticket_state", "authorization_state")}


def current(view: httpx.Client, p: Participants, order_ids: list[str]) -> Callable[[], None]:
    """A probe: the view shows every order as the participants do."""

    def probe() -> None:
        for order_id in order_ids:
            assert states(view, order_id) == truth(p, order_id), order_id

    return probe


def listed(view: httpx.Client, consumer_id: str, **query: Any) -> list[dict[str, Any]]:
    """Every page of a consumer's history, followed to the end."""
    orders: list[dict[str, Any]] = []
    token = None
    while True:
        params = {**query, **({"page_token": token} if token else {})}
        page = answer(view.get(f"/consumers/{consumer_id}/orders", params=params), 200)
        orders += page["orders"]
        token = page["next_page_token"]
        if token is None:
            return orders


def some_history(p: Participants) -> list[str]:
    """Approved, declined, refused and cancelled orders, and a renamed restaurant."""
    restaurant_id, closed = open_restaurant(p, "Ajanta"), open_restaurant(p, accepting=False)
    rich, poor = open_account(p), open_account(p, credit_limit_cents=100)
    orders = [create_order(p, rich, restaurant_id) for _ in range(3)]
    orders += [create_order(p, poor, restaurant_id), create_order(p, rich, closed)]
    cancel_order(p, orders[0])
    rename_restaurant(p, restaurant_id, "Ajanta Palace")
    return orders


def view_contents(database_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every row of the view and of its restaurant names, in a stable order."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.exec(select(OrderHistory).order_by(col(OrderHistory.order_id)))
        names = session.exec(select(KnownRestaurant).order_by(col(KnownRestaurant.id)))
        contents = [row.model_dump() for row in rows], [name.model_dump() for name in names]
    engine.dispose()
    return contents


def add_stray_row(database_url: str) -> None:
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(row("stray", "c", datetime.now(UTC)))
        session.commit()
    engine.dispose()


def row(order_id: str, consumer_id: str, created_at: datetime) -> OrderHistory:
    return OrderHistory(
        order_id=order_id,
        consumer_id=consumer_id,
        restaurant_id="r",
        restaurant_name="R",
        total_cents=100,
        order_state="APPROVED",
        created_at=created_at,
        updated_at=created_at,
        order_seq=1,
    )


def view_waits_on(participant: FastAPI, view: httpx.Client) -> None:
    """The view caught up and its long poll waits at the participant's feed."""
    assert answer(view.get("/readyz"), 200)["status"] == "ok"
    assert signal_of(engine_of(participant)).waiters >= 1


def idle(readiness: dict[str, Any]) -> dict[str, Any]:
    assert readiness["lag_seconds"] < 1
    return readiness


def with_error(readiness: dict[str, Any]) -> dict[str, Any]:
    assert readiness["sources"]["accounting"]["last_error"]
    return readiness


def at_least(items: list[str], count: int) -> None:
    assert len(items) >= count


def equal(actual: Any, expected: Any) -> None:
    assert actual == expected


def restaurant_name(view: httpx.Client, order_id: str) -> str:
    name: str = answer(view.get(f"/orders/{order_id}"), 200)["restaurant_name"]
    return name
