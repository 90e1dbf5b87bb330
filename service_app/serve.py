"""Run a service app on the host and port its settings name: `python -m participants.orders`."""

from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from observability.process import configure_process, service_name_of

GRACEFUL_SHUTDOWN_SECONDS = 3


def serve(create_app: Callable[[Any], FastAPI], settings: Any) -> None:
    configure_process(service_name_of(settings), settings.log_level)
    uvicorn.run(
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
