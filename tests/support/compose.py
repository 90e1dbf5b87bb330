"""docker-compose.yml read as data, and the settings classes each role of the image reads."""

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic_settings import BaseSettings

from activities.config import ParticipantUrls
from api.config import ApiSettings, SagaSettings
from observability.config import ObservabilitySettings, WorkerMetricsSettings
from participants.accounting.config import Settings as AccountingSettings
from participants.consumers.config import Settings as ConsumersSettings
from participants.kitchen.config import Settings as KitchenSettings
from participants.orders.config import Settings as OrdersSettings
from temporal_client.connection import TemporalSettings
from views.order_history.config import Settings as OrderHistorySettings
from worker import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
INIT_DATABASES = ROOT / "deploy" / "postgres" / "init-databases.sh"
TEMPORAL_SETUP = ROOT / "deploy" / "temporal" / "setup.sh"

# The module each application service runs, and the settings that module reads.
ROLES: dict[str, list[type[BaseSettings]]] = {
    "participants.consumers": [ConsumersSettings, ObservabilitySettings],
    "participants.orders": [OrdersSettings, ObservabilitySettings],
    "participants.kitchen": [KitchenSettings, ObservabilitySettings],
    "participants.accounting": [AccountingSettings, ObservabilitySettings],
    "views.order_history": [OrderHistorySettings, ObservabilitySettings],
    "worker": [
        TemporalSettings,
        ParticipantUrls,
        WorkerSettings,
        WorkerMetricsSettings,
        ObservabilitySettings,
    ],
    "api": [ApiSettings, SagaSettings, TemporalSettings, ObservabilitySettings],
}
DATABASE_OWNERS = {
    "participants.consumers": "consumers",
    "participants.orders": "orders",
    "participants.kitchen": "kitchen",
    "participants.accounting": "accounting",
    "views.order_history": "order_history",
}
DEFAULT_VALUE = re.compile(r"\$\{(?P<name>\w+):-(?P<default>[^}]*)\}")


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def role_of(service: dict[str, Any]) -> str | None:
    """`python -m <module>` → the module; None for a service that is not our image."""
    command = service.get("command") or []
    return command[2] if command[:2] == ["python", "-m"] else None


def app_services() -> dict[str, str]:
    """Service name → the role (module) it runs, for every service built from our image."""
    roles = {name: role_of(service) for name, service in services().items()}
    return {name: role for name, role in roles.items() if role is not None}


def environment(service_name: str) -> dict[str, Any]:
    env: dict[str, Any] = services()[service_name].get("environment") or {}
    return env


def setting_names(settings_class: type[BaseSettings]) -> dict[str, str]:
    """Environment variable → field name, as pydantic-settings reads them."""
    prefix = str(settings_class.model_config.get("env_prefix", ""))
    return {f"{prefix}{field}".upper(): field for field in settings_class.model_fields}


def interpolated(value: str) -> str:
    """A value with every `${NAME:-default}` replaced by its default."""
    return DEFAULT_VALUE.sub(lambda match: match["default"], value)


def url_target(value: str) -> tuple[str, int]:
    parts = urlsplit(interpolated(value))
    assert parts.hostname is not None and parts.port is not None, value
    return parts.hostname, parts.port


def listening_port(service_name: str) -> int:
    """The port the service's own settings tell it to listen on."""
    role = app_services()[service_name]
    port_settings = [
        name for cls in ROLES[role] for name in setting_names(cls) if name.endswith("_PORT")
    ]
    ports = {int(environment(service_name)[name]) for name in port_settings}
    assert len(ports) == 1, (service_name, ports)
    return ports.pop()
