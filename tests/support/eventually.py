"""Poll until a condition holds, instead of sleeping and hoping."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
    """Call `probe` until it returns without AssertionError; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return probe()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(interval)


async def eventually_async(
    probe: Callable[[], Awaitable[T]], timeout: float = 15.0, interval: float = 0.05
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await probe()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(interval)
