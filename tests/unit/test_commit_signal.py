"""The feed's commit signal never loses a wake-up."""

import asyncio
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from event_feed.commits import CommitSignal, signal_of
from event_feed.outbox import OutboxEvent, read_page, record_event
from storage.engines import create_tables, make_engine, table_of


async def test_a_commit_counted_before_the_waiter_first_runs_is_not_missed() -> None:
    signal = CommitSignal()
    seen = signal.count
    waiter = asyncio.ensure_future(signal.moved_past(seen))  # created, not yet started
    signal.advance()  # the commit lands before the waiter's first step
    await asyncio.wait_for(waiter, timeout=5)


async def test_a_waiter_returns_on_the_next_commit() -> None:
    signal = CommitSignal()
    waiter = asyncio.ensure_future(signal.moved_past(signal.count))
    await asyncio.sleep(0)  # let it start waiting
    assert not waiter.done() and signal.waiters == 1
    signal.advance()
    await asyncio.wait_for(waiter, timeout=5)
    assert signal.waiters == 0


def outbox_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'feed.db'}")
    create_tables(engine, [table_of(OutboxEvent)])
    return engine


async def callbacks_ran() -> None:
    """The commit hook wakes the loop with call_soon_threadsafe: one loop turn runs it."""
    await asyncio.sleep(0)


async def test_a_savepoint_release_is_not_taken_for_the_commit(tmp_path: Path) -> None:
    """A command runs in a savepoint; SQLAlchemy reports its release as a commit too. Waking the
    feed then made it read before the real commit and wait a whole re-check for the event."""
    engine = outbox_engine(tmp_path)
    signal = signal_of(engine)
    signal.attach(asyncio.get_running_loop())
    with Session(engine) as session:
        savepoint = session.begin_nested()
        record_event(session, "OrderCreated", "order", "o-1", {})
        savepoint.commit()
        await callbacks_ran()
        assert signal.count == 0
        session.commit()
    await callbacks_ran()
    assert signal.count == 1
    assert [event.aggregate_id for event in read_page(engine, 0, 10).events] == ["o-1"]


async def test_an_event_recorded_before_a_refused_savepoint_still_wakes(tmp_path: Path) -> None:
    engine = outbox_engine(tmp_path)
    signal = signal_of(engine)
    signal.attach(asyncio.get_running_loop())
    with Session(engine) as session:
        record_event(session, "OrderCreated", "order", "o-1", {})
        session.begin_nested().rollback()  # a refused command inside the same transaction
        session.commit()
    await callbacks_ran()
    assert signal.count == 1
