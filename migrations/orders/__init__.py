"""Migrations of the orders service's database: the tables every participant has and the service's own."""

from participant_commands.tables import SHARED_TABLES
from participants.orders.config import Settings
from participants.orders.main import TABLES as SERVICE_TABLES

TABLES = [*SHARED_TABLES, *SERVICE_TABLES]


def configured_url() -> str:
    return Settings().database_url
