"""How every process reaches Temporal: one settings class, one connect function.

The variable names follow Temporal's own client environment configuration (`TEMPORAL_ADDRESS`,
`TEMPORAL_API_KEY`, `TEMPORAL_TLS_CLIENT_CERT_PATH`, ...), so the `temporal` CLI and our
processes read the same environment. Certificates and keys come as a path (`*_PATH`) or as
inline PEM (`*_DATA`).
"""

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.service import TLSConfig

from temporal_client.codec import EncryptionCodec, encrypting_converter


class TemporalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEMPORAL_", env_file=".env", extra="ignore")

    address: str = "127.0.0.1:7233"
    namespace: str = "default"
    task_queue: str = "sagas"
    api_key: SecretStr | None = None
    tls: bool | None = None  # unset: on when a TLS file or an API key is given
    tls_server_ca_cert_path: Path | None = None
    tls_server_ca_cert_data: str | None = None
    tls_client_cert_path: Path | None = None
    tls_client_cert_data: str | None = None
    tls_client_key_path: Path | None = None
    tls_client_key_data: SecretStr | None = None
    tls_server_name: str | None = None
    encrypt_payloads: bool = False
    encryption_keys: dict[str, SecretStr] = {}  # key id -> base64 AES key; old ones keep decoding
    encryption_key_id: str | None = None  # the key new payloads are encrypted with

    @model_validator(mode="after")
    def _check_tls(self) -> "TemporalSettings":
        _one_source(self.tls_server_ca_cert_path, self.tls_server_ca_cert_data, "SERVER_CA_CERT")
        _one_source(self.tls_client_cert_path, self.tls_client_cert_data, "CLIENT_CERT")
        _one_source(self.tls_client_key_path, self.tls_client_key_data, "CLIENT_KEY")
        has_cert = bool(self.tls_client_cert_path or self.tls_client_cert_data)
        has_key = bool(self.tls_client_key_path or self.tls_client_key_data)
        if has_cert != has_key:
            raise ValueError("mTLS needs both TEMPORAL_TLS_CLIENT_CERT_* and _CLIENT_KEY_*")
        return self

    @model_validator(mode="after")
    def _check_encryption(self) -> "TemporalSettings":
        if self.encrypt_payloads and self.encryption_key_id not in self.encryption_keys:
            raise ValueError(
                "TEMPORAL_ENCRYPT_PAYLOADS needs TEMPORAL_ENCRYPTION_KEY_ID to name one of "
                "TEMPORAL_ENCRYPTION_KEYS"
            )
        return self


def _one_source(path: Path | None, data: str | SecretStr | None, name: str) -> None:
    if path is not None and data is not None:
        raise ValueError(f"set TEMPORAL_TLS_{name}_PATH or TEMPORAL_TLS_{name}_DATA, not both")


@dataclass(frozen=True)
class ConnectOptions:
    """Everything `Client.connect` is given, computed from settings without touching a server."""

    target_host: str
    namespace: str
    api_key: str | None
    tls: bool | TLSConfig | None
    data_converter: DataConverter


def connect_options(settings: TemporalSettings) -> ConnectOptions:
    return ConnectOptions(
        target_host=settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=tls_config(settings),
        data_converter=data_converter(settings),
    )


async def connect_temporal(settings: TemporalSettings) -> Client:
    options = connect_options(settings)
    return await Client.connect(
        options.target_host,
        namespace=options.namespace,
        api_key=options.api_key,
        tls=options.tls,
        data_converter=options.data_converter,
    )


def tls_config(settings: TemporalSettings) -> bool | TLSConfig | None:
    """A TLSConfig when certificates or a server name are given; otherwise TEMPORAL_TLS as set
    (None lets the SDK decide: TLS on exactly when an API key is used)."""
    if settings.tls is False:
        return False
    client_key = settings.tls_client_key_data
    ca = _pem(settings.tls_server_ca_cert_path, settings.tls_server_ca_cert_data)
    cert = _pem(settings.tls_client_cert_path, settings.tls_client_cert_data)
    key = _pem(settings.tls_client_key_path, client_key.get_secret_value() if client_key else None)
    if ca is None and cert is None and settings.tls_server_name is None:
        return settings.tls
    return TLSConfig(
        server_root_ca_cert=ca,
        client_cert=cert,
        client_private_key=key,
        domain=settings.tls_server_name,
    )


def _pem(path: Path | None, data: str | None) -> bytes | None:
    if data is not None:
        return data.encode()
    return path.read_bytes() if path is not None else None


def payload_codec(settings: TemporalSettings) -> EncryptionCodec:
    """The encryption codec: decodes with every configured key, encrypts with the current one
    only when TEMPORAL_ENCRYPT_PAYLOADS is on."""
    keys = {key_id: _key_bytes(key_id, key) for key_id, key in settings.encryption_keys.items()}
    current = settings.encryption_key_id if settings.encrypt_payloads else None
    return EncryptionCodec(keys, current)


def data_converter(settings: TemporalSettings) -> DataConverter:
    """The default converter, unless keys are configured: then payloads written while
    encryption was on stay readable even after it is switched off."""
    if not settings.encryption_keys:
        return DataConverter.default
    return encrypting_converter(payload_codec(settings))


def _key_bytes(key_id: str, key: SecretStr) -> bytes:
    try:
        return base64.b64decode(key.get_secret_value(), validate=True)
    except binascii.Error as error:
        raise ValueError(f"encryption key {key_id!r} is not valid base64") from error
