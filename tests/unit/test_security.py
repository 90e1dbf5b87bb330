"""Hardening: body size limits, loopback binding in `make run`, no secrets in logs."""

import logging
from collections.abc import AsyncIterator

import pytest
from pydantic_settings import BaseSettings

from api.config import ApiSettings
from participants.accounting.config import Settings as AccountingSettings
from participants.consumers.config import Settings as ConsumersSettings
from participants.kitchen.config import Settings as KitchenSettings
from participants.orders.config import Settings as OrdersSettings
from scripts.stack import stack
from temporal_client.connection import TemporalSettings
from tests.support.api_app import TOKEN, api_client, api_settings
from views.order_history.config import Settings as OrderHistorySettings

LIMIT = 1024
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORDER = {"consumer_id": "c1", "restaurant_id": "r1", "line_items": []}


async def test_a_declared_oversized_body_is_refused_before_auth() -> None:
    async with api_client(api_settings(max_body_bytes=LIMIT)) as api:
        response = await api.post("/orders", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


async def test_a_chunked_body_cannot_slip_past_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield b" " * 512  # no Content-Length: the limit counts the bytes as they arrive

    async with api_client(api_settings(max_body_bytes=LIMIT)) as api:
        response = await api.post(
            "/orders", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "http_413"


async def test_a_body_within_the_limit_reaches_the_route() -> None:
    async with api_client(api_settings(max_body_bytes=LIMIT)) as api:
        response = await api.post("/orders", json=ORDER)
    assert response.status_code == 401  # past the size check, stopped by auth


@pytest.mark.parametrize(
    "settings_class",
    [
        ConsumersSettings,
        OrdersSettings,
        KitchenSettings,
        AccountingSettings,
        OrderHistorySettings,
        ApiSettings,
    ],
)
def test_services_bind_loopback_by_default(settings_class: type[BaseSettings]) -> None:
    assert settings_class.model_fields["host"].default == "127.0.0.1"


def test_make_run_keeps_every_process_on_loopback() -> None:
    services = stack("a-token")
    temporal = next(s for s in services if s.name == "temporal")
    assert temporal.command[temporal.command.index("--ip") + 1] == "127.0.0.1"
    for service in services:
        assert not [name for name in service.env if name.endswith("_HOST")], service.name


async def test_no_token_in_the_api_logs_on_start_and_on_401(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with api_client() as api:
        await api.get("/sagas")
        await api.get("/sagas", headers={"Authorization": f"Bearer {TOKEN}-wrong"})
        await api.get("/sagas", headers={"Authorization": "Bearer"})
    assert caplog.records, "the API logs nothing at all: this test would prove nothing"
    assert TOKEN not in caplog.text


def test_settings_never_print_their_secrets() -> None:
    api = ApiSettings(token=TOKEN, tokens={"alice": "alice-secret"})
    temporal = TemporalSettings(api_key="temporal-key-secret")
    text = f"{api!r} {api} {temporal!r} {temporal}"
    for secret in (TOKEN, "alice-secret", "temporal-key-secret"):
        assert secret not in text
