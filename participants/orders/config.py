from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERS_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("orders")
    port: int = 8102
    kitchen_url: str = "http://127.0.0.1:8103"
    replica_poll_interval: float = 0.1
