"""Fixtures the unit tests share."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, StaticPool
from sqlmodel import create_engine

from storage.engines import create_tables
from views.order_history.models import TABLES


@pytest.fixture
def engine() -> Iterator[Engine]:
    """The order-history view's tables in an in-memory database: real SQL, no disk, so hundreds
    of interleavings stay fast."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    create_tables(engine, TABLES)
    yield engine
    engine.dispose()
