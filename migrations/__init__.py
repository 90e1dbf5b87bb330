"""Alembic migration environments, one per database: `python -m storage.migrations --help`."""
