"""Alembic runs this for every command on the consumers database."""

from migrations.consumers import TABLES, configured_url
from storage.migrations import run_migrations

run_migrations(TABLES, configured_url)
