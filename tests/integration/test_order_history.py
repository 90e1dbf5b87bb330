"""The order history view against the real participants: real sockets, real databases.

The tests drive the participants over HTTP the way the sagas do, step by step, and check that the
view converges on what the participants say.
"""

import asyncio
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from event_feed.commits import signal_of
from event_feed.dead_letters import DeadLetter
from event_feed.outbox import record_event
from service_app.web import engine_of
from storage.engines import create_tables, make_engine
from tests.conftest import DATABASE_KINDS, DatabaseFactory, database_urls
from tests.support.eventually import eventually
from tests.support.participants import answer, participant_app
from tests.support.servers import RunningServer, free_port, serve, start_server
from views.order_history import rebuild as rebuild_command
from views.order_history.config import Settings
from views.order_history.main import create_app
from views.order_history.models import TABLES, KnownRestaurant, OrderHistory
from views.order_history.pagination import decode_token, encode_token, newest_orders
from views.order_history.rebuild import rebuild

MENU = [{"id": "dal", "name": "Dal", "price_cents": 1200}]
LINE_ITEMS = [{"menu_item_id": "dal", "quantity": 2}]


@dataclass
class Participants:
    orders: httpx.Client
    kitchen: httpx.Client
    accounting: httpx.Client
    orders_app: FastAPI


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    """`database_factory` for a whole module, so that its tests share one set of participants
    (every test uses its own ids) and pay for starting them once per database kind."""
    with database_urls(request.param, tmp_path_factory.mktemp("databases")) as factory:
        yield factory


@pytest.fixture(scope="module")
def participants(databases: DatabaseFactory) -> Iterator[Participants]:
    with ExitStack() as stack:

        def start(name: str, **settings: Any) -> RunningServer:
            app = participant_app(name, databases(name), faults_enabled=False, **settings)
            return stack.enter_context(serve(app))

        kitchen = start("kitchen")
        orders, accounting = start("orders", kitchen_url=kitchen.url), start("accounting")
        clients = [stack.enter_context(client(s)) for s in (orders, kitchen, accounting)]
        yield Participants(clients[0], clients[1], clients[2], orders.app)


@pytest.fixture
def view_settings(databases: DatabaseFactory, participants: Participants) -> Settings:
    """A fresh, empty view following the shared participants."""
    return Settings(
        database_url=databases("view"),
        orders_url=str(participants.orders.base_url),
        kitchen_url=str(participants.kitchen.base_url),
        accounting_url=str(participants.accounting.base_url),
    )


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


# -- the view shows each saga's outcome -----------------------------------------------------


def test_an_approved_order_shows_every_participant_state(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id = open_restaurant(p, "Ajanta")
    consumer_id = open_account(p)
    order_id = create_order(p, consumer_id, restaurant_id)
    with running_view(view_settings) as view:
        eventually(current(view, p, [order_id]))
        row = answer(view.get(f"/orders/{order_id}"), 200)
    placed = answer(p.orders.get(f"/orders/{order_id}"), 200)
    assert row["state"] == "APPROVED"
    assert row["ticket_state"] == "AWAITING_ACCEPTANCE"
    assert row["authorization_state"] == "AUTHORIZED"
    for key in ("consumer_id", "restaurant_id", "restaurant_name", "total_cents", "line_items"):
        assert row[key] == placed[key]
    assert row["saga_id"] == f"create-order-{order_id}"
    assert row["restaurant_name"] == "Ajanta"
    assert row["total_cents"] == 2400
    assert datetime.fromisoformat(row["created_at"]) <= datetime.fromisoformat(row["updated_at"])


def test_rejections_and_cancellations_show_their_final_states(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    open_kitchen, closed_kitchen = open_restaurant(p), open_restaurant(p, accepting=False)
    rich, poor = open_account(p), open_account(p, credit_limit_cents=100)
    declined = create_order(p, poor, open_kitchen)
    refused = create_order(p, rich, closed_kitchen)
    cancelled = create_order(p, rich, open_kitchen)
    cancel_order(p, cancelled)
    undone = create_order(p, rich, open_kitchen)
    answer(p.orders.post(f"/orders/{undone}/cancel/begin"), 200)
    answer(p.orders.post(f"/orders/{undone}/cancel/undo"), 200)
    with running_view(view_settings) as view:
        eventually(current(view, p, [declined, refused, cancelled, undone]))
        outcomes = {order_id: states(view, order_id) for order_id in (declined, refused)}
        outcomes |= {order_id: states(view, order_id) for order_id in (cancelled, undone)}
    assert outcomes == {
        declined: {
            "state": "REJECTED",
            "ticket_state": "REJECTED",
            "authorization_state": "DECLINED",
        },
        refused: {"state": "REJECTED", "ticket_state": None, "authorization_state": None},
        cancelled: {
            "state": "CANCELLED",
            "ticket_state": "CANCELLED",
            "authorization_state": "REVERSED",
        },
        undone: {
            "state": "APPROVED",
            "ticket_state": "AWAITING_ACCEPTANCE",
            "authorization_state": "AUTHORIZED",
        },
    }


def test_a_renamed_restaurant_shows_its_new_name(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id = open_restaurant(p, "Ajanta")
    order_id = create_order(p, open_account(p), restaurant_id)
    with running_view(view_settings) as view:
        eventually(current(view, p, [order_id]))
        rename_restaurant(p, restaurant_id, "Ajanta Palace")
        eventually(lambda: _equal(_restaurant_name(view, order_id), "Ajanta Palace"))


# -- the list: newest first, pages, state filter ---------------------------------------------


def test_history_pages_newest_first_and_filters_by_state(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id = open_restaurant(p)
    consumer_id, neighbour = open_account(p, credit_limit_cents=2400 * 3), open_account(p)
    placed = [create_order(p, consumer_id, restaurant_id) for _ in range(5)]  # 3 fit the credit
    theirs = create_order(p, neighbour, restaurant_id)
    with running_view(view_settings) as view:
        eventually(current(view, p, [*placed, theirs]))
        first = answer(view.get(f"/consumers/{consumer_id}/orders", params={"page_size": 2}), 200)
        every = listed(view, consumer_id, page_size=2)
        approved = listed(view, consumer_id, state="APPROVED", page_size=2)
        rejected = listed(view, consumer_id, state="REJECTED")
        one_page = answer(view.get(f"/consumers/{consumer_id}/orders"), 200)
    assert len(first["orders"]) == 2 and first["next_page_token"]
    assert [order["order_id"] for order in every] == list(reversed(placed))
    assert [order["order_id"] for order in approved] == list(reversed(placed[:3]))
    assert [order["order_id"] for order in rejected] == list(reversed(placed[3:]))
    assert one_page["next_page_token"] is None and len(one_page["orders"]) == 5
    assert {order["consumer_id"] for order in every} == {consumer_id}


def test_bad_requests_are_answered_with_errors(view_settings: Settings) -> None:
    with running_view(view_settings) as view:
        unknown = view.get("/orders/no-such-order")
        bad_token = view.get("/consumers/c/orders", params={"page_token": "not-a-token"})
        empty = view.get("/consumers/c/orders", params={"page_size": 0})
        unknown_state = view.get("/consumers/c/orders", params={"state": "EATEN"})
        huge = view.get("/consumers/c/orders", params={"page_size": 10_000})
    assert answer(unknown, 404)["error"]["code"] == "order_not_found"
    assert bad_token.status_code == 400
    assert bad_token.json()["error"]["code"] == "invalid_page_token"
    for invalid in (empty, unknown_state):
        error = answer(invalid, 422)["error"]
        assert error["code"] == "invalid_request" and error["details"], error
    assert answer(huge, 200) == {"orders": [], "next_page_token": None}


def test_orders_placed_at_the_same_instant_page_by_order_id(
    database_factory: DatabaseFactory,
) -> None:
    engine = make_engine(database_factory("pages"))
    create_tables(engine, TABLES)
    instant = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    created = [instant] * 4 + [instant - timedelta(microseconds=1), instant + timedelta(days=1)]
    with Session(engine) as session:
        for number, created_at in enumerate(created):
            session.add(_row(f"o{number}", "c", created_at))
        session.commit()
        pages, after = [], None
        while page := newest_orders(session, "c", None, after, limit=2):
            pages.append([row.order_id for row in page])
            after = decode_token(encode_token(page[-1]))
    engine.dispose()
    assert pages == [["o5", "o3"], ["o2", "o1"], ["o0", "o4"]]


# -- restarts, rebuilds, lag -----------------------------------------------------------------


def test_a_restarted_view_catches_up_without_gaps_or_duplicates(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id = open_restaurant(p, "Ajanta")
    consumer_id = open_account(p)
    early = [create_order(p, consumer_id, restaurant_id) for _ in range(3)]
    done: list[str] = []

    def keep_changing() -> None:
        for number in range(8):
            done.append(create_order(p, consumer_id, restaurant_id))
            if number < len(early):
                cancel_order(p, early[number])
        rename_restaurant(p, restaurant_id, "Ajanta Palace")

    view = start_server(create_app(view_settings))
    with ThreadPoolExecutor(1) as pool:
        with client(view) as http:
            eventually(current(http, p, early))
        changes = pool.submit(keep_changing)
        eventually(lambda: _at_least(done, 2))
        view.stop()  # while the participants keep changing
        eventually(lambda: _at_least(done, 5))
        view = start_server(create_app(view_settings))  # same database, stored cursors
        changes.result()
    everything = early + done
    with client(view) as http:
        eventually(current(http, p, everything))
        history = listed(http, consumer_id, page_size=3)
        names = {order["restaurant_name"] for order in history}
    view.stop()
    assert sorted(order["order_id"] for order in history) == sorted(everything)
    assert names == {"Ajanta Palace"}


def test_rebuild_gives_the_live_view(
    participants: Participants, view_settings: Settings, databases: DatabaseFactory
) -> None:
    p = participants
    everything = _some_history(p)
    with running_view(view_settings) as view:
        eventually(current(view, p, everything))
        eventually(lambda: answer(view.get("/readyz"), 200))
        live = _view_contents(view_settings.database_url)
    rebuilt = view_settings.model_copy(update={"database_url": databases("rebuilt")})
    progress: list[str] = []
    last_seqs = asyncio.run(rebuild(rebuilt, report=progress.append))
    assert _view_contents(rebuilt.database_url) == live
    assert set(last_seqs) == {"orders", "kitchen", "accounting"}
    assert all(seq > 0 for seq in last_seqs.values())
    assert any("caught up" in line for line in progress)


def test_rebuild_command_replaces_the_view_in_place(
    participants: Participants,
    view_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    p = participants
    everything = _some_history(p)
    with running_view(view_settings) as view:
        eventually(current(view, p, everything))
    live = _view_contents(view_settings.database_url)
    _add_stray_row(view_settings.database_url)
    for name, url in view_settings.feed_urls().items():
        monkeypatch.setenv(f"ORDER_HISTORY_{name.upper()}_URL", url)
    rebuild_command.main(["--database-url", view_settings.database_url])
    assert _view_contents(view_settings.database_url) == live
    assert "orders: caught up" in capsys.readouterr().out


def test_lag_is_under_a_second_at_idle(participants: Participants, view_settings: Settings) -> None:
    p = participants
    order_id = create_order(p, open_account(p), open_restaurant(p))
    with running_view(view_settings) as view:
        eventually(current(view, p, [order_id]))
        # catching up on old events reports their age; the first empty poll reports the idle lag
        ready = eventually(lambda: _idle(answer(view.get("/readyz"), 200)))
    assert ready["status"] == "ok"
    assert set(ready["sources"]) == {"orders", "kitchen", "accounting"}
    for source in ready["sources"].values():
        assert source["caught_up"] and source["last_error"] is None
        assert source["last_seq"] > 0 and source["lag_seconds"] < 1


def test_the_waiting_view_applies_an_order_committed_after_it_began_waiting(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id, consumer_id = open_restaurant(p), open_account(p)
    with running_view(view_settings) as view:
        eventually(lambda: _view_waits_on(p.orders_app, view))
        order_id = create_order(p, consumer_id, restaurant_id)
        eventually(current(view, p, [order_id]))


def test_an_event_the_view_cannot_apply_is_set_aside_and_later_events_apply(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id, consumer_id = open_restaurant(p), open_account(p)
    spoiled = create_order(p, consumer_id, restaurant_id)
    order = answer(p.orders.get(f"/orders/{spoiled}"), 200)
    broken = {key: value for key, value in order.items() if key != "created_at"} | {"state": "X"}
    with Session(engine_of(p.orders_app)) as session:  # a late order event missing a field
        record_event(session, "OrderApproved", "order", spoiled, broken)
        session.commit()
    later = create_order(p, consumer_id, restaurant_id)
    with running_view(view_settings) as view:
        eventually(current(view, p, [spoiled, later]))  # nothing of the bad event remains
        ready = eventually(lambda: _idle(answer(view.get("/readyz"), 200)))
    with Session(make_engine(view_settings.database_url)) as session:
        set_aside = list(session.exec(select(DeadLetter)))
    assert [(letter.source, letter.event["payload"]["state"]) for letter in set_aside] == [
        ("orders", "X")
    ]
    assert "created_at" in set_aside[0].error
    assert ready["sources"]["orders"]["dead_letters"] == 1 and ready["dead_letters"] == 1
    assert ready["sources"]["orders"]["last_seq"] > set_aside[0].seq


def test_an_unreachable_feed_makes_the_view_lagging(
    participants: Participants, view_settings: Settings
) -> None:
    nowhere = view_settings.model_copy(update={"accounting_url": f"http://127.0.0.1:{free_port()}"})
    with running_view(nowhere) as view:
        lagging = eventually(lambda: _with_error(answer(view.get("/readyz"), 503)))
    assert lagging["status"] == "lagging"
    assert lagging["sources"]["accounting"]["caught_up"] is False
    assert lagging["sources"]["orders"]["last_error"] is None


# -- helpers ---------------------------------------------------------------------------------


def _some_history(p: Participants) -> list[str]:
    """Approved, declined, refused and cancelled orders, and a renamed restaurant."""
    restaurant_id, closed = open_restaurant(p, "Ajanta"), open_restaurant(p, accepting=False)
    rich, poor = open_account(p), open_account(p, credit_limit_cents=100)
    orders = [create_order(p, rich, restaurant_id) for _ in range(3)]
    orders += [create_order(p, poor, restaurant_id), create_order(p, rich, closed)]
    cancel_order(p, orders[0])
    rename_restaurant(p, restaurant_id, "Ajanta Palace")
    return orders


def _view_contents(database_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every row of the view and of its restaurant names, in a stable order."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.exec(select(OrderHistory).order_by(col(OrderHistory.order_id)))
        names = session.exec(select(KnownRestaurant).order_by(col(KnownRestaurant.id)))
        contents = [row.model_dump() for row in rows], [name.model_dump() for name in names]
    engine.dispose()
    return contents


def _add_stray_row(database_url: str) -> None:
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(_row("stray", "c", datetime.now(UTC)))
        session.commit()
    engine.dispose()


def _row(order_id: str, consumer_id: str, created_at: datetime) -> OrderHistory:
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


def _view_waits_on(participant: FastAPI, view: httpx.Client) -> None:
    """The view caught up and its long poll waits at the participant's feed."""
    assert answer(view.get("/readyz"), 200)["status"] == "ok"
    assert signal_of(engine_of(participant)).waiters >= 1


def _idle(readiness: dict[str, Any]) -> dict[str, Any]:
    assert readiness["lag_seconds"] < 1
    return readiness


def _with_error(readiness: dict[str, Any]) -> dict[str, Any]:
    assert readiness["sources"]["accounting"]["last_error"]
    return readiness


def _at_least(items: list[str], count: int) -> None:
    assert len(items) >= count


def _equal(actual: Any, expected: Any) -> None:
    assert actual == expected


def _restaurant_name(view: httpx.Client, order_id: str) -> str:
    name: str = answer(view.get(f"/orders/{order_id}"), 200)["restaurant_name"]
    return name
