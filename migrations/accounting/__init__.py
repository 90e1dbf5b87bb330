"""Migrations of the accounting service's database: the common tables and the service's own."""

from common.web import COMMON_TABLES
from participants.accounting.config import Settings
from participants.accounting.main import TABLES as SERVICE_TABLES

TABLES = [*COMMON_TABLES, *SERVICE_TABLES]


def configured_url() -> str:
    return Settings().database_url
