"""Kitchen service app: `uvicorn --factory participants.kitchen.main:create_app`."""

from fastapi import FastAPI

from participants.kitchen.config import Settings
from participants.kitchen.models import Restaurant, Ticket
from participants.kitchen.routes import internal, restaurants, tickets
from service_app.web import service_app
from storage.engines import table_of

TABLES = [table_of(Restaurant), table_of(Ticket)]


def create_app(settings: Settings | None = None) -> FastAPI:
    routers = [restaurants.router, tickets.router, internal.router]
    return service_app("kitchen", settings or Settings(), routers)
