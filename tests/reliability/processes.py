"""Child processes of a reliability stack: start, kill -9, restart, and wait until one is ready
by a condition (an HTTP health check, an open port, a Temporal poller), never by a timer."""

import os
import signal
import socket
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
from temporalio.client import Client

from tests.support.eventually import eventually_async

ROOT = Path(__file__).resolve().parents[2]
Ready = Callable[["Process"], Awaitable[None]]


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log_dir: Path
    ready: Ready
    port: int = 0
    popen: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def start(self) -> None:
        """Start the process; its output goes (appended, across restarts) to <log_dir>/<name>.log."""
        log = open(self.log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        env = os.environ | {"PYTHONUNBUFFERED": "1"} | self.env
        self.popen = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.starts += 1

    async def wait_ready(self, timeout: float = 180) -> None:
        async def up() -> None:
            assert self.popen is not None and self.popen.poll() is None, f"{self.name} exited"
            await self.ready(self)

        await eventually_async(up, timeout=timeout, interval=0.1)

    def kill9(self) -> None:
        """SIGKILL: no shutdown hook runs, in-flight work is lost as in a crash."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()
        self.kills += 1

    async def restart(self) -> None:
        self.start()
        await self.wait_ready()

    def terminate(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()

    def reap(self, timeout: float = 5) -> None:
        """Wait for a terminated process; one that does not stop in time is killed."""
        if self.popen is not None:
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        for log in self._logs:
            log.close()


async def port_open(process: Process) -> None:
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", process.port)) == 0, f"{process.name}: port closed"


async def serving(process: Process) -> None:
    """A Temporal server opens its port before its frontend is healthy: ready once a client
    connects (the SDK checks the frontend's health on connect)."""
    await port_open(process)
    try:
        await Client.connect(f"127.0.0.1:{process.port}")
    except RuntimeError as error:  # "Failed client connect: ... Frontend is not healthy yet"
        raise AssertionError(f"{process.name}: {error}") from error


async def healthy(process: Process) -> None:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            response = await http.get(f"http://127.0.0.1:{process.port}/healthz")
    except httpx.HTTPError as error:
        raise AssertionError(f"{process.name}: {type(error).__name__}") from error
    assert response.status_code == 200, f"{process.name}: {response.status_code}"
