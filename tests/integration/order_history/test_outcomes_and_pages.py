"""The order history view against the real participants: real sockets, real databases.

The tests drive the participants over HTTP the way the sagas do, step by step, and check that the
view converges on what the participants say.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from http_contract.errors import DomainError
from storage.engines import create_tables, make_engine
from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.order_history import (
    Participants,
    cancel_order,
    create_order,
    current,
    equal,
    listed,
    open_account,
    open_restaurant,
    rename_restaurant,
    restaurant_name,
    row,
    running_view,
    states,
)
from tests.support.participants import answer
from views.order_history.config import Settings
from views.order_history.models import TABLES
from views.order_history.pagination import decode_token, encode_token, newest_orders

# -- the view shows each saga's outcome -----------------------------------------------------

KEY = b"k" * 32


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
        eventually(lambda: equal(restaurant_name(view, order_id), "Ajanta Palace"))


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


def test_a_page_token_continues_only_its_own_listing(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id, consumer_id = open_restaurant(p), open_account(p)
    placed = [create_order(p, consumer_id, restaurant_id) for _ in range(3)]
    with running_view(view_settings) as view:
        eventually(current(view, p, placed))
        orders = f"/consumers/{consumer_id}/orders"
        token = answer(view.get(orders, params={"page_size": 1}), 200)["next_page_token"]
        tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
        refused = [
            view.get(orders, params={"page_token": tampered}),
            view.get(orders, params={"page_token": token, "state": "APPROVED"}),
            view.get("/consumers/someone-else/orders", params={"page_token": token}),
        ]
        continued = answer(view.get(orders, params={"page_token": token, "page_size": 5}), 200)
    for answered in refused:
        assert answer(answered, 400)["error"]["code"] == "invalid_page_token"
    assert [order["order_id"] for order in continued["orders"]] == list(reversed(placed[:2]))


def test_a_page_token_is_signed_with_the_views_own_secret() -> None:
    position = row("o1", "c", datetime(2025, 3, 1, tzinfo=UTC))
    token = encode_token(position, "q", Settings().page_token_key())

    assert decode_token(token, "q", Settings().page_token_key()) is not None
    other = Settings(page_token_secret="another-secret").page_token_key()
    with pytest.raises(DomainError) as refused:
        decode_token(token, "q", other)
    assert (refused.value.code, refused.value.status) == ("invalid_page_token", 400)


def test_orders_placed_at_the_same_instant_page_by_order_id(
    database_factory: DatabaseFactory,
) -> None:
    engine = make_engine(database_factory("pages"))
    create_tables(engine, TABLES)
    instant = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    created = [instant] * 4 + [instant - timedelta(microseconds=1), instant + timedelta(days=1)]
    with Session(engine) as session:
        for number, created_at in enumerate(created):
            session.add(row(f"o{number}", "c", created_at))
        session.commit()
        pages, after = [], None
        while page := newest_orders(session, "c", None, after, limit=2):
            pages.append([row.order_id for row in page])
            after = decode_token(encode_token(page[-1], "q", KEY), "q", KEY)
    engine.dispose()
    assert pages == [["o5", "o3"], ["o2", "o1"], ["o0", "o4"]]
