"""Alembic runs this for every command on the orders database."""

from common.migrations import run_migrations
from migrations.orders import TABLES, configured_url

run_migrations(TABLES, configured_url)
