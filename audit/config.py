"""Where the audit reads from, and how patient it is with sagas in flight."""

from dataclasses import dataclass

from pydantic_settings import BaseSettings, SettingsConfigDict

from activities.config import ParticipantUrls


class AuditSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", env_file=".env", extra="ignore")

    order_history_url: str = "http://127.0.0.1:8105"
    # A saga holds a *_PENDING semantic lock for seconds; one held longer than this has no
    # running saga behind it (sagas that wait longer, e.g. on an outage, show up until they end).
    pending_grace_seconds: float = 60.0
    page_size: int = 500
    max_violations: int = 1000  # listed; every violation is counted in `checked`
    http_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class AuditConfig:
    """The participants' URLs (the same PARTICIPANT_* settings as the worker's) and the audit's own."""

    urls: ParticipantUrls
    settings: AuditSettings

    @classmethod
    def from_env(cls) -> "AuditConfig":
        return cls(ParticipantUrls(), AuditSettings())

    def base_url(self, service: str) -> str:
        """The base URL of `service`: orders, kitchen, accounting or order_history."""
        if service == "order_history":
            return self.settings.order_history_url
        url: str = getattr(self.urls, f"{service}_url")
        return url
