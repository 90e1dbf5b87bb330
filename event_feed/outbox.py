"""Transactional outbox: an event row is written in the same transaction as the change it reports.

The feed is read by sequence number. Readers must never see sequence N+1 before N is committed,
otherwise a cursor would skip N for ever. SQLite has one writer at a time, so sequence order is
commit order. On PostgreSQL each writer takes a transaction-scoped advisory lock before it
allocates its sequence number, which makes commit order equal sequence order there too.

`GET /events?wait_seconds=<w>` long-polls: with nothing after the cursor it waits until an event
commits (event_feed.commits wakes it) or `w` seconds pass. On PostgreSQL any number of processes may
serve one database (commits are announced with NOTIFY); on SQLite, one process per database.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Engine,
    Integer,
    Row,
    bindparam,
    insert,
    select,
    text,
)
from sqlmodel import Field, Session, SQLModel
from starlette.concurrency import run_in_threadpool

from event_feed.commits import CHANNEL, CommitSignal, notify_on_commit, signal_of
from storage.engines import UtcDateTime, read_only, table_of
from storage.locks import AdvisoryLock
from storage.utc import utcnow

MAX_WAIT_SECONDS = 60
# One statement: the sequence lock, and the NOTIFY that PostgreSQL delivers when we commit.
_LOCK_AND_NOTIFY = text(f"SELECT pg_advisory_xact_lock(:id), pg_notify('{CHANNEL}', '')")


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


_INSERT = insert(OutboxEvent)  # built once; each call only binds its row


def record_event(
    session: Session, event_type: str, aggregate_type: str, aggregate_id: str, payload: Any
) -> None:
    """Add a domain event to the current transaction; waiting feed readers wake when it commits.

    The session's pending changes are written first, then the event (Core, on the session's
    connection: the row is never read back, so it needs no ORM object to track). On PostgreSQL
    the sequence lock comes after the change's own writes, as it always has: a writer waiting
    for a row another transaction holds never holds the lock that one waits for."""
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_AND_NOTIFY, {"id": AdvisoryLock.OUTBOX})
    notify_on_commit(session)
    row = {
        "event_type": event_type,
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "payload": payload,
        "created_at": utcnow(),
    }
    connection.execute(_INSERT, row)


_TABLE = table_of(OutboxEvent)
_AFTER = (
    select(*_TABLE.columns)
    .where(_TABLE.c.seq > bindparam("after"))
    .order_by(_TABLE.c.seq)
    .limit(bindparam("limit"))
)


def read_events(session: Session, after: int, limit: int) -> Sequence[Row[Any]]:
    """The events after `after`, in sequence order: plain rows (Core, built once), no ORM objects."""
    return session.connection().execute(_AFTER, {"after": after, "limit": limit}).all()


def read_page(engine: Engine, after: int, limit: int) -> EventPage:
    with Session(read_only(engine)) as session:
        rows = read_events(session, after, limit)
    # The rows are the table's typed columns already: no validation to run again.
    events = [EventOut.model_construct(**row._mapping) for row in rows]
    return EventPage.model_construct(events=events, last_seq=events[-1].seq if events else after)


# A waiting poll re-reads this often even without a wake-up: a safety net only (every commit of
# an event wakes it), so it is rare enough to cost nothing while the stack idles.
RECHECK_SECONDS = 10.0


async def wait_for_page(
    engine: Engine, after: int, limit: int, wait_seconds: float, gone: "asyncio.Future[Any]"
) -> EventPage:
    """The events after `after`; if none, the first ones committed within `wait_seconds`."""
    signal = signal_of(engine)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        seen = signal.count  # before reading: a commit during the read is not missed
        page = await run_in_threadpool(read_page, engine, after, limit)
        remaining = deadline - loop.time()
        if page.events or remaining <= 0 or gone.done():
            return page
        # Woken by a commit, or a slice of the wait gone by: read again. The slice bounds the
        # delay should a wake-up ever go astray.
        await _next_commit(signal, seen, min(remaining, RECHECK_SECONDS), gone)


async def _next_commit(
    signal: CommitSignal, seen: int, timeout: float, gone: "asyncio.Future[Any]"
) -> None:
    """Returns once an event committed since `seen`, the client left, or `timeout` passed."""
    commit = asyncio.ensure_future(signal.moved_past(seen))
    try:
        await asyncio.wait({commit, gone}, timeout=timeout, return_when="FIRST_COMPLETED")
    finally:
        commit.cancel()


async def _disconnected(request: Request) -> None:
    """Returns when the client goes away (a GET's body is empty, so nothing else arrives)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def events_router() -> APIRouter:
    """`GET /events?after=<seq>&limit=<n>&wait_seconds=<w>`: the domain events in commit order."""
    router = APIRouter(tags=["events"])

    @router.get("/events", responses={200: {"model": EventPage}})
    async def list_events(
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        wait_seconds: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 0,
    ) -> Response:
        engine: Engine = request.app.state.engine
        if not wait_seconds:
            page = await run_in_threadpool(read_page, engine, after, limit)
            return Response(page.model_dump_json(), media_type="application/json")
        gone = asyncio.ensure_future(_disconnected(request))
        try:
            page = await wait_for_page(engine, after, limit, wait_seconds, gone)
        finally:
            gone.cancel()
        return Response(page.model_dump_json(), media_type="application/json")

    return router
