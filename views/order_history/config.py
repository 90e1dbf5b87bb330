from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from service_app.settings import ServiceSettings, sqlite_url

LOCAL_PAGE_TOKEN_SECRET = "order-history-local-only"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDER_HISTORY_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("order_history")
    port: int = 8105
    orders_url: str = "http://127.0.0.1:8102"
    kitchen_url: str = "http://127.0.0.1:8103"
    accounting_url: str = "http://127.0.0.1:8104"
    feed_wait_seconds: float = 20.0  # long poll: a feed answers at once when an event commits
    feed_retry_max_seconds: float = 5.0  # cap of the backoff while a feed cannot be read
    max_lag_seconds: float = 5.0  # /readyz answers "lagging" beyond this
    # Signs the listing's page tokens. The default serves `make run` only: a deployment sets
    # its own (docs/configuration.md); changing it makes open page tokens answer 400.
    page_token_secret: SecretStr = SecretStr(LOCAL_PAGE_TOKEN_SECRET)

    def page_token_key(self) -> bytes:
        return self.page_token_secret.get_secret_value().encode()

    def feed_urls(self) -> dict[str, str]:
        """Every source the view follows, by the name its cursor is stored under."""
        return {
            "orders": self.orders_url,
            "kitchen": self.kitchen_url,
            "accounting": self.accounting_url,
        }
