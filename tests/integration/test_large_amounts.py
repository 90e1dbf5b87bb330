"""Amounts are 64-bit integer cents: orders and authorizations beyond 2^31 cents work, on SQLite
and PostgreSQL; inputs are bounded so that no computed total can leave 64 bits."""

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from participants.orders.models import ReplicaRestaurant
from service_app.web import engine_of
from tests.conftest import DatabaseFactory, StartParticipant
from tests.support.participants import answer, participant_app, running
from tests.support.servers import free_port

BILLION_DOLLAR_DISH = {"id": "gold", "name": "Gold Leaf Curry", "price_cents": 10**11}
INT64_MAX = 2**63 - 1


@pytest.fixture
def orders(database_factory: DatabaseFactory) -> Iterator[httpx.Client]:
    nowhere = f"http://127.0.0.1:{free_port()}"
    app = participant_app("orders", database_factory("orders"), kitchen_url=nowhere)
    with running(app) as client:
        with Session(engine_of(app)) as session:
            replica = ReplicaRestaurant(id="ritz", name="Ritz", menu_items=[BILLION_DOLLAR_DISH])
            session.add(replica)
            session.commit()
        yield client


def test_an_order_beyond_2_to_the_31_cents_is_placed(orders: httpx.Client) -> None:
    body = {"order_id": "o-1", "consumer_id": "ann", "restaurant_id": "ritz",
            "line_items": [{"menu_item_id": "gold", "quantity": 1000}]}  # fmt: skip
    placed = answer(orders.post("/orders", json=body), 201)
    assert placed["total_cents"] == 10**14
    assert answer(orders.get("/orders/o-1"), 200)["total_cents"] == 10**14


def test_an_authorization_beyond_2_to_the_31_cents_is_taken(participant: StartParticipant) -> None:
    accounting = participant("accounting")
    account = {"consumer_id": "ann", "credit_limit_cents": INT64_MAX}
    answer(accounting.post("/accounts", json=account), 201)
    charge = {"order_id": "o-1", "consumer_id": "ann", "amount_cents": 3 * 2**31}
    assert answer(accounting.post("/authorizations", json=charge), 201)["amount_cents"] == 3 * 2**31
    left = answer(accounting.get("/accounts/ann"), 200)["available_cents"]
    assert left == INT64_MAX - 3 * 2**31
    assert answer(accounting.post("/authorizations/o-1/reverse"), 200)["state"] == "REVERSED"
    assert answer(accounting.get("/accounts/ann"), 200)["available_cents"] == INT64_MAX


def test_amounts_that_could_leave_64_bits_are_refused(participant: StartParticipant) -> None:
    accounting = participant("accounting")
    too_much = {"consumer_id": "ann", "credit_limit_cents": INT64_MAX + 1}
    assert accounting.post("/accounts", json=too_much).status_code == 422
    kitchen = participant("kitchen")
    dish = BILLION_DOLLAR_DISH | {"price_cents": 10**12 + 1}
    menu = {"name": "Ritz", "menu_items": [dish]}
    assert kitchen.post("/restaurants", json=menu).status_code == 422
