"""Steps of a group run concurrently, on workflow tasks only (deterministic)."""

import asyncio
from collections.abc import Awaitable, Sequence

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.errors import SagaRejected


async def run_together(runs: Sequence[Awaitable[None]]) -> None:
    """Run a group's steps together. A rejected step does not stop the others: each is let
    finish (its outcome is then known and its compensation, registered before, undoes it); then
    the first rejection, in definition order, stops the saga."""
    if not runs:
        return
    if len(runs) == 1:
        await runs[0]  # a lone step runs as it always did: the same commands, in the same order
        return
    outcomes = await asyncio.gather(*runs, return_exceptions=True)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    rejections = [failure for failure in failures if isinstance(failure, SagaRejected)]
    if rejections or failures:
        raise (rejections or failures)[0]
