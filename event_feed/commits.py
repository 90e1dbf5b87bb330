"""Tell the event feed's long polls that an outbox event has committed, so they answer at once.

In one process: a session that recorded an outbox event wakes the waiting polls after it commits
(SQLAlchemy's `after_commit`; sync endpoints commit in a worker thread, hence
`call_soon_threadsafe`). Across processes on PostgreSQL: the writing transaction also issues
`pg_notify`, which PostgreSQL delivers when it commits, to every process that LISTENs on the
database. SQLite has no such channel: run one process per SQLite database.
"""

import asyncio
import logging
from contextlib import suppress
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "outbox_event"
_PENDING = "outbox_commit_signal"  # Session.info key: this transaction recorded an event
RECONNECT_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)  # capped backoff of the LISTEN connection


class CommitSignal:
    """Counts the commits of outbox events one database has seen; long polls wait for it to move."""

    def __init__(self) -> None:
        self.count = 0
        self.waiters = 0  # long polls waiting now (tests observe it; a gauge for operators)
        self._moved = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Wake waiters on `loop` from now on (None: nobody waits, commits are not counted)."""
        self._loop = loop

    def committed(self) -> None:
        """An outbox event committed; callable from any thread."""
        loop = self._loop
        if loop is None:
            return
        with suppress(RuntimeError):  # the loop has closed: nobody is waiting any more
            loop.call_soon_threadsafe(self.advance)

    def advance(self) -> None:
        """Wake every waiter; runs on the signal's loop."""
        self.count += 1
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def moved_past(self, seen: int) -> None:
        """Returns once a commit after count `seen` has been counted. Checks the count, not only
        the wake-up: a commit counted before this coroutine first runs would otherwise be missed
        (its wake-up set the event this waiter had not yet picked up)."""
        self.waiters += 1
        try:
            while self.count == seen:
                await self._moved.wait()
        finally:
            self.waiters -= 1


_signals: WeakKeyDictionary[Engine, CommitSignal] = WeakKeyDictionary()


def signal_of(engine: Engine) -> CommitSignal:
    """The commit signal of the database behind `engine`, one per engine object."""
    if (signal := _signals.get(engine)) is None:
        signal = _signals[engine] = CommitSignal()
    return signal


def notify_on_commit(session: Session) -> None:
    """Wake the feed's waiters once this session's transaction commits."""
    bind = session.get_bind()
    if isinstance(bind, Engine):
        session.info[_PENDING] = signal_of(bind)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # SQLAlchemy reports a savepoint's release as a commit too: waking the feed then would have
    # it read before the real commit, and the real one would wake nobody.
    if session.in_nested_transaction():
        return
    signal: CommitSignal | None = session.info.pop(_PENDING, None)
    if signal is not None:
        signal.committed()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    # A savepoint rolled back may leave events recorded before it: keep the flag then (a wake-up
    # too many costs one read; one too few, the whole wait).
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)  # the event was rolled back with it


async def listen_for_commits(database_url: str, signal: CommitSignal) -> None:
    """Advance `signal` on every commit of an outbox event by any process on this PostgreSQL
    database; reconnects with a capped backoff until cancelled."""
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    failures = 0
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as db:
                await db.execute(f"LISTEN {CHANNEL}")
                failures = 0
                signal.advance()  # commits may have happened while no one listened
                async for _ in db.notifies():
                    signal.advance()
        except psycopg.Error as error:
            delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
            log.warning("cannot LISTEN for outbox commits (%s); again in %.1f s", error, delay)
            failures += 1
            await asyncio.sleep(delay)
