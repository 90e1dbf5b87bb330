"""API settings: tokens, where the orders service and the order-history view are, saga options."""

from dataclasses import fields

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from workflows.state import SagaOptions


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAGA_API_", env_file=".env", extra="ignore")

    token: SecretStr | None = Field(
        default=None, description="SAGA_API_TOKEN; its name is 'operator'"
    )
    tokens: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='more tokens by name: SAGA_API_TOKENS=\'{"alice": "..."}\'',
    )
    page_token_secret: SecretStr | None = Field(
        default=None,
        description="SAGA_API_PAGE_TOKEN_SECRET signs page tokens; every replica needs the same "
        "one. Unset: a random key per process (tokens end with it; a warning is logged)",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    orders_url: str = "http://127.0.0.1:8102"
    order_history_url: str = "http://127.0.0.1:8105"
    web_ui_url: str = "http://localhost:8233"
    codec_cors_origin: str = "http://localhost:8233"  # the Web UI origin that may call /codec
    http_timeout_seconds: float = 5.0
    max_body_bytes: int = 64 * 1024
    log_level: str = "info"
    # The status read model (api/sagas/projection.py).
    status_followers: int = Field(
        default=10_000, description="sagas followed in memory at most; beyond, reads describe"
    )
    status_idle_seconds: float = Field(
        default=60.0, description="a saga no client read for this long is no longer followed"
    )
    status_closed_kept: int = Field(
        default=10_000, description="final states of closed sagas kept in memory"
    )
    status_live_refresh_seconds: float = Field(
        default=1.0, description="a live step's attempts are read at most this often"
    )

    def named_tokens(self) -> dict[str, str]:
        named = {name: secret.get_secret_value() for name, secret in self.tokens.items()}
        if self.token is not None:
            named.setdefault("operator", self.token.get_secret_value())
        return named


class SagaTypeOptions(BaseModel):
    """What may differ between saga types; a type not in the table gets these defaults."""

    deadline_seconds: float = 300.0


# The former per-type settings, still read: SAGA_CREATE_ORDER_DEADLINE_SECONDS and so on.
LEGACY_DEADLINES = {
    "create_order_deadline_seconds": "CreateOrder",
    "cancel_order_deadline_seconds": "CancelOrder",
    "revise_order_deadline_seconds": "ReviseOrder",
}


class SagaSettings(BaseSettings):
    """Options every new saga gets; each saga keeps the values it started with."""

    model_config = SettingsConfigDict(env_prefix="SAGA_", env_file=".env", extra="ignore")

    types: dict[str, SagaTypeOptions] = Field(
        default_factory=dict,
        description='per saga type: SAGA_TYPES=\'{"CreateOrder": {"deadline_seconds": 60}}\'',
    )
    create_order_deadline_seconds: float | None = Field(default=None, deprecated=True)
    cancel_order_deadline_seconds: float | None = Field(default=None, deprecated=True)
    revise_order_deadline_seconds: float | None = Field(default=None, deprecated=True)
    # Defaults are SagaOptions' own: the options are defined there once.
    step_timeout_seconds: float = SagaOptions.step_timeout_seconds
    step_max_attempts: int = SagaOptions.step_max_attempts
    compensation_max_attempts: int = SagaOptions.compensation_max_attempts
    retry_initial_seconds: float = SagaOptions.retry_initial_seconds
    retry_max_interval_seconds: float = SagaOptions.retry_max_interval_seconds
    local_activities: bool = SagaOptions.local_activities

    @model_validator(mode="after")
    def _fold_legacy_deadlines(self) -> "SagaSettings":
        """A deadline set under its former name joins the table, unless the table sets it."""
        for field_name, saga_type in LEGACY_DEADLINES.items():
            seconds = self.__dict__[field_name]  # not getattr: no deprecation warning
            if seconds is not None and saga_type not in self.types:
                self.types[saga_type] = SagaTypeOptions(deadline_seconds=seconds)
        return self

    def type_options(self, saga_type: str) -> SagaTypeOptions:
        return self.types.get(saga_type) or SagaTypeOptions()

    def options_for(self, saga_type: str) -> SagaOptions:
        """The options a new saga of `saga_type` starts with."""
        return self.options(self.type_options(saga_type).deadline_seconds)

    def options(self, deadline_seconds: float) -> SagaOptions:
        """A new saga's options: each setting that is a SagaOptions field, and its deadline."""
        shared = {option.name for option in fields(SagaOptions)} & set(type(self).model_fields)
        return SagaOptions(**self.model_dump(include=shared), deadline_seconds=deadline_seconds)
