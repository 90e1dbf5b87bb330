"""Alembic runs this for every command on the orders database."""

from migrations.orders import TABLES, configured_url
from storage.migrations import run_migrations

run_migrations(TABLES, configured_url)
