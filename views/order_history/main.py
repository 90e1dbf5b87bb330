"""Order history app: `python -m views.order_history` (or `uvicorn --factory
views.order_history.main:create_app`)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from http_contract.errors import install_error_handlers
from observability.database import trace_engine
from observability.web import instrument_app
from service_app.web import health_router
from storage.engines import make_engine, read_only
from storage.migrations import upgrade
from views.order_history.config import Settings
from views.order_history.feeds import subscribers
from views.order_history.routes import consumers, internal, orders, readiness


@asynccontextmanager
async def follow_feeds(app: FastAPI) -> AsyncIterator[None]:
    """Migrate the view's database, follow every feed while the app runs, stop cleanly."""
    engine = app.state.engine
    upgrade("order_history", app.state.settings.database_url)
    async with httpx.AsyncClient(timeout=10) as http:
        app.state.subscribers = subscribers(app.state.settings, engine, http)
        for subscriber in app.state.subscribers.values():
            subscriber.start()
        try:
            yield
        finally:
            await asyncio.gather(*(s.stop() for s in app.state.subscribers.values()))
    engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="order history", lifespan=follow_feeds)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.read_engine = read_only(app.state.engine)
    install_error_handlers(app)
    for router in (consumers.router, orders.router, readiness.router, health_router()):
        app.include_router(router)
    app.include_router(internal.router)
    instrument_app(app)
    trace_engine(app.state.engine)
    return app
