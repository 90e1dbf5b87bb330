"""Fixtures shared by every test layer."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.databases import pg_available, postgres_database

DatabaseFactory = Callable[[str], str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """`factory(name)` gives a fresh private database URL, on SQLite and again on PostgreSQL."""
    if request.param == "sqlite":
        yield lambda name: f"sqlite:///{tmp_path / name}.db"
        return
    if not pg_available():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(postgres_database(f"saga_test_{name}"))
