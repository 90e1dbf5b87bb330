"""Event handlers that keep the order history current; each runs inside the subscriber's
transaction, which also stores the feed cursor.

Events carry the whole aggregate, so every handler is an upsert. Each source writes only its own
columns, so feeds commute: a ticket event may arrive before its order event. `<source>_seq` on a
row makes a replayed or older event a no-op.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlmodel import Session, col

from event_feed.subscriber import Event
from storage.locks import AdvisoryLock
from storage.utc import as_utc
from views.order_history.models import KnownRestaurant, OrderHistory

ORDER_EVENTS = frozenset(
    {
        "OrderCreated",
        "OrderApproved",
        "OrderRejected",
        "OrderCancelRequested",
        "OrderCancelUndone",
        "OrderCancelled",
        "OrderRevisionRequested",
        "OrderRevisionUndone",
        "OrderRevised",
    }
)
TICKET_EVENTS = frozenset(
    {
        "TicketCreated",
        "TicketApproved",
        "TicketRejected",
        "TicketCancelRequested",
        "TicketCancelUndone",
        "TicketCancelled",
        "TicketRevisionRequested",
        "TicketRevisionUndone",
        "TicketRevised",
    }
)
AUTHORIZATION_EVENTS = frozenset(
    {"CardAuthorized", "CardDeclined", "AuthorizationReversed", "AuthorizationRevised"}
)
RESTAURANT_EVENTS = frozenset({"RestaurantCreated", "RestaurantUpdated"})


def handle_orders_event(session: Session, event: Event) -> None:
    if event["event_type"] in ORDER_EVENTS:
        _apply_to_row(session, event, apply_order, named=True)


def handle_kitchen_event(session: Session, event: Event) -> None:
    if event["event_type"] in RESTAURANT_EVENTS:
        _apply_restaurant(session, event)
    elif event["event_type"] in TICKET_EVENTS:
        _apply_to_row(session, event, apply_ticket, named=True)


def handle_accounting_event(session: Session, event: Event) -> None:
    if event["event_type"] in AUTHORIZATION_EVENTS:
        _apply_to_row(session, event, apply_authorization, named=False)


def _apply_to_row(
    session: Session,
    event: Event,
    apply: Callable[[OrderHistory, Event], None],
    *,
    named: bool,
) -> None:
    """Apply `event` to its order's row; `named`: the event may bring the restaurant's name."""
    row = _row_for(session, event["payload"]["order_id"])
    apply(row, event)
    if named:
        _name_restaurant(session, row)
    session.add(row)


def apply_order(row: OrderHistory, event: Event) -> None:
    if event["seq"] <= row.order_seq:
        return
    order: dict[str, Any] = event["payload"]
    row.consumer_id = order["consumer_id"]
    row.restaurant_id = order["restaurant_id"]
    row.restaurant_name = order["restaurant_name"]
    row.line_items = [dict(item) for item in order["line_items"]]
    row.total_cents = order["total_cents"]
    row.order_state = order["state"]
    row.saga_id = order.get("saga_id")
    row.created_at = parse_time(order["created_at"])
    row.order_seq = event["seq"]
    _touch(row, event)


def apply_ticket(row: OrderHistory, event: Event) -> None:
    if event["seq"] <= row.ticket_seq:
        return
    ticket: dict[str, Any] = event["payload"]
    row.ticket_state = ticket["state"]
    row.restaurant_id = row.restaurant_id or ticket["restaurant_id"]
    row.ticket_seq = event["seq"]
    _touch(row, event)


def apply_authorization(row: OrderHistory, event: Event) -> None:
    if event["seq"] <= row.authorization_seq:
        return
    row.authorization_state = event["payload"]["state"]
    row.authorization_seq = event["seq"]
    _touch(row, event)


def parse_time(value: str) -> datetime:
    return as_utc(datetime.fromisoformat(value))


def _touch(row: OrderHistory, event: Event) -> None:
    """`updated_at` is the newest change seen in any source; max() keeps feeds commutative."""
    changed_at = parse_time(event["created_at"])
    if row.updated_at is None or as_utc(row.updated_at) < changed_at:
        row.updated_at = changed_at


def _row_for(session: Session, order_id: str) -> OrderHistory:
    _serialize_writers(session)
    return session.get(OrderHistory, order_id) or OrderHistory(order_id=order_id)


def _serialize_writers(session: Session) -> None:
    """Three subscribers write the same rows. SQLite has one writer at a time; on PostgreSQL a
    transaction-scoped advisory lock does the same, so read-modify-write of a row never races
    and concurrent batches cannot deadlock on rows taken in different orders."""
    if session.get_bind().dialect.name == "postgresql":
        lock = text("SELECT pg_advisory_xact_lock(:id)")
        session.connection().execute(lock, {"id": AdvisoryLock.VIEW_WRITE})


def _name_restaurant(session: Session, row: OrderHistory) -> None:
    """Kitchen's current name wins over the name the order was placed under."""
    known = session.get(KnownRestaurant, row.restaurant_id) if row.restaurant_id else None
    if known is not None:
        row.restaurant_name = known.name


def _apply_restaurant(session: Session, event: Event) -> None:
    _serialize_writers(session)
    data: dict[str, Any] = event["payload"]
    restaurant = session.get(KnownRestaurant, data["id"]) or KnownRestaurant(id=data["id"], name="")
    if event["seq"] <= restaurant.seq:
        return
    restaurant.name, restaurant.seq = data["name"], event["seq"]
    session.add(restaurant)
    session.exec(
        update(OrderHistory)
        .where(col(OrderHistory.restaurant_id) == restaurant.id)
        .values(restaurant_name=restaurant.name)
    )
