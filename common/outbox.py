"""Transactional outbox: an event row is written in the same transaction as the change it reports.

The feed is read by sequence number. Readers must never see sequence N+1 before N is committed,
otherwise a cursor would skip N for ever. SQLite has one writer at a time, so sequence order is
commit order. On PostgreSQL each writer takes a transaction-scoped advisory lock before it
allocates its sequence number, which makes commit order equal sequence order there too.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import JSON, BigInteger, Column, Integer, text
from sqlmodel import Field, Session, SQLModel, col, select

from common.db import UtcDateTime
from common.idempotency import utcnow

OUTBOX_LOCK_ID = 7_302_611  # any constant; one advisory lock per database


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    event_type: str = Field(max_length=100)
    aggregate_type: str = Field(max_length=50)
    aggregate_id: str = Field(max_length=100, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class EventOut(BaseModel):
    seq: int
    event_type: str
    aggregate_type: str
    aggregate_id: str
    payload: dict[str, Any]
    created_at: datetime


class EventPage(BaseModel):
    events: list[EventOut]
    last_seq: int


def record_event(
    session: Session, event_type: str, aggregate_type: str, aggregate_id: str, payload: Any
) -> None:
    """Add a domain event to the current transaction."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": OUTBOX_LOCK_ID})
    session.add(
        OutboxEvent(
            event_type=event_type,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            payload=payload,
        )
    )


def read_events(session: Session, after: int, limit: int) -> list[OutboxEvent]:
    seq = col(OutboxEvent.seq)
    query = select(OutboxEvent).where(seq > after).order_by(seq).limit(limit)
    return list(session.exec(query))


def events_router(session_dep: Any) -> APIRouter:
    """`GET /events?after=<seq>&limit=<n>`: the service's domain events in commit order."""
    router = APIRouter(tags=["events"])

    @router.get("/events", response_model=EventPage)
    def list_events(
        session: session_dep,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> EventPage:
        rows = read_events(session, after, limit)
        events = [EventOut.model_validate(row, from_attributes=True) for row in rows]
        return EventPage(events=events, last_seq=events[-1].seq if events else after)

    return router
