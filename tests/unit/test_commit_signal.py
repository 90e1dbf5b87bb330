"""The feed's commit signal never loses a wake-up."""

import asyncio

from event_feed.commits import CommitSignal


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
