"""Alembic runs this for every command on the consumers database."""

from common.migrations import run_migrations
from migrations.consumers import TABLES, configured_url

run_migrations(TABLES, configured_url)
