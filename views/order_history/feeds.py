"""The feeds the view follows and the handler that applies each one."""

import httpx
from sqlalchemy import Engine

from event_feed.subscriber import Backoff, FeedSubscriber, Handler
from views.order_history.config import Settings
from views.order_history.projector import (
    handle_accounting_event,
    handle_kitchen_event,
    handle_orders_event,
)

HANDLERS: dict[str, Handler] = {
    "orders": handle_orders_event,
    "kitchen": handle_kitchen_event,  # tickets, and restaurants for their names
    "accounting": handle_accounting_event,
}


def subscribers(
    settings: Settings, engine: Engine, http: httpx.AsyncClient, batch_size: int = 200
) -> dict[str, FeedSubscriber]:
    return {
        source: FeedSubscriber(
            source,
            url,
            engine,
            HANDLERS[source],
            http,
            wait_seconds=settings.feed_wait_seconds,
            backoff=Backoff(cap=settings.feed_retry_max_seconds),
            batch_size=batch_size,
        )
        for source, url in settings.feed_urls().items()
    }
