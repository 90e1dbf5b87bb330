"""Settings shared by every process, read from the environment and `.env`."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(".data")


def sqlite_url(name: str) -> str:
    return f"sqlite:///{DATA_DIR / name}.db"


class ServiceSettings(BaseSettings):
    """Base for a participant's settings; each service sets its own env prefix and defaults."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 0
    faults_enabled: bool = False  # test and benchmark hook: POST /_faults injects errors and delays
    log_level: str = "info"
