"""Migrations of the order-history view's database (the CQRS query side)."""

from views.order_history.config import Settings
from views.order_history.models import TABLES


def configured_url() -> str:
    return Settings().database_url


__all__ = ["TABLES", "configured_url"]
