"""A whole saga stack as real processes on free ports: the Temporal dev server on its own SQLite
file, the four participants and the order-history view (`python -m ...`), two workers
(`python worker.py`) and the API (`python -m api`)."""

import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from scripts.stack import temporal_dev_server
from tests.reliability.processes import Process, healthy, serving
from tests.support.servers import free_port

TOKEN = "reliability-token"
TASK_QUEUE = "sagas"
PYTHON = sys.executable
PARTICIPANTS = ("consumers", "orders", "kitchen", "accounting")

# Short retries so that crashes and outages are recovered from in seconds, and enough attempts
# that a step outlives a 30 s outage. The step timeout stays at its default: on a busy machine a
# shorter one times out calls that would have succeeded, and their retries add to the load.
SAGA_ENV = {
    "SAGA_STEP_TIMEOUT_SECONDS": "10",
    "SAGA_STEP_MAX_ATTEMPTS": "200",
    "SAGA_COMPENSATION_MAX_ATTEMPTS": "200",
    "SAGA_RETRY_INITIAL_SECONDS": "0.1",
    "SAGA_RETRY_MAX_INTERVAL_SECONDS": "1",
}

# An idle feed subscriber polls at this pace; four of them at the default 0.1 s cost a busy
# machine more than the view's extra lag is worth here.
FEED_POLL_SECONDS = "0.5"


@dataclass
class ProcessStack:
    folder: Path
    saga_env: dict[str, str] = field(default_factory=lambda: dict(SAGA_ENV))
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    client: Client | None = None

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.ports['temporal']}"

    def api(self) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        return httpx.AsyncClient(base_url=self.url("api"), headers=headers, timeout=30)

    async def start(self) -> None:
        for name in ("temporal", "temporal-ui", *PARTICIPANTS, "view", "api"):
            self.ports[name] = free_port()
        (self.folder / "logs").mkdir(parents=True, exist_ok=True)
        # The services need no Temporal: they start while the dev server does.
        for process in [self._temporal(), *map(self._participant, PARTICIPANTS), self._view()]:
            self._add(process)
        await self.processes["temporal"].wait_ready()
        self.client = await Client.connect(self.temporal_address)
        for process in [self._worker("worker-1"), self._worker("worker-2"), self._api()]:
            self._add(process)
        await asyncio.gather(*(p.wait_ready() for p in self.processes.values()))

    def stop(self) -> None:
        """Terminate every process at once, then reap them (a laggard is killed)."""
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.reap()

    def _add(self, process: Process) -> None:
        self.processes[process.name] = process
        process.start()

    def _process(
        self, name: str, command: list[str], env: dict[str, str], port: int = 0
    ) -> Process:
        ready = serving if name == "temporal" else healthy
        return Process(name, command, env, self.folder / "logs", ready, port)

    def _temporal(self) -> Process:
        service = temporal_dev_server(
            self.folder, self.ports["temporal"], self.ports["temporal-ui"]
        )
        return self._process(
            "temporal", [*service.command, "--headless"], {}, self.ports["temporal"]
        )

    def _participant(self, name: str) -> Process:
        prefix = name.upper()
        env = {
            f"{prefix}_PORT": str(self.ports[name]),
            f"{prefix}_DATABASE_URL": f"sqlite:///{self.folder / name}.db",
            f"{prefix}_FAULTS_ENABLED": "true",
            f"{prefix}_LOG_LEVEL": "warning",
            "ORDERS_KITCHEN_URL": self.url("kitchen"),
            "ORDERS_REPLICA_POLL_INTERVAL": FEED_POLL_SECONDS,
        }
        command = [PYTHON, "-m", f"participants.{name}"]
        return self._process(name, command, env, self.ports[name])

    def _view(self) -> Process:
        env = {
            "ORDER_HISTORY_PORT": str(self.ports["view"]),
            "ORDER_HISTORY_DATABASE_URL": f"sqlite:///{self.folder / 'view'}.db",
            "ORDER_HISTORY_LOG_LEVEL": "warning",
            "ORDER_HISTORY_POLL_INTERVAL": FEED_POLL_SECONDS,
            **{f"ORDER_HISTORY_{n.upper()}_URL": self.url(n) for n in PARTICIPANTS[1:]},
        }
        command = [PYTHON, "-m", "views.order_history"]
        return self._process("view", command, env, self.ports["view"])

    def _common_env(self) -> dict[str, str]:
        return {
            "TEMPORAL_ADDRESS": self.temporal_address,
            "TEMPORAL_TASK_QUEUE": TASK_QUEUE,
            **{f"PARTICIPANT_{n.upper()}_URL": self.url(n) for n in PARTICIPANTS},
        }

    def _worker(self, name: str) -> Process:
        env = self._common_env() | {
            "WORKER_LOG_LEVEL": "warning",
            "WORKER_GRACEFUL_SHUTDOWN_SECONDS": "1",
        }
        process = self._process(name, [PYTHON, "worker.py"], env)
        process.ready = self._polling
        return process

    def _api(self) -> Process:
        env = (
            self._common_env()
            | self.saga_env
            | {
                "SAGA_API_PORT": str(self.ports["api"]),
                "SAGA_API_TOKEN": TOKEN,
                "SAGA_API_ORDERS_URL": self.url("orders"),
                "SAGA_API_ORDER_HISTORY_URL": self.url("view"),
                "SAGA_API_LOG_LEVEL": "warning",
                "AUDIT_ORDER_HISTORY_URL": self.url("view"),
            }
        )
        return self._process("api", [PYTHON, "-m", "api"], env, self.ports["api"])

    async def _polling(self, worker: Process) -> None:
        """A worker is ready when Temporal sees it polling for workflow and activity tasks."""
        assert self.client is not None
        for kind in (
            TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        ):
            request = DescribeTaskQueueRequest(
                namespace=self.client.namespace,
                task_queue=TaskQueue(name=TASK_QUEUE),
                task_queue_type=kind,
            )
            described = await self.client.workflow_service.describe_task_queue(request)
            pollers = {poller.identity.split("@")[0] for poller in described.pollers}
            assert str(worker.pid) in pollers, f"{worker.name} is not polling {kind}"
