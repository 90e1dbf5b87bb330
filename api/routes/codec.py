"""Remote codec for the Temporal Web UI and CLI: `POST /codec/decode`, `POST /codec/encode`.

Temporal's remote codec protocol: request and answer are a `Payloads` message in protobuf JSON,
`{"payloads": [{"metadata": {"encoding": "<base64>"}, "data": "<base64>"}]}`. Bearer auth as on
every other endpoint; CORS lets only the configured Web UI origin call these two paths.
"""

import base64
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from google.protobuf.message import DecodeError
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.common.v1 import Payload

from api.deps import Caller, TemporalSettingsDep
from http_contract.errors import DomainError
from temporal_client.codec import DecryptionError, EncryptionCodec
from temporal_client.connection import payload_codec

router = APIRouter(prefix="/codec", tags=["codec"])

Transform = Callable[[Sequence[Payload]], Awaitable[list[Payload]]]


class CodecPayload(BaseModel):
    metadata: dict[str, str] = {}
    data: str = ""


class CodecPayloads(BaseModel):
    payloads: list[CodecPayload] = Field(max_length=1000)


def get_codec(settings: TemporalSettingsDep) -> EncryptionCodec:
    return payload_codec(settings)


CodecDep = Annotated[EncryptionCodec, Depends(get_codec)]


@router.post("/decode")
async def decode(body: CodecPayloads, _: Caller, codec: CodecDep) -> CodecPayloads:
    return await _transform(codec.decode, body)


@router.post("/encode")
async def encode(body: CodecPayloads, _: Caller, codec: CodecDep) -> CodecPayloads:
    return await _transform(codec.encode, body)


async def _transform(transform: Transform, body: CodecPayloads) -> CodecPayloads:
    try:
        result = await transform([to_payload(payload) for payload in body.payloads])
    except DecryptionError as error:
        raise DomainError("payload_not_decryptable", str(error)) from error
    except (ValueError, DecodeError) as error:  # a key id not text, a short nonce, no protobuf
        message = f"payloads do not decode: {type(error).__name__}"
        raise DomainError("invalid_payloads", message) from error
    return CodecPayloads(payloads=[from_payload(payload) for payload in result])


def to_payload(payload: CodecPayload) -> Payload:
    metadata = {key: _unbase64(value) for key, value in payload.metadata.items()}
    return Payload(metadata=metadata, data=_unbase64(payload.data))


def from_payload(payload: Payload) -> CodecPayload:
    metadata = {key: _base64(value) for key, value in payload.metadata.items()}
    return CodecPayload(metadata=metadata, data=_base64(payload.data))


def _unbase64(text: str) -> bytes:
    """Standard or URL-safe alphabet, as protobuf JSON readers accept both; strictly checked."""
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except ValueError as error:  # binascii.Error, or a character outside ASCII
        raise DomainError("invalid_payloads", "payload fields must be base64") from error


def _base64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


class CodecCors:
    """CORS on /codec/ only: the Web UI's origin may call the codec and nothing else. Preflight
    requests are answered here, before authentication, as browsers send them without a token."""

    def __init__(self, app: ASGIApp, origin: str) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=[origin],
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Namespace"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        on_codec = scope["type"] == "http" and scope["path"].startswith(f"{router.prefix}/")
        await (self.cors if on_codec else self.app)(scope, receive, send)


def install_codec(app: FastAPI, web_ui_origin: str) -> None:
    app.include_router(router)
    app.add_middleware(CodecCors, origin=web_ui_origin)
