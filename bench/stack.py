"""The processes one benchmark run needs, started for the arms it measures: dev servers,
participants, one worker per (server, worker profile), the API."""

import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.arms import Arm
from bench.procs import Child, free_port
from scripts.stack import python_service, stack, temporal_dev_server

PYTHON = sys.executable
API_TOKEN = "bench-token"
PARTICIPANTS = [  # kitchen first: orders replicates kitchen's restaurants
    ("kitchen", "KITCHEN_"),
    ("consumers", "CONSUMERS_"),
    ("accounting", "ACCOUNTING_"),
    ("orders", "ORDERS_"),
]
FEEDS = ("orders", "kitchen", "accounting")  # the participants the view follows
PRAGMAS = ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]
FAST_POLL = ["--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000"]
EXTRA = {  # tuned plus one more server knob, for tuning arms
    "partitions1": [
        "--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
        "--dynamic-config-value", "matching.numTaskqueueWritePartitions=1",
    ],
    "eager": ["--dynamic-config-value", "system.enableActivityEagerExecution=true"],
}  # fmt: skip


def server_command(profile: str, data: Path, port: int, ui_port: int) -> list[str]:
    """`tuned` is exactly what `make run` starts; `default` is a plain dev server on a SQLite
    file; `pragmas` and `rps` keep one of the two tunings; the EXTRA profiles add one knob."""
    command = temporal_dev_server(data, port, ui_port).command
    if profile in EXTRA:
        return [*command, *EXTRA[profile]]
    if profile == "tuned":
        return command
    drop = {"default": PRAGMAS + FAST_POLL, "pragmas": FAST_POLL, "rps": PRAGMAS}[profile]
    pairs = {(drop[i], drop[i + 1]) for i in range(0, len(drop), 2)}
    kept: list[str] = []
    for arg in command:
        if kept and (kept[-1], arg) in pairs:
            kept.pop()
        else:
            kept.append(arg)
    return kept


@dataclass
class BenchStack:
    data: Path
    servers: dict[str, Child] = field(default_factory=dict)
    participants: dict[str, Child] = field(default_factory=dict)
    workers: dict[tuple[str, str], Child] = field(default_factory=dict)
    view: Child | None = None
    api: Child | None = None

    def children(self) -> list[Child]:
        extra = [child for child in (self.view, self.api) if child is not None]
        return [*self.servers.values(), *self.participants.values(), *self.workers.values(), *extra]

    def address(self, server: str) -> str:
        return f"127.0.0.1:{self.servers[server].port}"

    def url(self, participant: str) -> str:
        return f"http://127.0.0.1:{self.participants[participant].port}"

    @property
    def api_url(self) -> str:
        assert self.api is not None
        return f"http://127.0.0.1:{self.api.port}"

    def start(self, arms: list[Arm], memory: bool) -> None:
        needs = {(arm.server, arm.worker) for arm in arms}
        if memory:
            needs.add(("tuned", "run"))
        for server in sorted({server for server, _ in needs}):
            self._start(self._server(server))
        for name, prefix in PARTICIPANTS:
            self._start(self._participant(name, prefix))
        self.view = self._view()
        self._start(self.view)
        for server, profile in sorted(needs):
            self._start(self._worker(server, profile))
        if any(arm.via_api for arm in arms):
            self._start(self._api())

    def _start(self, child: Child) -> None:
        child.start()
        child.wait_ready()
        if child.role == "server":
            self.servers[child.name.removeprefix("temporal-")] = child
        elif child.role == "participant":
            self.participants[child.name] = child
        elif child.role == "api":
            self.api = child

    def _server(self, profile: str) -> Child:
        port, ui_port = free_port(), free_port()
        (self.data / profile).mkdir(parents=True, exist_ok=True)
        command = server_command(profile, self.data / profile, port, ui_port)
        return self._child(f"temporal-{profile}", "server", command, port)

    def _participant(self, name: str, prefix: str) -> Child:
        env = {
            f"{prefix}DATABASE_URL": f"sqlite:///{self.data / name}.db",
            f"{prefix}FAULTS_ENABLED": "true",
        }
        if name == "orders":
            env["ORDERS_KITCHEN_URL"] = self.url("kitchen")
        return self._served(name, f"participants.{name}", "participant", f"{prefix}PORT", env)

    def _view(self) -> Child:
        """The order-history view, following the participants' feeds as under `make run`."""
        env = {"ORDER_HISTORY_DATABASE_URL": f"sqlite:///{self.data / 'order_history'}.db"}
        env |= {f"ORDER_HISTORY_{name.upper()}_URL": self.url(name) for name in FEEDS}
        return self._served(
            "order-history", "views.order_history", "view", "ORDER_HISTORY_PORT", env
        )

    def _worker(self, server: str, profile: str) -> Child:
        command = [PYTHON, "-m", "bench.worker", profile, self.address(server), task_queue(profile)]
        env = {f"PARTICIPANT_{name.upper()}_URL": self.url(name) for name, _ in PARTICIPANTS}
        env |= make_run_worker_env()
        child = self._child(f"worker-{server}-{profile}", "worker", command, 0, env)
        child.ready_line = "worker ready"
        self.workers[(server, profile)] = child
        return child

    def _api(self) -> Child:
        env = {
            "SAGA_API_TOKEN": API_TOKEN,
            "TEMPORAL_ADDRESS": self.address("tuned"),
            "TEMPORAL_TASK_QUEUE": task_queue("run"),
            "SAGA_API_ORDERS_URL": self.url("orders"),
        }
        if self.view is not None:
            env["SAGA_API_ORDER_HISTORY_URL"] = f"http://127.0.0.1:{self.view.port}"
        return self._served("api", "api", "api", "SAGA_API_PORT", env)

    def _served(
        self, name: str, module: str, role: str, port_var: str, env: dict[str, str]
    ) -> Child:
        """An HTTP service on a free port (given in `port_var`), healthy when /healthz answers."""
        port = free_port()
        service = python_service(name, module, port)
        child = self._child(name, role, service.command, port, env | {port_var: str(port)})
        child.health_url = f"http://127.0.0.1:{port}/healthz"
        return child

    def _child(
        self, name: str, role: str, command: list[str], port: int, env: dict[str, str] | None = None
    ) -> Child:
        return Child(name, role, command, env or {}, self.data / f"{name}.log", port)

    def stop(self) -> None:
        for child in reversed(self.children()):
            child.stop()


def make_run_worker_env() -> dict[str, str]:
    """The environment `make run` gives its worker, so the `run` profile is that worker."""
    return next(service.env for service in stack("-") if service.name == "worker")


def task_queue(profile: str) -> str:
    return f"bench-{profile}"
