"""Where the participants are: base URLs from settings."""

from pydantic_settings import SettingsConfigDict

from http_contract.locations import ParticipantLocations


class ParticipantUrls(ParticipantLocations):
    model_config = SettingsConfigDict(env_prefix="PARTICIPANT_", env_file=".env", extra="ignore")

    http_timeout_seconds: float = 5.0
    max_connections: int = 200
