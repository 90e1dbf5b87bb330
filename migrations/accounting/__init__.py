"""Migrations of the accounting service's database: the tables every participant has and the service's own."""

from participant_commands.tables import SHARED_TABLES
from participants.accounting.config import Settings
from participants.accounting.main import TABLES as SERVICE_TABLES

TABLES = [*SHARED_TABLES, *SERVICE_TABLES]


def configured_url() -> str:
    return Settings().database_url
