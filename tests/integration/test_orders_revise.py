"""Orders service, Revise Order commands, over real HTTP on SQLite and PostgreSQL."""

import httpx

from tests.support.participants import (
    Json,
    answer,
    assert_cancel_and_revise_exclude,
    assert_error,
    event_types,
    events,
    send_twice,
)

NEW_ITEMS = [{"menu_item_id": "curry", "quantity": 3}]
NEW_LINES = [
    {"menu_item_id": "curry", "name": "Chicken Vindaloo", "quantity": 3, "price_cents": 1250}
]


def approved(client: httpx.Client, order_id: str = "o-1") -> Json:
    body = {
        "order_id": order_id,
        "consumer_id": "ann",
        "restaurant_id": "ajanta",
        "line_items": [{"menu_item_id": "naan", "quantity": 1}],
    }
    answer(client.post("/orders", json=body), 201)
    return answer(client.post(f"/orders/{order_id}/approve"), 200)


def begin(
    client: httpx.Client, order_id: str = "o-1", items: list[Json] = NEW_ITEMS
) -> httpx.Response:
    return client.post(f"/orders/{order_id}/revise/begin", json={"line_items": items})


def test_begin_revise_prices_the_revision_and_keeps_the_order(orders: httpx.Client) -> None:
    before = approved(orders)
    assert before["revision"] == 0 and before["pending_revision"] is None

    pending = answer(begin(orders), 200)

    assert pending["state"] == "REVISION_PENDING"
    assert (pending["line_items"], pending["total_cents"]) == (before["line_items"], 350)
    assert pending["pending_revision"] == {"line_items": NEW_LINES, "total_cents": 3750}
    assert pending["revision"] == 0
    assert orders.get("/orders/o-1").json() == pending
    event = events(orders)[-1]
    assert (event["event_type"], event["payload"]) == ("OrderRevisionRequested", pending)


def test_confirm_revise_applies_the_revision_and_counts_it(orders: httpx.Client) -> None:
    approved(orders)
    begin(orders)

    revised = answer(orders.post("/orders/o-1/revise/confirm"), 200)

    assert revised["state"] == "APPROVED"
    assert (revised["line_items"], revised["total_cents"]) == (NEW_LINES, 3750)
    assert (revised["revision"], revised["pending_revision"]) == (1, None)
    assert_error(orders.post("/orders/o-1/revise/confirm"), 409, "order_not_revision_pending")
    assert answer(begin(orders, items=[{"menu_item_id": "naan", "quantity": 2}]), 200)
    assert answer(orders.post("/orders/o-1/revise/confirm"), 200)["revision"] == 2
    assert events(orders)[3]["payload"] == revised
    assert event_types(orders)[2:] == [
        "OrderRevisionRequested",
        "OrderRevised",
        "OrderRevisionRequested",
        "OrderRevised",
    ]


def test_undo_revise_drops_the_revision(orders: httpx.Client) -> None:
    before = approved(orders)
    begin(orders)

    undone = answer(orders.post("/orders/o-1/revise/undo"), 200)

    assert undone["state"] == "APPROVED" and undone["pending_revision"] is None
    assert (undone["line_items"], undone["total_cents"], undone["revision"]) == (
        before["line_items"],
        before["total_cents"],
        0,
    )
    again = answer(orders.post("/orders/o-1/revise/undo"), 200)
    assert again == {"order_id": "o-1", "state": "APPROVED", "compensated": False}
    assert event_types(orders)[-2:] == ["OrderRevisionRequested", "OrderRevisionUndone"]


def test_only_an_approved_order_is_revised_with_items_the_replica_prices(
    orders: httpx.Client,
) -> None:
    approved(orders)
    unknown = begin(orders, items=[{"menu_item_id": "sushi", "quantity": 1}])
    zero = begin(orders, items=[{"menu_item_id": "naan", "quantity": 0}])
    assert_error(unknown, 422, "unknown_menu_item")
    assert_error(zero, 422, "invalid_quantity")
    assert_error(begin(orders, items=[]), 422, "invalid_quantity")
    assert_error(begin(orders, "nothing"), 404, "order_not_found")
    seq = len(events(orders))

    assert_cancel_and_revise_exclude(orders, "/orders/o-1", "order", lambda: begin(orders))
    assert event_types(orders, seq) == [
        "OrderCancelRequested",
        "OrderCancelUndone",
        "OrderRevisionRequested",
    ]


def test_revise_commands_are_idempotent(orders: httpx.Client) -> None:
    approved(orders)
    send_twice(orders, "POST", "/orders/o-1/revise/begin", "b-1", {"line_items": NEW_ITEMS})
    send_twice(orders, "POST", "/orders/o-1/revise/undo", "u-1")
    send_twice(orders, "POST", "/orders/o-1/revise/begin", "b-2", {"line_items": NEW_ITEMS})
    confirmed = send_twice(orders, "POST", "/orders/o-1/revise/confirm", "c-2")
    bad = {"line_items": [{"menu_item_id": "sushi", "quantity": 1}]}
    refused = send_twice(orders, "POST", "/orders/o-1/revise/begin", "b-3", bad)

    assert confirmed.json()["revision"] == 1
    assert_error(refused, 422, "unknown_menu_item")
    assert event_types(orders)[2:] == [
        "OrderRevisionRequested",
        "OrderRevisionUndone",
        "OrderRevisionRequested",
        "OrderRevised",
    ]
