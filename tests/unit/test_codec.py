"""The payload encryption codec: round trip, key rotation, tampering."""

import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure

from temporal_client.codec import KEY_ID, DecryptionError, EncryptionCodec, encrypting_converter

OLD, NEW = os.urandom(32), os.urandom(32)


def plain(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=f'"{text}"'.encode())


async def test_round_trip_hides_data_and_metadata() -> None:
    codec = EncryptionCodec({"k1": OLD}, "k1")
    [sealed] = await codec.encode([plain("consumer-7")])
    assert b"consumer-7" not in sealed.SerializeToString()
    assert b"json/plain" not in sealed.data
    assert sealed.metadata[KEY_ID] == b"k1"
    assert await codec.decode([sealed]) == [plain("consumer-7")]


async def test_each_encryption_uses_a_fresh_nonce() -> None:
    codec = EncryptionCodec({"k1": OLD}, "k1")
    first, second = await codec.encode([plain("same"), plain("same")])
    assert first.data != second.data


async def test_older_payloads_decode_after_rotation() -> None:
    [old] = await EncryptionCodec({"k1": OLD}, "k1").encode([plain("before")])
    rotated = EncryptionCodec({"k1": OLD, "k2": NEW}, "k2")
    [new] = await rotated.encode([plain("after")])
    assert new.metadata[KEY_ID] == b"k2"
    assert await rotated.decode([old, new]) == [plain("before"), plain("after")]


async def test_unknown_key_id_is_an_error_that_names_only_the_id() -> None:
    [sealed] = await EncryptionCodec({"k1": OLD}, "k1").encode([plain("x")])
    with pytest.raises(DecryptionError, match="'k1'") as raised:
        await EncryptionCodec({"k2": NEW}, "k2").decode([sealed])
    assert OLD.hex() not in str(raised.value)


async def test_tampered_key_id_fails_instead_of_decrypting() -> None:
    codec = EncryptionCodec({"k1": OLD, "k2": OLD}, "k1")
    [sealed] = await codec.encode([plain("x")])
    sealed.metadata[KEY_ID] = b"k2"  # same key bytes, but the id is authenticated
    with pytest.raises(DecryptionError):
        await codec.decode([sealed])


async def test_unencrypted_payloads_pass_through_decode() -> None:
    codec = EncryptionCodec({"k1": OLD}, "k1")
    assert await codec.decode([plain("legacy")]) == [plain("legacy")]


async def test_without_a_current_key_encode_passes_through() -> None:
    codec = EncryptionCodec({"k1": OLD}, None)
    assert await codec.encode([plain("x")]) == [plain("x")]


def test_keys_must_have_an_aes_length() -> None:
    with pytest.raises(ValueError, match="16, 24 or 32 bytes"):
        EncryptionCodec({"short": b"123"}, "short")
    with pytest.raises(ValueError, match="no encryption key"):
        EncryptionCodec({"k1": OLD}, "k2")


async def test_failures_carry_their_message_in_encrypted_attributes() -> None:
    converter = encrypting_converter(EncryptionCodec({"k1": OLD}, "k1"))
    failure = Failure()
    await converter.encode_failure(RuntimeError("card 4111 declined"), failure)
    assert b"4111" not in failure.SerializeToString()
    assert "card 4111 declined" in str(await converter.decode_failure(failure))
