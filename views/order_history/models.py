"""The view's tables and the shapes it answers with."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, BigInteger, Column, DateTime, Index
from sqlmodel import Field, SQLModel

from event_feed.dead_letters import DeadLetter
from event_feed.subscriber import SubscriptionCursor
from storage.engines import table_of
from storage.utc import as_utc


def _seq_column() -> Any:
    return Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


def _time_column() -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True)))


class OrderHistory(SQLModel, table=True):
    """One order as seen by all participants. Each source writes only its own columns, and
    `<source>_seq` is the feed position of the last event applied to them, so a replayed or
    older event changes nothing. A row stays partial (no consumer) until its order event arrives.
    """

    __tablename__ = "order_history"
    __table_args__ = (
        Index("ix_order_history_consumer_newest", "consumer_id", "created_at", "order_id"),
    )

    order_id: str = Field(primary_key=True, max_length=100)
    consumer_id: str | None = Field(default=None, max_length=100)
    restaurant_id: str | None = Field(default=None, max_length=100)
    restaurant_name: str | None = None
    line_items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    total_cents: int | None = Field(default=None, sa_column=Column(BigInteger))  # 64-bit cents
    order_state: str | None = Field(default=None, max_length=30)
    ticket_state: str | None = Field(default=None, max_length=30)
    authorization_state: str | None = Field(default=None, max_length=30)
    saga_id: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = _time_column()
    updated_at: datetime | None = _time_column()
    order_seq: int = _seq_column()
    ticket_seq: int = _seq_column()
    authorization_seq: int = _seq_column()


class KnownRestaurant(SQLModel, table=True):
    """A restaurant's current name from kitchen's feed; `seq` is its last applied event."""

    __tablename__ = "order_history_restaurant"

    id: str = Field(primary_key=True, max_length=100)
    name: str
    seq: int = _seq_column()


TABLES = [
    table_of(OrderHistory),
    table_of(KnownRestaurant),
    table_of(SubscriptionCursor),
    table_of(DeadLetter),
]


class LineItem(BaseModel):
    menu_item_id: str
    name: str
    quantity: int
    price_cents: int


class OrderView(BaseModel):
    order_id: str
    consumer_id: str
    restaurant_id: str
    restaurant_name: str
    state: str
    total_cents: int
    line_items: list[LineItem]
    ticket_state: str | None
    authorization_state: str | None
    saga_id: str | None
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    orders: list[OrderView]
    next_page_token: str | None


def is_complete(row: OrderHistory) -> bool:
    """True once the order event has arrived; partial rows are never shown."""
    return row.order_seq > 0


def to_view(row: OrderHistory) -> OrderView:
    assert row.created_at is not None and row.updated_at is not None
    return OrderView(
        order_id=row.order_id,
        consumer_id=row.consumer_id or "",
        restaurant_id=row.restaurant_id or "",
        restaurant_name=row.restaurant_name or "",
        state=row.order_state or "",
        total_cents=row.total_cents or 0,
        line_items=[LineItem.model_validate(item) for item in row.line_items],
        ticket_state=row.ticket_state,
        authorization_state=row.authorization_state,
        saga_id=row.saga_id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )
