"""The API's remote codec endpoint: Temporal's JSON protocol, bearer auth, CORS for the Web UI."""

import base64
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from temporal_client.connection import TemporalSettings
from tests.support.api_app import TOKEN, UI_ORIGIN, api_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
KEY = base64.b64encode(os.urandom(32)).decode()
ENCRYPTING = TemporalSettings(
    encrypt_payloads=True, encryption_keys={"k1": KEY}, encryption_key_id="k1"
)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def json_payload(text: str) -> dict[str, Any]:
    return {"metadata": {"encoding": b64(b"json/plain")}, "data": b64(f'"{text}"'.encode())}


async def test_encode_then_decode_round_trips_and_hides_the_data() -> None:
    body = {"payloads": [json_payload("consumer-42")]}
    async with api_client(temporal=ENCRYPTING) as api:
        encoded = await api.post("/codec/encode", json=body, headers=AUTH)
        assert encoded.status_code == 200, encoded.text
        [sealed] = encoded.json()["payloads"]
        assert base64.b64decode(sealed["metadata"]["encoding"]) == b"binary/encrypted"
        assert b"consumer-42" not in base64.b64decode(sealed["data"])
        decoded = await api.post("/codec/decode", json=encoded.json(), headers=AUTH)
    assert decoded.json() == body


async def test_codec_needs_the_bearer_token() -> None:
    body = {"payloads": [json_payload("x")]}
    async with api_client(temporal=ENCRYPTING) as api:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            for path in ("/codec/decode", "/codec/encode"):
                response = await api.post(path, json=body, headers=headers)
                assert response.status_code == 401
                assert response.json()["error"]["code"] == "unauthorized"


async def test_the_web_ui_origin_may_preflight_without_a_token() -> None:
    async with api_client() as api:
        response = await api.options("/codec/decode", headers=preflight(UI_ORIGIN))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == UI_ORIGIN
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_other_origins_are_refused() -> None:
    async with api_client() as api:
        response = await api.options("/codec/decode", headers=preflight("http://evil.example"))
        answer = await api.post(
            "/codec/decode",
            json={"payloads": []},
            headers={**AUTH, "Origin": "http://evil.example"},
        )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in answer.headers


async def test_cors_is_limited_to_the_codec() -> None:
    async with api_client() as api:
        response = await api.options("/orders", headers=preflight(UI_ORIGIN))
        listing = await api.get("/sagas", headers={"Origin": UI_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in listing.headers


async def test_a_payload_under_an_unknown_key_is_a_clear_error() -> None:
    async with api_client(temporal=ENCRYPTING) as api:
        sealed = (
            await api.post("/codec/encode", json={"payloads": [json_payload("x")]}, headers=AUTH)
        ).json()
    other = TemporalSettings(encryption_keys={"k2": KEY})
    async with api_client(temporal=other) as api:
        response = await api.post("/codec/decode", json=sealed, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payload_not_decryptable"


async def test_malformed_payloads_are_refused() -> None:
    body = {"payloads": [{"metadata": {"encoding": "%%%"}, "data": ""}]}
    async with api_client(temporal=ENCRYPTING) as api:
        response = await api.post("/codec/decode", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_payloads"


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


def sealed_payload(
    plain: bytes, key_id: bytes = b"k1", nonce: bytes = b"\0" * 12
) -> dict[str, Any]:
    """An encrypted payload as the codec writes it, around any bytes."""
    data = nonce + AESGCM(base64.b64decode(KEY)).encrypt(nonce, plain, key_id)
    metadata = {"encoding": b64(b"binary/encrypted"), "encryption-key-id": b64(key_id)}
    return {"metadata": metadata, "data": b64(data)}


MALFORMED = {
    "too short to hold a nonce": {
        "metadata": {"encoding": b64(b"binary/encrypted"), "encryption-key-id": b64(b"k1")},
        "data": b64(b"abc"),
    },
    "key id not text": sealed_payload(b"", key_id=b"\xff\xfe"),
    "not a payload once decrypted": sealed_payload(b"\xff\xff\xff\xff not protobuf"),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
async def test_undecodable_payloads_are_a_clear_4xx(payload: dict[str, Any]) -> None:
    async with api_client(temporal=ENCRYPTING) as api:
        response = await api.post("/codec/decode", json={"payloads": [payload]}, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] in {"invalid_payloads", "payload_not_decryptable"}
