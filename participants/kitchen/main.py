"""Kitchen service app: `uvicorn --factory participants.kitchen.main:create_app`."""

from fastapi import FastAPI

from common.db import table_of
from common.web import service_app
from participants.kitchen.config import Settings
from participants.kitchen.models import Restaurant, Ticket
from participants.kitchen.routes import internal, restaurants, tickets

TABLES = [table_of(Restaurant), table_of(Ticket)]


def create_app(settings: Settings | None = None) -> FastAPI:
    routers = [restaurants.router, tickets.router, internal.router]
    return service_app("kitchen", settings or Settings(), routers)
