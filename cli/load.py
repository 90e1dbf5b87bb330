"""`saga load`: start N Create Order sagas, C at a time, and measure start → end latency."""

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli import render
from cli.api import Api, CliError
from cli.seed import Seed

WAIT_SECONDS = 30
QUIET_POLL_SECONDS = 0.2  # an API without long polls answers at once: do not spin
ENDED = render.TERMINAL | {"NEEDS_ATTENTION"}
MAX_POLL_ERRORS = 10  # a busy API may fail a status read now and then: ask again


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(share) - 1]


async def run_load(
    api: Api, seed: Seed, count: int, concurrency: int, console: Console
) -> LoadResult:
    result, slots = LoadResult(), asyncio.Semaphore(concurrency)
    columns = (TextColumn("sagas"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    began = time.monotonic()
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task("sagas", total=count)

        async def one() -> None:
            async with slots:
                status, seconds = await one_saga(api, seed)
            result.outcomes[status] += 1
            if status in ENDED:  # a saga that did not start has no start → end latency
                result.latencies.append(seconds)
            progress.advance(bar)

        await asyncio.gather(*(one() for _ in range(count)))
    result.seconds = time.monotonic() - began
    return result


async def one_saga(api: Api, seed: Seed) -> tuple[str, float]:
    """Start one saga and wait until it ends: its final status (or why it is unknown) and
    start → end seconds. A wrong token or an unreachable API stops the whole run."""
    started = time.monotonic()
    try:
        accepted = await api.post("/orders", seed.order())
    except CliError as error:
        if error.fatal:
            raise
        return "NOT STARTED", time.monotonic() - started
    errors = 0
    while True:
        asked = time.monotonic()
        try:
            saga = await api.get(f"/sagas/{accepted['saga_id']}", wait_seconds=WAIT_SECONDS)
        except CliError as error:
            errors += 1
            if error.fatal or errors > MAX_POLL_ERRORS:
                raise
            saga = {"status": "unknown"}
        if saga["status"] in ENDED:
            return saga["status"], time.monotonic() - started
        await asyncio.sleep(max(0.0, QUIET_POLL_SECONDS - (time.monotonic() - asked)))


def summary(result: LoadResult) -> Table:
    total = sum(result.outcomes.values())
    table = Table("measure", "value", title="load")
    table.add_row("sagas", str(total))
    table.add_row("seconds", f"{result.seconds:.2f}")
    table.add_row("throughput", f"{total / result.seconds:.1f} sagas/s" if result.seconds else "-")
    table.add_row("p50 start → end", f"{result.percentile(50) * 1000:.0f} ms")
    table.add_row("p99 start → end", f"{result.percentile(99) * 1000:.0f} ms")
    for status, count in sorted(result.outcomes.items()):
        table.add_row(status, str(count))
    return table
