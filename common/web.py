"""The pieces every service app is made of: session dependency, errors, events, faults, health."""

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy import Engine, Table
from sqlmodel import Session

from common.db import make_engine, read_only, table_of
from common.errors import install_error_handlers
from common.faults import install_faults
from common.idempotency import IdempotencyRecord
from common.migrations import upgrade
from common.outbox import OutboxEvent, events_router
from common.settings import ServiceSettings
from observability.logs import configure_logging as configure_process_logging
from observability.web import instrument_app

COMMON_TABLES: list[Table] = [table_of(OutboxEvent), table_of(IdempotencyRecord)]


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    with Session(read_only(request.app.state.engine), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def configure_logging(level: str = "info") -> None:
    configure_process_logging(level)


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
        if lifespan is None:
            yield
        else:
            async with lifespan(app):
                yield
        engine.dispose()

    app = FastAPI(title=title, lifespan=run)
    app.state.engine = engine
    app.state.settings = settings
    install_error_handlers(app)
    if settings.faults_enabled:
        app.state.faults = install_faults(app)
    for router in routers:
        app.include_router(router)
    app.include_router(events_router(ReadSessionDep))
    app.include_router(health_router())
    instrument_app(app)
    return app


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return router


def engine_of(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine
