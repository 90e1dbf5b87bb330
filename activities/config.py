"""Where the participants are: base URLs from settings."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ParticipantUrls(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTICIPANT_", env_file=".env", extra="ignore")

    consumers_url: str = "http://127.0.0.1:8101"
    orders_url: str = "http://127.0.0.1:8102"
    kitchen_url: str = "http://127.0.0.1:8103"
    accounting_url: str = "http://127.0.0.1:8104"
    http_timeout_seconds: float = 5.0
    max_connections: int = 200
