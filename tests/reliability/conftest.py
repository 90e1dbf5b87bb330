"""Each scenario gets a whole stack of real processes of its own, stopped when it ends.

`@pytest.mark.saga_env(NAME=value, ...)` changes the API's saga settings for one scenario.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.stack import ProcessStack


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "saga_env(**settings): SAGA_* settings for the stack's API")


@pytest.fixture
async def stack(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[ProcessStack]:
    running = ProcessStack(tmp_path)
    for marker in request.node.iter_markers("saga_env"):
        running.saga_env.update(marker.kwargs)
    try:
        await running.start()
        yield running
    finally:
        running.stop()
