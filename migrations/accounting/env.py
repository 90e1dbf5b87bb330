"""Alembic runs this for every command on the accounting database."""

from migrations.accounting import TABLES, configured_url
from storage.migrations import run_migrations

run_migrations(TABLES, configured_url)
