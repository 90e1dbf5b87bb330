"""Run a service app on the host and port its settings name: `python -m participants.orders`."""

from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from common.web import configure_logging


def serve(create_app: Callable[[Any], FastAPI], settings: Any) -> None:
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
    )
