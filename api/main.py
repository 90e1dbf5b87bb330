"""Saga API app: `uvicorn --factory api.main:create_app --port 8000`."""

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.client import Client

from api.config import ApiSettings, SagaSettings
from api.error_handlers import install_api_error_handlers
from api.openapi import install_openapi
from api.routes import audit, consumers, health, orders, revise, saga_types, sagas
from api.routes.codec import install_codec
from api.sagas.projection import SagaProjection
from api.sagas.readings import ProjectionLimits
from http_contract.errors import error_body, install_error_handlers
from observability.api import instrument_api, observe_client
from temporal_client.connection import TemporalSettings, connect_temporal
from workflows.registry import DEFINITIONS

log = logging.getLogger("api")


def create_app(
    settings: ApiSettings | None = None,
    saga_settings: SagaSettings | None = None,
    temporal_settings: TemporalSettings | None = None,
    temporal_client: Client | None = None,
) -> FastAPI:
    settings = settings or ApiSettings()
    tokens = settings.named_tokens()
    if not tokens:
        raise RuntimeError("set SAGA_API_TOKEN (or SAGA_API_TOKENS) before starting the API")
    temporal_settings = temporal_settings or TemporalSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = temporal_client or await connect_temporal(temporal_settings)
        app.state.temporal = observe_client(client, app)
        async with (
            httpx.AsyncClient(timeout=settings.http_timeout_seconds) as http,
            SagaProjection(app.state.temporal, projection_limits(settings)) as projection,
        ):
            app.state.http = http
            app.state.projection = projection
            log.info("saga API ready; Temporal at %s", temporal_settings.address)
            yield

    app = FastAPIOffline(  # /docs and /redoc from the API itself: no CDN needed
        title="Saga service",
        description="Starts sagas and reports saga-level status.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.saga_settings = saga_settings or SagaSettings()
    app.state.temporal_settings = temporal_settings
    app.state.tokens = tokens
    app.state.page_token_key = page_token_key(settings)
    install_error_handlers(app)
    install_api_error_handlers(app)
    instrument_api(app, DEFINITIONS)
    limit_body_size(app, settings.max_body_bytes)
    routers = (health, orders, revise, sagas, saga_types, consumers, audit)
    for module in routers:
        app.include_router(module.router)
    install_codec(app, settings.codec_cors_origin)
    install_openapi(app)
    return app


def projection_limits(settings: ApiSettings) -> ProjectionLimits:
    return ProjectionLimits(
        followers=settings.status_followers,
        idle_seconds=settings.status_idle_seconds,
        closed_kept=settings.status_closed_kept,
        live_refresh_seconds=settings.status_live_refresh_seconds,
    )


def page_token_key(settings: ApiSettings) -> bytes:
    """Signs page tokens: SAGA_API_PAGE_TOKEN_SECRET, or else a random key of this process."""
    configured = settings.page_token_secret
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value().encode()
    log.warning(
        "SAGA_API_PAGE_TOKEN_SECRET is not set: page tokens are signed with a random key of this"
        " process, so they do not survive a restart nor work across API replicas"
    )
    return secrets.token_bytes(32)


def limit_body_size(app: FastAPI, max_bytes: int) -> None:
    """Refuse bodies larger than `max_bytes` before reading them."""
    # A chunked body has no Content-Length: count its bytes as they arrive too.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=max_bytes)
    app.add_middleware(ContentLengthLimit, max_bytes=max_bytes)


class ContentLengthLimit:
    """413 for a declared Content-Length over the limit. Plain ASGI: a `BaseHTTPMiddleware` runs
    every request in a task group of its own, which cost each status read a few milliseconds."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = Headers(scope=scope).get("content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
                message = f"request bodies are limited to {self.max_bytes} bytes"
                response = JSONResponse(error_body("body_too_large", message), status_code=413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
