"""The API app in-process, for tests of its HTTP surface that need no Temporal server."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from temporalio.client import Client

from api.config import ApiSettings
from api.main import create_app
from temporal_client.connection import TemporalSettings

TOKEN = "unit-test-token-5f0c"
UI_ORIGIN = "http://ui.example:8080"


async def unconnected_client() -> Client:
    """A real client that never dials: these tests do not reach Temporal."""
    return await Client.connect("127.0.0.1:1", lazy=True)


def api_settings(**overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {"token": TOKEN, "codec_cors_origin": UI_ORIGIN} | overrides
    return ApiSettings.model_validate(values)


@asynccontextmanager
async def api_client(
    settings: ApiSettings | None = None, temporal: TemporalSettings | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client wired to a started API app (its lifespan runs around the block)."""
    app: FastAPI = create_app(
        settings or api_settings(),
        temporal_settings=temporal or TemporalSettings(),
        temporal_client=await unconnected_client(),
    )
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api") as client,
    ):
        yield client
