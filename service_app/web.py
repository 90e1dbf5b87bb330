"""The pieces every service app is made of: session dependency, errors, events, faults, health."""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from event_feed.commits import listen_for_commits, signal_of
from event_feed.outbox import events_router
from http_contract.errors import install_error_handlers
from observability.database import trace_engine
from observability.web import instrument_app
from service_app.faults import install_faults
from service_app.settings import ServiceSettings
from storage.engines import is_sqlite, make_engine, read_only
from storage.migrations import upgrade

# The session dependencies are async: opening a Session does no I/O, so FastAPI need not hop to
# a worker thread to enter them and again to leave them; only the (sync) endpoint runs there.


async def get_session(request: Request) -> AsyncIterator[Session]:
    async for session in _session_on(request.app.state.engine):
        yield session


async def get_read_session(request: Request) -> AsyncIterator[Session]:
    async for session in _session_on(request.app.state.read_engine):
        yield session


async def _session_on(engine: Engine) -> AsyncIterator[Session]:
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        await close(session)


async def close(session: Session) -> None:
    """Closing a session that is still in a transaction rolls it back: database I/O, which must
    not run on the event loop. A committed session has nothing left to end."""
    if session.in_transaction():
        await run_in_threadpool(session.close)
    else:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def service_app(
    title: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    lifespan: Lifespan | None = None,
    migrations: str | None = None,
) -> FastAPI:
    """A participant app on its private database, with the outbox feed and error handlers.

    On start it migrates its database to the newest revision of `migrations/<name>/` (`name` is
    `migrations`, by default the title); that environment declares the service's tables.
    """
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        upgrade(migrations or title, settings.database_url)
        async with announcing_commits(engine, settings.database_url):
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        engine.dispose()

    app = FastAPI(title=title, lifespan=run)
    app.state.engine = engine
    app.state.read_engine = read_only(engine)  # made once: every read request uses it
    app.state.settings = settings
    install_error_handlers(app)
    for router in routers:
        app.include_router(router)
    app.include_router(events_router())
    app.include_router(health_router())
    instrument_app(app)
    trace_engine(engine)
    if settings.faults_enabled:  # last, so outermost: a dropped connection reaches the socket
        app.state.faults = install_faults(app)
    return app


@asynccontextmanager
async def announcing_commits(engine: Engine, database_url: str) -> AsyncIterator[None]:
    """While the app runs, its event feed's long polls wake on commits of this process (and on
    PostgreSQL, of every process on the database)."""
    signal = signal_of(engine)
    signal.attach(asyncio.get_running_loop())
    listener = None
    if not is_sqlite(database_url):
        listener = asyncio.create_task(listen_for_commits(database_url, signal))
    try:
        yield
    finally:
        signal.attach(None)
        if listener is not None:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return router


def engine_of(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine
