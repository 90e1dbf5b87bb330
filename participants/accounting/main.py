"""Accounting service app: `uvicorn --factory participants.accounting.main:create_app`."""

from fastapi import FastAPI

from participants.accounting.config import Settings
from participants.accounting.models import Account, Authorization
from participants.accounting.routes import accounts, authorizations, internal
from service_app.web import service_app
from storage.engines import table_of

TABLES = [table_of(Account), table_of(Authorization)]


def create_app(settings: Settings | None = None) -> FastAPI:
    routers = [accounts.router, authorizations.router, internal.router]
    return service_app("accounting", settings or Settings(), routers)
