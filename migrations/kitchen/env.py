"""Alembic runs this for every command on the kitchen database."""

from migrations.kitchen import TABLES, configured_url
from storage.migrations import run_migrations

run_migrations(TABLES, configured_url)
