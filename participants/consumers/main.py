"""Consumers service app: `uvicorn --factory participants.consumers.main:create_app`."""

from fastapi import FastAPI

from participants.consumers.config import Settings
from participants.consumers.models import Consumer
from participants.consumers.routes import consumers
from service_app.web import service_app
from storage.engines import table_of

TABLES = [table_of(Consumer)]


def create_app(settings: Settings | None = None) -> FastAPI:
    return service_app("consumers", settings or Settings(), [consumers.router])
