"""Orders service app: `uvicorn --factory participants.orders.main:create_app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from event_feed.dead_letters import DeadLetter
from event_feed.subscriber import Backoff, FeedSubscriber, SubscriptionCursor
from participants.orders.config import Settings
from participants.orders.models import Order, ReplicaRestaurant
from participants.orders.replica import apply_kitchen_event
from participants.orders.routes import internal, orders, restaurants
from service_app.web import service_app
from storage.engines import table_of

TABLES = [
    table_of(Order),
    table_of(ReplicaRestaurant),
    table_of(SubscriptionCursor),
    table_of(DeadLetter),
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def replicate(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=10) as http:
            subscriber = FeedSubscriber(
                "kitchen",
                settings.kitchen_url,
                app.state.engine,
                apply_kitchen_event,
                http,
                wait_seconds=settings.replica_wait_seconds,
                backoff=Backoff(cap=settings.replica_retry_max_seconds),
            )
            app.state.replica = subscriber
            subscriber.start()
            yield
            await subscriber.stop()

    return service_app(
        "orders", settings, [orders.router, restaurants.router, internal.router], lifespan=replicate
    )
