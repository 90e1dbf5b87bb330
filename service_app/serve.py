"""Run a service app on the host and port its settings name: `python -m participants.orders`."""

import asyncio
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from observability.process import configure_process, service_name_of

GRACEFUL_SHUTDOWN_SECONDS = 3
TICK_SECONDS = 0.5


class QuietServer(uvicorn.Server):
    """uvicorn's server, waking twice a second instead of ten times: its tick only refreshes the
    Date header (once a second) and looks for a stop request, and ten wake-ups a second were a
    tenth of a percent of a core in every idle process."""

    async def main_loop(self) -> None:
        ticks_per_sleep = round(TICK_SECONDS * 10)  # on_tick counts in tenths of a second
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + ticks_per_sleep) % 864000
            await asyncio.sleep(TICK_SECONDS)
            should_exit = await self.on_tick(counter)


def serve(create_app: Callable[[Any], FastAPI], settings: Any) -> None:
    configure_process(service_name_of(settings), settings.log_level)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        log_config=None,  # uvicorn logs through our handlers (JSON or text)
        # A stopping server waits for requests in flight; an event feed's long poll would hold
        # it up to its wait_seconds. Calls take milliseconds, so what still runs after this is
        # a long poll, and its client simply asks again (another replica, or after the restart).
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    server = QuietServer(config)
    server.run()
    if not server.started:
        sys.exit(3)  # as uvicorn.run: the app did not start (port taken, start-up failed)
