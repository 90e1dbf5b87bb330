"""A reusable subscriber to another service's event feed.

It polls `GET {feed_url}/events?after=<cursor>`, applies each event with a handler, and stores
the cursor in the subscriber's own database in the same transaction as the events it covers:
an event's effect happens exactly once, and a restarted subscriber resumes where it stopped.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import BigInteger, Column, Engine
from sqlmodel import Field, Session, SQLModel, select

from common.db import UtcDateTime, read_only
from common.idempotency import utcnow

log = logging.getLogger(__name__)

Event = dict[str, Any]
Handler = Callable[[Session, Event], None]


class SubscriptionCursor(SQLModel, table=True):
    __tablename__ = "subscription_cursor"

    source: str = Field(primary_key=True, max_length=100)
    last_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))  # as outbox seq
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


@dataclass
class SubscriberStatus:
    source: str
    last_seq: int
    lag_seconds: float
    caught_up: bool
    last_error: str | None


class FeedSubscriber:
    def __init__(
        self,
        source: str,
        feed_url: str,
        engine: Engine,
        handle: Handler,
        http: httpx.AsyncClient,
        *,
        poll_interval: float = 0.1,
        batch_size: int = 200,
    ) -> None:
        self.source = source
        self.feed_url = feed_url.rstrip("/")
        self.engine = engine
        self.handle = handle
        self.http = http
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self._last_seq = 0
        self._lag = 0.0
        self._caught_up = False
        self._last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"subscriber-{self.source}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run(self) -> None:
        log.info("subscriber %s following %s", self.source, self.feed_url)
        while True:
            try:
                applied = await self.poll_once()
            except Exception as error:  # a failed batch is retried from the stored cursor
                self._record_error(error)
                applied = 0
            if applied < self.batch_size:
                await asyncio.sleep(self.poll_interval)

    async def poll_once(self) -> int:
        """Fetch and apply one batch; returns how many events were applied."""
        after = await asyncio.to_thread(self.cursor)
        response = await self.http.get(
            f"{self.feed_url}/events", params={"after": after, "limit": self.batch_size}
        )
        response.raise_for_status()
        events: list[Event] = response.json()["events"]
        self._last_error = None
        if not events:
            self._caught_up, self._lag, self._last_seq = True, 0.0, after
            return 0
        self._last_seq = await asyncio.to_thread(self._apply, events)
        self._caught_up = len(events) < self.batch_size
        self._lag = max(0.0, (utcnow() - _created_at(events[-1])).total_seconds())
        return len(events)

    def cursor(self) -> int:
        with Session(read_only(self.engine)) as session:
            row = session.get(SubscriptionCursor, self.source)
            return row.last_seq if row else 0

    def _apply(self, events: list[Event]) -> int:
        with Session(self.engine) as session:
            query = select(SubscriptionCursor).where(SubscriptionCursor.source == self.source)
            cursor = session.exec(query.with_for_update()).first()
            cursor = cursor or SubscriptionCursor(source=self.source)
            for event in events:
                if event["seq"] <= cursor.last_seq:
                    continue  # another instance applied it already
                self.handle(session, event)
                cursor.last_seq = event["seq"]
            cursor.updated_at = utcnow()
            session.add(cursor)
            session.commit()
            return cursor.last_seq

    def status(self) -> SubscriberStatus:
        return SubscriberStatus(
            self.source, self._last_seq, self._lag, self._caught_up, self._last_error
        )

    def _record_error(self, error: Exception) -> None:
        message = f"{type(error).__name__}: {error}"
        if message != self._last_error:
            log.warning("subscriber %s cannot read %s: %s", self.source, self.feed_url, message)
        self._last_error = message
        self._caught_up = False


def _created_at(event: Event) -> datetime:
    created = datetime.fromisoformat(event["created_at"])
    return created if created.tzinfo else created.replace(tzinfo=utcnow().tzinfo)
