"""Alembic runs this for every command on the order-history database."""

from migrations.order_history import TABLES, configured_url
from storage.migrations import run_migrations

run_migrations(TABLES, configured_url)
