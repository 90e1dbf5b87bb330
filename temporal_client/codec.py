"""Payload encryption: AES-GCM, one key per id, the key id stored with every payload.

Rotation: add a new key, make it current; payloads written with an older key still decode as
long as that key stays configured. The key id is bound to the ciphertext as associated data, so
a payload whose key id was tampered with fails to decrypt instead of decrypting wrongly.
"""

import dataclasses
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
KEY_SIZES = (16, 24, 32)


class DecryptionError(ValueError):
    """A payload cannot be decrypted: unknown key id, or tampered data."""


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: Mapping[str, bytes], current_key_id: str | None) -> None:
        """`keys` decrypt; `current_key_id` names the key that encrypts (None: pass through)."""
        for key_id, key in keys.items():
            if len(key) not in KEY_SIZES:
                raise ValueError(f"encryption key {key_id!r} must be 16, 24 or 32 bytes")
        if current_key_id is not None and current_key_id not in keys:
            raise ValueError(f"no encryption key with id {current_key_id!r}")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._current = current_key_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        if self._current is None:
            return list(payloads)
        return [self.encrypt(payload, self._current) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) if is_encrypted(p) else p for p in payloads]

    def encrypt(self, payload: Payload, key_id: str) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[key_id].encrypt(nonce, payload.SerializeToString(), key_id.encode())
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: key_id.encode()}, data=nonce + sealed
        )

    def decrypt(self, payload: Payload) -> Payload:
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise DecryptionError(f"no decryption key with id {key_id!r}")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, key_id.encode())
        except InvalidTag as error:  # it carries no message; say what it means
            raise DecryptionError(f"payload does not decrypt with key {key_id!r}") from error
        return Payload.FromString(plain)


def is_encrypted(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING


def encrypting_converter(codec: PayloadCodec) -> DataConverter:
    """The default converter with `codec`; failure messages and stack traces move into the
    encoded attributes, so they are encrypted too."""
    return dataclasses.replace(
        DataConverter.default,
        payload_codec=codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
