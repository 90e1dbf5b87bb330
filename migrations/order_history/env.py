"""Alembic runs this for every command on the order-history database."""

from common.migrations import run_migrations
from migrations.order_history import TABLES, configured_url

run_migrations(TABLES, configured_url)
