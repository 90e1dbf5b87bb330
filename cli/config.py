"""Where the saga API is and how to authenticate; where the participants are (for `saga load`)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from http_contract.locations import ParticipantLocations

TOKEN_FILE = Path(".data/api-token")  # where `make run` keeps the token it generated


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAGA_", env_file=".env", extra="ignore")

    api_url: str = "http://127.0.0.1:8000"
    api_token: str | None = None
    api_token_file: Path = TOKEN_FILE
    http_timeout_seconds: float = 75.0  # longer than the longest long poll (60 s)

    def token(self) -> str | None:
        """SAGA_API_TOKEN, else the token file of the local stack, else none."""
        if self.api_token:
            return self.api_token
        if self.api_token_file.is_file():
            return self.api_token_file.read_text().strip() or None
        return None


class LoadSettings(ParticipantLocations):
    """The participants `saga load` seeds a consumer, an account and a restaurant in."""

    model_config = SettingsConfigDict(env_prefix="SAGA_LOAD_", env_file=".env", extra="ignore")
