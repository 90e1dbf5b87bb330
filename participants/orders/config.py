from pydantic_settings import SettingsConfigDict

from service_app.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERS_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("orders")
    port: int = 8102
    kitchen_url: str = "http://127.0.0.1:8103"
    replica_wait_seconds: float = 20.0  # long poll: kitchen answers at once when an event commits
    replica_retry_max_seconds: float = 5.0  # cap of the backoff while kitchen cannot be read
