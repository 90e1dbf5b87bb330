"""Worker memory with many sagas open at once.

The kitchen answers `POST /tickets` with 503 (a fault rule), so every saga runs create_order
and verify_consumer and then waits in the create_ticket step's retry backoff. The memory sagas
start with a long retry interval, so they stay open without pinning activity slots or
hammering the kitchen. (A long `delay_ms` hold would pin the worker's activity slots — 200 —
and starve the earlier steps of the other sagas, so it could not get 2 000 sagas that far.)
"""

import asyncio
import time
from typing import Any

import httpx

from bench.load import Target
from bench.procs import Child, memory_kib
from workflows.state import SagaOptions

SDK_CACHE = 1000  # Worker(max_cached_workflows=...) default; build_worker keeps it
HOLD = SagaOptions(step_max_attempts=100, retry_initial_seconds=60, retry_max_interval_seconds=120)


async def scan_events(
    http: httpx.AsyncClient, consumers_url: str, after: int = 0
) -> tuple[int, int]:
    """Consumers' events after sequence number `after`: the last sequence number, and how many
    of them were ConsumerVerified."""
    verified = 0
    while True:
        page = (
            await http.get(f"{consumers_url}/events", params={"after": after, "limit": 1000})
        ).json()
        if not page["events"]:
            return after, verified
        verified += sum(1 for e in page["events"] if e["event_type"] == "ConsumerVerified")
        after = page["last_seq"]


async def memory_check(
    target: Target,
    http: httpx.AsyncClient,
    urls: dict[str, str],
    worker: Child,
    server: Child,
    sagas: int,
    inflight: int = 50,
    timeout: float = 240.0,
) -> dict[str, Any]:
    began = time.monotonic()
    target.options = HOLD
    fault = {"path": "/tickets", "method": "POST", "status": 503, "code": "bench_hold"}
    (await http.post(f"{urls['kitchen']}/_faults", json=fault)).raise_for_status()
    seq, _ = await scan_events(http, urls["consumers"])
    gate = asyncio.Semaphore(inflight)
    peak = 0

    async def start() -> None:
        async with gate:
            await target.start()

    await asyncio.gather(*(start() for _ in range(sagas)))
    held = 0
    while held < sagas and time.monotonic() - began < timeout:
        peak = max(peak, memory_kib(worker.pid))
        await asyncio.sleep(1)
        _, held = await scan_events(http, urls["consumers"], seq)
    samples = []
    for _ in range(20):  # 5 s at the plateau
        samples.append(memory_kib(worker.pid))
        await asyncio.sleep(0.25)
    query = "WorkflowType='CreateOrder' AND ExecutionStatus='Running'"
    open_sagas = (await target.client.count_workflows(query)).count
    await http.delete(f"{urls['kitchen']}/_faults")
    return {
        "sagas": sagas,
        "held_at": "create_ticket (retry backoff after 503)",
        "held": held,
        "open": open_sagas,
        "worker_rss_mb": round(max(samples) / 1024, 1),
        "worker_peak_rss_mb": round(max(peak, *samples) / 1024, 1),
        "worker_hwm_mb": round(memory_kib(worker.pid, "VmHWM") / 1024, 1),
        "server_rss_mb": round(memory_kib(server.pid) / 1024, 1),
        "max_cached_workflows": SDK_CACHE,
        "seconds": round(time.monotonic() - began, 1),
    }
