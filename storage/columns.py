"""Column declarations the services' tables share; each call builds a column of its own."""

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from storage.engines import UtcDateTime
from storage.utc import utcnow


def now_column() -> Any:
    """A UTC timestamp, now by default."""
    return Field(default_factory=utcnow, sa_type=UtcDateTime)


def json_list_column() -> Any:
    """A JSON list, empty by default."""
    return Field(default_factory=list, sa_column=Column(JSON))


def json_column() -> Any:
    """A JSON value, NULL by default."""
    return Field(default=None, sa_column=Column(JSON))
