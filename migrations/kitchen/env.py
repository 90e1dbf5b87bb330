"""Alembic runs this for every command on the kitchen database."""

from common.migrations import run_migrations
from migrations.kitchen import TABLES, configured_url

run_migrations(TABLES, configured_url)
