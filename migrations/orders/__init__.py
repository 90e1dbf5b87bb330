"""Migrations of the orders service's database: the common tables and the service's own."""

from common.web import COMMON_TABLES
from participants.orders.config import Settings
from participants.orders.main import TABLES as SERVICE_TABLES

TABLES = [*COMMON_TABLES, *SERVICE_TABLES]


def configured_url() -> str:
    return Settings().database_url
