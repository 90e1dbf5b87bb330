"""Orders service over real HTTP, on SQLite and PostgreSQL, with a seeded restaurant replica."""

import httpx

from tests.support.participants import (
    LIFECYCLE_EVENTS,
    MENU,
    Json,
    answer,
    assert_error,
    event_types,
    events,
    keyed,
    send_lifecycle_twice,
    send_twice,
)


def order_body(order_id: str = "o-1", **changes: object) -> Json:
    body: Json = {
        "order_id": order_id,
        "consumer_id": "ann",
        "restaurant_id": "ajanta",
        "line_items": [
            {"menu_item_id": "curry", "quantity": 2},
            {"menu_item_id": "naan", "quantity": 1},
        ],
        "saga_id": f"create-order-{order_id}",
    }
    return body | changes


def place(client: httpx.Client, order_id: str = "o-1") -> Json:
    return answer(client.post("/orders", json=order_body(order_id)), 201)


def approved(client: httpx.Client, order_id: str = "o-1") -> Json:
    place(client, order_id)
    return answer(client.post(f"/orders/{order_id}/approve"), 200)


def test_creates_an_order_priced_from_the_replica(orders: httpx.Client) -> None:
    lines = [{"menu_item_id": "curry", "quantity": 2, "price_cents": 1}]
    created = orders.post("/orders", json=order_body(line_items=lines))

    assert created.status_code == 201
    order = created.json()
    assert order["state"] == "APPROVAL_PENDING"
    assert (order["total_cents"], order["restaurant_name"]) == (2500, "Ajanta")
    assert order["line_items"] == [
        {"menu_item_id": "curry", "name": "Chicken Vindaloo", "quantity": 2, "price_cents": 1250}
    ]
    assert orders.get("/orders/o-1").json() == order
    assert_error(orders.post("/orders", json=order_body()), 409, "order_exists")
    [event] = events(orders)
    assert (event["event_type"], event["aggregate_type"]) == ("OrderCreated", "order")
    assert (event["aggregate_id"], event["payload"]) == ("o-1", order)


UNPRICEABLE: list[tuple[Json, str]] = [
    ({"restaurant_id": "nowhere"}, "unknown_restaurant"),
    ({"line_items": [{"menu_item_id": "sushi", "quantity": 1}]}, "unknown_menu_item"),
    ({"line_items": [{"menu_item_id": "naan", "quantity": 0}]}, "invalid_quantity"),
    ({"line_items": [{"menu_item_id": "naan", "quantity": 1001}]}, "invalid_quantity"),
    ({"line_items": []}, "invalid_quantity"),
]


def test_refuses_orders_the_replica_cannot_price(orders: httpx.Client) -> None:
    for changes, code in UNPRICEABLE:
        assert_error(orders.post("/orders", json=order_body(**changes)), 422, code)

    assert_error(orders.get("/orders/o-1"), 404, "order_not_found")
    assert events(orders) == []


def test_every_mutating_endpoint_replays_its_first_answer(orders: httpx.Client) -> None:
    send_lifecycle_twice(orders, "/orders", order_body)
    refused = send_twice(orders, "POST", "/orders", "create-3", order_body("o-3", line_items=[]))

    assert_error(refused, 422, "invalid_quantity")
    assert event_types(orders) == [f"Order{event}" for event in LIFECYCLE_EVENTS]


def test_reads_the_replica_and_answers_404_for_unknown_records(orders: httpx.Client) -> None:
    restaurant = orders.get("/restaurants/ajanta").json()

    assert restaurant == {
        "id": "ajanta",
        "name": "Ajanta",
        "accepting_orders": True,
        "menu_items": MENU,
    }
    assert_error(orders.get("/restaurants/nowhere"), 404, "restaurant_not_found")
    assert_error(orders.get("/orders/nothing"), 404, "order_not_found")
    for path in ("approve", "cancel/begin", "cancel/confirm"):
        assert_error(orders.post(f"/orders/nothing/{path}"), 404, "order_not_found")


INVALID_BODIES = [
    {},
    order_body(line_items=None),
    order_body(order_id=""),
    order_body(line_items=[{"menu_item_id": "naan"}]),
    order_body(line_items=[{"menu_item_id": "naan", "quantity": "many"}]),
]


def test_invalid_bodies_are_refused(orders: httpx.Client) -> None:
    for body in INVALID_BODIES:
        assert orders.post("/orders", json=body).status_code == 422

    assert events(orders) == []


def test_a_not_found_answer_is_not_stored_under_its_key(orders: httpx.Client) -> None:
    approve = keyed("s-404:approve_order:action")
    assert_error(orders.post("/orders/o-404/approve", headers=approve), 404, "order_not_found")
    assert orders.post("/orders", json=order_body("o-404")).status_code == 201
    approved = orders.post("/orders/o-404/approve", headers=approve)
    assert approved.status_code == 200 and approved.json()["state"] == "APPROVED"
