"""Rebuild the view from scratch: empty it, then replay every feed from seq 0 until caught up.

    python -m views.order_history.rebuild [--database-url URL]

Stop the running view first (or rebuild into a fresh database and point the view at it).
"""

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterable

import httpx
from sqlalchemy import Engine, delete
from sqlmodel import Session

from event_feed.subscriber import FeedSubscriber
from storage.engines import make_engine
from storage.migrations import upgrade
from views.order_history.config import Settings
from views.order_history.feeds import subscribers
from views.order_history.models import TABLES

BATCH_SIZE = 1000  # the largest page a feed serves

Report = Callable[[str], None]


async def rebuild(settings: Settings, report: Report = print) -> dict[str, int]:
    """Replay every feed into an emptied view; returns the last applied seq of each source."""
    engine = make_engine(settings.database_url)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            feeds = subscribers(settings, engine, http, batch_size=BATCH_SIZE)
            await check_readable(feeds.values())
            upgrade("order_history", settings.database_url)
            empty_view(engine)
            report(f"emptied the order history at {engine.url.render_as_string()}")
            return {source: await replay(feed, report) for source, feed in feeds.items()}
    finally:
        engine.dispose()


async def check_readable(feeds: Iterable[FeedSubscriber]) -> None:
    """Fail before the view is emptied when a participant cannot be read."""
    for feed in feeds:
        response = await feed.http.get(f"{feed.feed_url}/events", params={"limit": 1})
        response.raise_for_status()


def empty_view(engine: Engine) -> None:
    """Rows and cursors go in one transaction: the view is never half emptied."""
    with Session(engine) as session:
        for table in TABLES:
            session.exec(delete(table))
        session.commit()


async def replay(feed: FeedSubscriber, report: Report) -> int:
    applied = 0
    while True:
        batch = await feed.poll_once()
        applied += batch
        report(f"{feed.source}: {applied} events applied, at seq {feed.status().last_seq}")
        if batch < feed.batch_size:
            report(f"{feed.source}: caught up")
            return feed.status().last_seq


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m views.order_history.rebuild",
        description="Empty the order history view and replay every feed from seq 0.",
    )
    parser.add_argument("--database-url", help="the view's database (default: from settings)")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    try:
        asyncio.run(rebuild(settings))
    except httpx.HTTPError as error:
        sys.exit(f"rebuild stopped, a feed cannot be read: {error!r}")


if __name__ == "__main__":
    main()
