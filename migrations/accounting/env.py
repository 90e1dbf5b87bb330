"""Alembic runs this for every command on the accounting database."""

from common.migrations import run_migrations
from migrations.accounting import TABLES, configured_url

run_migrations(TABLES, configured_url)
