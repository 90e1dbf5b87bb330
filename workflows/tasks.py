"""asyncio plumbing of the engine: the forward task's outcome, work that cancellation cannot
interrupt."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.errors import SagaRejected
    from workflows.state import ErrorInfo

T = TypeVar("T")


async def rejection_of(forward: asyncio.Task[None]) -> ErrorInfo | None:
    """The business rejection that stopped the forward steps, if one did."""
    try:
        await forward
    except SagaRejected as rejected:
        return rejected.error
    except asyncio.CancelledError:
        return None
    return None


async def uninterruptible(work: Awaitable[T]) -> T:
    """Run `work` to its end even when the workflow is cancelled meanwhile."""
    task = asyncio.ensure_future(work)
    while True:
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled():
                raise
