"""Saga worker: runs every saga workflow and activity on one task queue.

    python worker.py            # settings from the environment; see docs/configuration.md

Any number of workers may serve the same task queue. SIGTERM or Ctrl-C stops polling, lets
in-flight activities finish (up to WORKER_GRACEFUL_SHUTDOWN_SECONDS) and exits 0.
"""

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.config import ParticipantUrls
from activities.registry import http_client, saga_activities
from observability.process import configure_process, serve_worker_metrics
from observability.temporal import SagaInterceptor
from observability.tracing import traced_client
from temporal_client.connection import TemporalSettings, connect_temporal
from workflows.registry import WORKFLOWS

log = logging.getLogger("worker")


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORKER_", env_file=".env", extra="ignore")

    max_concurrent_activities: int = 200
    max_concurrent_workflow_tasks: int = 100
    sandbox: bool = False  # with our code passed through it checks none of it: performance.md
    graceful_shutdown_seconds: float = 10.0
    log_level: str = "info"


def workflow_runner(sandbox: bool) -> Any:
    """The sandbox re-imports workflow code per run; our workflow modules are pure and
    deterministic, so they and pydantic may pass through without being re-imported."""
    if not sandbox:
        return UnsandboxedWorkflowRunner()
    restrictions = SandboxRestrictions.default.with_passthrough_modules(
        "workflows", "pydantic", "observability"
    )
    return SandboxedWorkflowRunner(restrictions=restrictions)


def build_worker(
    client: Client,
    task_queue: str,
    activities: Sequence[Callable[..., Any]],
    settings: WorkerSettings,
    workflows: Sequence[type] = tuple(WORKFLOWS),
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(workflows),
        activities=list(activities),
        workflow_runner=workflow_runner(settings.sandbox),
        max_concurrent_activities=settings.max_concurrent_activities,
        max_concurrent_workflow_tasks=settings.max_concurrent_workflow_tasks,
        graceful_shutdown_timeout=timedelta(seconds=settings.graceful_shutdown_seconds),
        interceptors=[SagaInterceptor()],  # saga metrics and log fields, every saga
    )


async def serve() -> None:
    settings, temporal, urls = WorkerSettings(), TemporalSettings(), ParticipantUrls()
    configure_process("worker", settings.log_level)
    serve_worker_metrics()
    client = traced_client(await connect_temporal(temporal))
    async with http_client(urls) as http:
        worker = build_worker(client, temporal.task_queue, saga_activities(http, urls), settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        log.info(
            "worker polling %s on %s (%s)",
            temporal.task_queue,
            temporal.address,
            temporal.namespace,
        )
        running = asyncio.create_task(worker.run())
        await asyncio.wait(
            [running, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED
        )
        if not running.done():
            log.info("shutting down: finishing in-flight work")
            await worker.shutdown()
        await running
    log.info("worker stopped")


if __name__ == "__main__":
    asyncio.run(serve())
