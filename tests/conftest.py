"""Fixtures shared by every test layer."""

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from tests.support.databases import postgres_database, require_postgres
from tests.support.participants import participant_app, running
from tests.support.temporal import start_dev_server

DatabaseFactory = Callable[[str], str]
StartParticipant = Callable[..., httpx.Client]

DATABASE_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def database_urls(kind: str, folder: Path) -> Iterator[DatabaseFactory]:
    """`factory(name)` gives a fresh private database URL: a SQLite file in `folder`, or a new
    PostgreSQL database dropped afterwards (the test is skipped when PostgreSQL is unreachable)."""
    if kind == "sqlite":
        yield lambda name: f"sqlite:///{folder / name}-{uuid.uuid4().hex[:8]}.db"
        return
    require_postgres()
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(postgres_database(f"saga_test_{name}"))


@pytest.fixture(params=DATABASE_KINDS)
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """`factory(name)` gives a fresh private database URL, on SQLite and again on PostgreSQL."""
    with database_urls(request.param, tmp_path) as factory:
        yield factory


@pytest.fixture
def participant(database_factory: DatabaseFactory) -> Iterator[StartParticipant]:
    """`participant(name, **settings)` serves participant `name` on a fresh database over real
    HTTP, with fault injection on, until the test ends; it answers a client bound to it."""
    with ExitStack() as stack:

        def start(name: str, **settings: Any) -> httpx.Client:
            app = participant_app(name, database_factory(name), **settings)
            return stack.enter_context(running(app))

        yield start


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """One real Temporal dev server (with the saga search attributes) for the session."""
    env = await start_dev_server()
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client
