from pydantic_settings import SettingsConfigDict

from service_app.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KITCHEN_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("kitchen")
    port: int = 8103
