"""How every process reaches Temporal: one settings class, one connect function."""

from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import Client


class TemporalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEMPORAL_", env_file=".env", extra="ignore")

    address: str = "127.0.0.1:7233"
    namespace: str = "default"
    task_queue: str = "sagas"
    api_key: str | None = None


async def connect_temporal(settings: TemporalSettings) -> Client:
    return await Client.connect(
        settings.address, namespace=settings.namespace, api_key=settings.api_key
    )
