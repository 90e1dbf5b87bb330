"""Each scenario gets a whole stack of real processes of its own, stopped when it ends."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.stack import ProcessStack


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[ProcessStack]:
    running = ProcessStack(tmp_path)
    try:
        await running.start()
        yield running
    finally:
        running.stop()
