"""A reusable subscriber to another service's event feed.

It long-polls `GET {feed_url}/events?after=<cursor>&wait_seconds=<w>` (the feed answers as soon as
an event commits), applies each event with a handler, and stores the cursor in the subscriber's
own database in the same transaction as the events it covers: an event's effect happens exactly
once, and a restarted subscriber resumes where it stopped. An event whose data its handler
rejects is set aside (event_feed.dead_letters) and the cursor moves on; a feed or database failure
retries the batch after a capped exponential backoff. Nothing runs on a timer while all is well.
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

from event_feed.dead_letters import count_dead_letters, is_data_error, set_aside
from storage.engines import UtcDateTime, read_only
from storage.utc import utcnow

log = logging.getLogger(__name__)

Event = dict[str, Any]
Handler = Callable[[Session, Event], None]

HTTP_GRACE_SECONDS = 10  # how much longer than the long poll an answer may take


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
    dead_letters: int = 0


@dataclass(frozen=True)
class Backoff:
    """Capped exponential delays between attempts while a feed or the database fails."""

    first: float = 0.1
    cap: float = 5.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * 2.0 ** min(failures, 30))


class FeedSubscriber:
    def __init__(
        self,
        source: str,
        feed_url: str,
        engine: Engine,
        handle: Handler,
        http: httpx.AsyncClient,
        *,
        wait_seconds: float = 20.0,
        backoff: Backoff = Backoff(),
        batch_size: int = 200,
    ) -> None:
        self.source = source
        self.feed_url = feed_url.rstrip("/")
        self.engine = engine
        self.handle = handle
        self.http = http
        self.wait_seconds = wait_seconds
        self.backoff = backoff
        self.batch_size = batch_size
        self._last_seq = 0
        self._lag = 0.0
        self._caught_up = False
        self._last_error: str | None = None
        self._dead_letters: int | None = None  # read from the database on the first poll
        self._cursor: int | None = None  # known after a commit; read again after a failure
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
        failures = 0
        while True:
            try:
                # Wait at the feed only once caught up: at start and while catching up, the
                # answer tells at once whether there is more.
                await self.poll_once(self.wait_seconds if self._caught_up else 0)
                failures = 0
            except Exception as error:  # a failed batch is retried from the stored cursor
                self._cursor = None
                self._record_error(error)
                await asyncio.sleep(self.backoff.delay(failures))
                failures += 1

    async def poll_once(self, wait_seconds: float = 0) -> int:
        """Fetch and apply one batch, waiting up to `wait_seconds` for the first event; returns
        how many events the batch held (applied or set aside)."""
        after = self._cursor if self._cursor is not None else await asyncio.to_thread(self.cursor)
        params = {"after": after, "limit": self.batch_size, "wait_seconds": wait_seconds}
        response = await self.http.get(
            f"{self.feed_url}/events", params=params, timeout=wait_seconds + HTTP_GRACE_SECONDS
        )
        response.raise_for_status()
        events: list[Event] = response.json()["events"]
        self._last_error = None
        if not events:
            self._caught_up, self._lag, self._last_seq = True, 0.0, after
            return 0
        self._last_seq = self._cursor = await asyncio.to_thread(self._apply, events)
        # Caught up: the subscriber holds everything the feed had when it answered. Behind: it
        # is as far behind as the newest event it applied is old.
        self._caught_up = len(events) < self.batch_size
        age = (utcnow() - _created_at(events[-1])).total_seconds()
        self._lag = 0.0 if self._caught_up else max(0.0, age)
        return len(events)

    def cursor(self) -> int:
        """The stored cursor. Between polls the subscriber remembers the one it committed; a
        second instance on the same database only makes its batches skip what it applied."""
        with Session(read_only(self.engine)) as session:
            row = session.get(SubscriptionCursor, self.source)
            if self._dead_letters is None:
                self._dead_letters = count_dead_letters(session, self.source)
            return row.last_seq if row else 0

    def _apply(self, events: list[Event]) -> int:
        """Apply a batch in one transaction. Only when an event's data fails is the batch applied
        again with a savepoint per event, so that the event can be set aside."""
        try:
            return self._apply_batch(events, guarded=False)
        except Exception as error:
            if not is_data_error(error):
                raise
            return self._apply_batch(events, guarded=True)

    def _apply_batch(self, events: list[Event], *, guarded: bool) -> int:
        with Session(self.engine) as session:
            query = select(SubscriptionCursor).where(SubscriptionCursor.source == self.source)
            cursor = session.exec(query.with_for_update()).first()
            cursor = cursor or SubscriptionCursor(source=self.source)
            set_aside_now = 0
            for event in events:
                if event["seq"] <= cursor.last_seq:
                    continue  # another instance applied it already
                if guarded:
                    set_aside_now += not self._apply_one(session, event)
                else:
                    self.handle(session, event)
                cursor.last_seq = event["seq"]
            cursor.updated_at = utcnow()
            session.add(cursor)
            session.commit()
            self._dead_letters = (self._dead_letters or 0) + set_aside_now
            return cursor.last_seq

    def _apply_one(self, session: Session, event: Event) -> bool:
        """Apply one event in a savepoint; False when its data was at fault and it was set aside."""
        try:
            with session.begin_nested():
                self.handle(session, event)
            return True
        except Exception as error:
            if not is_data_error(error):
                raise
            set_aside(session, self.source, event, error)
            return False

    def status(self) -> SubscriberStatus:
        return SubscriberStatus(
            self.source,
            self._last_seq,
            self._lag,
            self._caught_up,
            self._last_error,
            self._dead_letters or 0,
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
