"""Kitchen service, Revise Order commands, over real HTTP on SQLite and PostgreSQL."""

import httpx
import pytest

from tests.support.participants import (
    Json,
    answer,
    assert_cancel_and_revise_exclude,
    assert_error,
    event_types,
    events,
    send_twice,
)

OLD_ITEMS = [{"menu_item_id": "curry", "quantity": 2}]
NEW_ITEMS = [{"menu_item_id": "naan", "quantity": 4}]


@pytest.fixture(autouse=True)
def open_ajanta(ajanta: Json) -> None:
    """Every test here works on tickets of the restaurant `ajanta`."""


def awaiting_acceptance(client: httpx.Client, order_id: str = "o-1") -> Json:
    ticket = {"order_id": order_id, "restaurant_id": "ajanta", "line_items": OLD_ITEMS}
    answer(client.post("/tickets", json=ticket), 201)
    return answer(client.post(f"/tickets/{order_id}/approve"), 200)


def begin(client: httpx.Client, order_id: str = "o-1") -> httpx.Response:
    return client.post(f"/tickets/{order_id}/revise/begin", json={"line_items": NEW_ITEMS})


def test_revises_a_ticket_awaiting_acceptance(kitchen: httpx.Client) -> None:
    awaiting_acceptance(kitchen)

    pending = answer(begin(kitchen), 200)
    revised = answer(kitchen.post("/tickets/o-1/revise/confirm"), 200)

    assert (pending["state"], pending["line_items"]) == ("REVISION_PENDING", OLD_ITEMS)
    assert pending["pending_revision"] == {"line_items": NEW_ITEMS}
    assert (revised["state"], revised["line_items"]) == ("AWAITING_ACCEPTANCE", NEW_ITEMS)
    assert revised["pending_revision"] is None
    assert kitchen.get("/tickets/o-1").json() == revised
    assert_error(kitchen.post("/tickets/o-1/revise/confirm"), 409, "ticket_not_revision_pending")
    feed = events(kitchen)
    assert [e["event_type"] for e in feed[-2:]] == ["TicketRevisionRequested", "TicketRevised"]
    assert (feed[-2]["payload"], feed[-1]["payload"]) == (pending, revised)


def test_undo_revise_keeps_the_line_items(kitchen: httpx.Client) -> None:
    before = awaiting_acceptance(kitchen)
    begin(kitchen)

    undone = answer(kitchen.post("/tickets/o-1/revise/undo"), 200)

    assert (undone["state"], undone["line_items"]) == ("AWAITING_ACCEPTANCE", before["line_items"])
    assert undone["pending_revision"] is None
    again = answer(kitchen.post("/tickets/o-1/revise/undo"), 200)
    assert again == {"order_id": "o-1", "state": "AWAITING_ACCEPTANCE", "compensated": False}
    assert event_types(kitchen)[-2:] == ["TicketRevisionRequested", "TicketRevisionUndone"]


def test_only_a_ticket_awaiting_acceptance_is_revised(kitchen: httpx.Client) -> None:
    ticket = {"order_id": "new", "restaurant_id": "ajanta", "line_items": OLD_ITEMS}
    answer(kitchen.post("/tickets", json=ticket), 201)
    awaiting_acceptance(kitchen)
    empty = kitchen.post("/tickets/o-1/revise/begin", json={"line_items": []})

    assert_error(begin(kitchen, "new"), 409, "ticket_not_revisable")
    assert_error(begin(kitchen, "nothing"), 404, "ticket_not_found")
    assert empty.status_code == 422
    assert_cancel_and_revise_exclude(kitchen, "/tickets/o-1", "ticket", lambda: begin(kitchen))


def test_revise_commands_are_idempotent(kitchen: httpx.Client) -> None:
    awaiting_acceptance(kitchen)
    body = {"line_items": NEW_ITEMS}
    send_twice(kitchen, "POST", "/tickets/o-1/revise/begin", "b-1", body)
    send_twice(kitchen, "POST", "/tickets/o-1/revise/undo", "u-1")
    send_twice(kitchen, "POST", "/tickets/o-1/revise/begin", "b-2", body)
    send_twice(kitchen, "POST", "/tickets/o-1/revise/confirm", "c-2")

    assert event_types(kitchen)[-4:] == [
        "TicketRevisionRequested",
        "TicketRevisionUndone",
        "TicketRevisionRequested",
        "TicketRevised",
    ]
