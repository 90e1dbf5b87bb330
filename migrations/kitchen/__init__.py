"""Migrations of the kitchen service's database: the tables every participant has and the service's own."""

from participant_commands.tables import SHARED_TABLES
from participants.kitchen.config import Settings
from participants.kitchen.main import TABLES as SERVICE_TABLES

TABLES = [*SHARED_TABLES, *SERVICE_TABLES]


def configured_url() -> str:
    return Settings().database_url
