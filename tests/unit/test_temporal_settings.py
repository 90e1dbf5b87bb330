"""Temporal connection settings turn into connect options without a server."""

import base64
import os
from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.service import TLSConfig

from temporal_client.codec import EncryptionCodec
from temporal_client.connection import TemporalSettings, connect_options, tls_config

CA = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"
CERT = "-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n"
AES_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def no_temporal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own TEMPORAL_* variables must not leak into these cases."""
    for name in [n for n in os.environ if n.startswith("TEMPORAL_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here


def settings(**values: object) -> TemporalSettings:
    return TemporalSettings.model_validate(values)


def test_defaults_reach_the_local_dev_server_in_plain_text() -> None:
    options = connect_options(settings())
    assert options.target_host == "127.0.0.1:7233"
    assert options.namespace == "default"
    assert options.api_key is None
    assert options.tls is None  # the SDK's choice: no TLS without an API key
    assert options.data_converter is DataConverter.default


def test_environment_names_match_temporals_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_ADDRESS", "ns.acct.tmprl.cloud:7233")
    monkeypatch.setenv("TEMPORAL_NAMESPACE", "ns.acct")
    monkeypatch.setenv("TEMPORAL_API_KEY", "key-123")
    monkeypatch.setenv("TEMPORAL_TLS", "true")
    options = connect_options(TemporalSettings())
    assert (options.target_host, options.namespace) == ("ns.acct.tmprl.cloud:7233", "ns.acct")
    assert options.api_key == "key-123"
    assert options.tls is True


def test_api_key_alone_leaves_tls_to_the_sdk_which_turns_it_on() -> None:
    options = connect_options(settings(api_key="key-123"))
    assert options.api_key == "key-123"
    assert options.tls is None


def test_tls_can_be_switched_off_explicitly() -> None:
    assert tls_config(settings(api_key="key", tls=False, tls_server_name="x")) is False


def test_mtls_from_files(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text(CA)
    (tmp_path / "client.pem").write_text(CERT)
    (tmp_path / "client.key").write_text(KEY)
    tls = tls_config(
        settings(
            tls_server_ca_cert_path=tmp_path / "ca.pem",
            tls_client_cert_path=tmp_path / "client.pem",
            tls_client_key_path=tmp_path / "client.key",
            tls_server_name="temporal.internal",
        )
    )
    assert tls == TLSConfig(
        server_root_ca_cert=CA.encode(),
        client_cert=CERT.encode(),
        client_private_key=KEY.encode(),
        domain="temporal.internal",
    )


def test_mtls_from_inline_pem() -> None:
    tls = tls_config(settings(tls_client_cert_data=CERT, tls_client_key_data=KEY))
    assert isinstance(tls, TLSConfig)
    assert (tls.client_cert, tls.client_private_key) == (CERT.encode(), KEY.encode())
    assert tls.server_root_ca_cert is None  # the system roots verify the server


def test_server_ca_alone_gives_server_side_tls() -> None:
    tls = tls_config(settings(tls_server_ca_cert_data=CA))
    assert tls == TLSConfig(server_root_ca_cert=CA.encode())


def test_server_name_override_alone_turns_tls_on() -> None:
    assert tls_config(settings(tls_server_name="frontend.internal")) == TLSConfig(
        domain="frontend.internal"
    )


def test_a_client_certificate_needs_its_key() -> None:
    with pytest.raises(ValidationError, match="mTLS needs both"):
        settings(tls_client_cert_data=CERT)


def test_a_path_and_inline_pem_for_the_same_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not both"):
        settings(tls_server_ca_cert_path=tmp_path / "ca.pem", tls_server_ca_cert_data=CA)


def test_secrets_stay_out_of_the_settings_repr() -> None:
    configured = settings(
        api_key="key-123",
        tls_client_cert_data=CERT,
        tls_client_key_data=KEY,
        encryption_keys={"k1": AES_KEY},
    )
    text = repr(configured) + str(configured)
    assert "key-123" not in text
    assert "secret-key-material" not in text
    assert AES_KEY not in text


def test_encryption_is_off_by_default_and_needs_a_current_key() -> None:
    assert connect_options(settings()).data_converter.payload_codec is None
    with pytest.raises(ValidationError, match="TEMPORAL_ENCRYPTION_KEY_ID"):
        settings(encrypt_payloads=True, encryption_keys={"k1": AES_KEY}, encryption_key_id="k2")


def test_encryption_on_installs_the_codec_and_encodes_failures() -> None:
    converter = connect_options(
        settings(encrypt_payloads=True, encryption_keys={"k1": AES_KEY}, encryption_key_id="k1")
    ).data_converter
    assert isinstance(converter.payload_codec, EncryptionCodec)
    assert converter.failure_converter_class is DefaultFailureConverterWithEncodedAttributes


async def test_keys_without_encryption_still_decode_old_payloads() -> None:
    """Switching encryption off must not make earlier histories unreadable."""
    on = settings(encrypt_payloads=True, encryption_keys={"k1": AES_KEY}, encryption_key_id="k1")
    off = settings(encryption_keys={"k1": AES_KEY})
    written = await connect_options(on).data_converter.encode(["order 42"])
    reader = connect_options(off).data_converter
    assert await reader.decode(written) == ["order 42"]
    plain = await reader.encode(["order 43"])
    assert b"order 43" in plain[0].data


def test_keys_must_be_base64() -> None:
    with pytest.raises(ValueError, match="not valid base64"):
        connect_options(settings(encryption_keys={"k1": "not base64!"}))
