"""The order history follows a Revise Order saga: the lock, then the new line items and total."""

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from event_feed.subscriber import Event
from http_contract.order_states import OrderState
from views.order_history.feeds import HANDLERS
from views.order_history.models import OrderHistory

OLD = [{"menu_item_id": "m1", "name": "Dal", "quantity": 2, "price_cents": 1200}]
NEW = [{"menu_item_id": "m1", "name": "Dal", "quantity": 3, "price_cents": 1200}]


def event(seq: int, event_type: str, payload: dict[str, Any]) -> Event:
    created_at = f"2025-03-01T12:00:{seq:02d}+00:00"
    return {
        "seq": seq,
        "event_type": event_type,
        "aggregate_type": "test",
        "aggregate_id": "o1",
        "payload": {"order_id": "o1", "restaurant_id": "r1"} | payload,
        "created_at": created_at,
    }


def order(seq: int, event_type: str, state: str, items: list[Any], total: int) -> Event:
    payload = {
        "consumer_id": "c1",
        "restaurant_name": "Ajanta",
        "state": state,
        "total_cents": total,
        "line_items": items,
        "saga_id": "create-order-o1",
        "created_at": "2025-03-01T12:00:00+00:00",
    }
    return event(seq, event_type, payload)


def apply(engine: Engine, source: str, step: Event) -> OrderHistory:
    with Session(engine) as session:
        HANDLERS[source](session, step)
        session.commit()
        found = session.get(OrderHistory, "o1")
        assert found is not None
        return found


def test_a_revision_shows_its_lock_then_its_new_line_items_and_total(engine: Engine) -> None:
    apply(engine, "orders", order(1, "OrderApproved", "APPROVED", OLD, 2400))
    apply(engine, "accounting", event(1, "CardAuthorized", {"state": "AUTHORIZED"}))

    locked = apply(
        engine, "orders", order(2, "OrderRevisionRequested", "REVISION_PENDING", OLD, 2400)
    )
    assert (locked.order_state, locked.total_cents, locked.line_items) == (
        OrderState.REVISION_PENDING,
        2400,
        OLD,
    )
    ticket = apply(
        engine, "kitchen", event(1, "TicketRevisionRequested", {"state": "REVISION_PENDING"})
    )
    assert ticket.ticket_state == "REVISION_PENDING"
    revised_authorization = event(2, "AuthorizationRevised", {"state": "AUTHORIZED"})
    assert apply(engine, "accounting", revised_authorization).authorization_seq == 2
    assert apply(engine, "kitchen", event(2, "TicketRevised", {"state": "AWAITING_ACCEPTANCE"}))
    revised = apply(engine, "orders", order(3, "OrderRevised", "APPROVED", NEW, 3600))

    assert (revised.order_state, revised.total_cents, revised.line_items) == ("APPROVED", 3600, NEW)
    assert (revised.ticket_state, revised.authorization_state) == (
        "AWAITING_ACCEPTANCE",
        "AUTHORIZED",
    )


def test_an_undone_revision_unlocks_the_order_and_the_ticket(engine: Engine) -> None:
    apply(engine, "orders", order(1, "OrderRevisionRequested", "REVISION_PENDING", OLD, 2400))
    apply(engine, "kitchen", event(1, "TicketRevisionRequested", {"state": "REVISION_PENDING"}))

    apply(engine, "kitchen", event(2, "TicketRevisionUndone", {"state": "AWAITING_ACCEPTANCE"}))
    undone = apply(engine, "orders", order(2, "OrderRevisionUndone", "APPROVED", OLD, 2400))

    assert (undone.order_state, undone.ticket_state, undone.total_cents) == (
        "APPROVED",
        "AWAITING_ACCEPTANCE",
        2400,
    )
