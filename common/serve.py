"""Run a service app on the host and port its settings name: `python -m participants.orders`."""

from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from observability.process import configure_process, service_name_of


def serve(create_app: Callable[[Any], FastAPI], settings: Any) -> None:
    configure_process(service_name_of(settings), settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        log_config=None,  # uvicorn logs through our handlers (JSON or text)
    )
