"""Kitchen service over real HTTP, on SQLite and PostgreSQL."""

import httpx

from tests.support.participants import (
    LIFECYCLE_EVENTS,
    MENU,
    Json,
    answer,
    assert_error,
    event_types,
    events,
    send_lifecycle_twice,
    send_twice,
)


def open_restaurant(client: httpx.Client, **fields: object) -> Json:
    body = {"name": "Ajanta", "accepting_orders": True, "menu_items": MENU} | fields
    return answer(client.post("/restaurants", json=body), 201)


def ticket_body(order_id: str = "o-1", restaurant_id: str = "ajanta") -> Json:
    return {
        "order_id": order_id,
        "restaurant_id": restaurant_id,
        "line_items": [{"menu_item_id": "curry", "quantity": 2}],
        "saga_id": f"create-order-{order_id}",
    }


def create_ticket(client: httpx.Client, order_id: str = "o-1") -> Json:
    return answer(client.post("/tickets", json=ticket_body(order_id)), 201)


def test_opens_and_revises_restaurants(kitchen: httpx.Client) -> None:
    generated = open_restaurant(kitchen)
    given = open_restaurant(kitchen, id="ajanta", accepting_orders=False, menu_items=[])

    assert len(generated["id"]) == 32 and generated["menu_items"] == MENU
    assert (given["id"], given["accepting_orders"]) == ("ajanta", False)
    assert kitchen.get(f"/restaurants/{generated['id']}").json() == generated
    assert_error(
        kitchen.post("/restaurants", json={"id": "ajanta", "name": "A"}), 409, "restaurant_exists"
    )

    closed = kitchen.patch(f"/restaurants/{generated['id']}", json={"accepting_orders": False})
    new_menu = [{"id": "dal", "name": "Dal Makhani", "price_cents": 900}]
    renamed = kitchen.patch(
        "/restaurants/ajanta", json={"name": "Ajanta 2", "menu_items": new_menu}
    )

    assert (closed.json()["accepting_orders"], closed.json()["menu_items"]) == (False, MENU)
    assert (renamed.json()["name"], renamed.json()["menu_items"]) == ("Ajanta 2", new_menu)
    feed = events(kitchen)
    assert [(e["event_type"], e["aggregate_type"]) for e in feed] == [
        ("RestaurantCreated", "restaurant"),
        ("RestaurantCreated", "restaurant"),
        ("RestaurantUpdated", "restaurant"),
        ("RestaurantUpdated", "restaurant"),
    ]
    assert (feed[-1]["aggregate_id"], feed[-1]["payload"]) == ("ajanta", renamed.json())


def test_creates_a_ticket_pending_acceptance(kitchen: httpx.Client, ajanta: Json) -> None:
    ticket = create_ticket(kitchen)

    assert (ticket["state"], ticket["previous_state"]) == ("CREATE_PENDING", None)
    assert ticket["line_items"] == [{"menu_item_id": "curry", "quantity": 2}]
    assert kitchen.get("/tickets/o-1").json() == ticket
    assert_error(kitchen.post("/tickets", json=ticket_body()), 409, "ticket_exists")
    open_restaurant(kitchen, id="closed", accepting_orders=False)
    unknown = kitchen.post("/tickets", json=ticket_body("o-2", "nowhere"))
    closed = kitchen.post("/tickets", json=ticket_body("o-3", "closed"))
    assert_error(unknown, 422, "unknown_restaurant")
    assert_error(closed, 422, "restaurant_not_accepting_orders")
    event = events(kitchen)[1]
    assert (event["event_type"], event["aggregate_type"]) == ("TicketCreated", "ticket")
    assert (event["aggregate_id"], event["payload"]) == ("o-1", ticket)
    assert event_types(kitchen) == ["RestaurantCreated", "TicketCreated", "RestaurantCreated"]


def test_every_mutating_endpoint_replays_its_first_answer(kitchen: httpx.Client) -> None:
    body = {"id": "ajanta", "name": "Ajanta", "menu_items": MENU}
    send_twice(kitchen, "POST", "/restaurants", "open", body)
    send_twice(kitchen, "PATCH", "/restaurants/ajanta", "rename", {"name": "Ajanta 2"})
    send_lifecycle_twice(kitchen, "/tickets", ticket_body)
    refused = send_twice(kitchen, "POST", "/tickets", "create-3", ticket_body("o-3", "nowhere"))

    assert_error(refused, 422, "unknown_restaurant")
    tickets = [f"Ticket{event}" for event in LIFECYCLE_EVENTS]
    assert event_types(kitchen) == ["RestaurantCreated", "RestaurantUpdated", *tickets]


def test_unknown_records_are_not_found(kitchen: httpx.Client) -> None:
    assert_error(kitchen.get("/restaurants/nowhere"), 404, "restaurant_not_found")
    assert_error(kitchen.patch("/restaurants/nowhere", json={}), 404, "restaurant_not_found")
    assert_error(kitchen.get("/tickets/nothing"), 404, "ticket_not_found")
    for path in ("approve", "cancel/begin", "cancel/confirm"):
        assert_error(kitchen.post(f"/tickets/nothing/{path}"), 404, "ticket_not_found")
    assert events(kitchen) == []


INVALID_RESTAURANTS = [
    {},
    {"name": ""},
    {"name": "A", "menu_items": [{"id": "x", "name": "X", "price_cents": -1}]},
    {"name": "A", "menu_items": [MENU[0], MENU[0]]},
    {"name": "A", "accepting_orders": "maybe"},
]
INVALID_TICKETS = [
    {},
    ticket_body() | {"line_items": []},
    ticket_body() | {"line_items": [{"menu_item_id": "curry", "quantity": 0}]},
    ticket_body() | {"order_id": ""},
]


def test_invalid_bodies_are_refused(kitchen: httpx.Client, ajanta: Json) -> None:
    for body in INVALID_RESTAURANTS:
        assert kitchen.post("/restaurants", json=body).status_code == 422, body
    for body in INVALID_TICKETS:
        assert kitchen.post("/tickets", json=body).status_code == 422, body
    duplicate_menu = {"menu_items": [MENU[1], MENU[1]]}
    assert kitchen.patch("/restaurants/ajanta", json=duplicate_menu).status_code == 422

    assert event_types(kitchen) == ["RestaurantCreated"]
