"""Alembic migration environments, one per database: `python -m common.migrations --help`."""
