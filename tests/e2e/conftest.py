"""One saga stack (SQLite participants) on the session's Temporal dev server."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from tests.support.sagas import Faults, fault_rules
from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="session")
async def stack(
    temporal_client: Client, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    data: Path = tmp_path_factory.mktemp("stack")
    async with running_stack(
        temporal_client, lambda name: f"sqlite:///{data / name}.db"
    ) as running:
        yield running


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The public API, as the operator token."""
    async with stack.api_client() as client:
        yield client


@pytest.fixture
async def faults(stack: Stack) -> AsyncIterator[Faults]:
    """Fault rules on the participants, cleared when the test ends."""
    async with fault_rules(stack.http) as rules:
        yield rules
