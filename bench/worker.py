"""A worker subprocess for the benchmark: `python -m bench.worker PROFILE ADDRESS TASK_QUEUE`.

Runs every saga workflow plus the bench baselines, with participant URLs from the environment
(PARTICIPANT_*). Profiles:

* `run`: exactly what `make run` starts (`build_worker` with `WorkerSettings()` from the env);
* `sandbox` / `nosandbox`: the same with the workflow sandbox forced on (passthrough) or off;
* `default`: `Worker(client, task_queue, workflows, activities)` and nothing else: SDK defaults,
  including the default sandbox without passthrough modules.
"""

import asyncio
import logging
import os
import signal
import sys
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.config import ParticipantUrls
from activities.registry import http_client, saga_activities
from bench.workflows import BENCH_WORKFLOWS, noop
from observability.logs import configure_logging
from temporal_client.connection import TemporalSettings, connect_temporal
from worker import WorkerSettings, build_worker
from workflows.registry import WORKFLOWS

PROFILES = ("run", "sandbox", "nosandbox", "default")


def make_worker(profile: str, client: Client, task_queue: str, activities: list[Any]) -> Worker:
    workflows = [*WORKFLOWS, *BENCH_WORKFLOWS]
    if profile == "default":
        return Worker(client, task_queue=task_queue, workflows=workflows, activities=activities)
    settings = WorkerSettings()
    if profile != "run":
        settings.sandbox = profile == "sandbox"
    return build_worker(client, task_queue, activities, settings, workflows)


async def serve(profile: str, address: str, task_queue: str) -> None:
    configure_logging(WorkerSettings().log_level)  # as worker.py does: the log lines cost too
    logging.getLogger("httpx").setLevel(logging.WARNING)
    client = await connect_temporal(TemporalSettings(address=address))
    urls = ParticipantUrls()
    async with http_client(urls) as http:
        worker = make_worker(profile, client, task_queue, [*saga_activities(http, urls), noop])
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        running = asyncio.create_task(worker.run())
        print("worker ready", flush=True)
        await asyncio.wait(
            [running, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED
        )
        if not running.done():
            await worker.shutdown()


if __name__ == "__main__":
    profile, address, task_queue = sys.argv[1:4]
    if profile not in PROFILES:
        sys.exit(f"unknown profile {profile}; one of {PROFILES}")
    asyncio.run(serve(profile, address, task_queue))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: the Temporal runtime can crash there (BASELINE.md)
