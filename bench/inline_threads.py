"""For profiling only: FastAPI's sync endpoints and dependencies run in the calling thread.

A sampling profiler watches one thread; FastAPI runs sync code in a thread pool, out of its sight.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, TypeVar

import fastapi.dependencies.utils
import fastapi.routing

T = TypeVar("T")


async def _inline(__function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    return __function(*args, **kwargs)


@asynccontextmanager
async def _inline_context(manager: AbstractContextManager[T]) -> AsyncIterator[T]:
    with manager as value:
        yield value


def run_sync_inline() -> None:
    for module in (fastapi.routing, fastapi.dependencies.utils):
        vars(module)["run_in_threadpool"] = _inline
    vars(fastapi.dependencies.utils)["contextmanager_in_threadpool"] = _inline_context
