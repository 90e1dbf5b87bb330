"""Clients that wait, each following the saga's history itself (a long poll on the server for new
events) and reading the memo the saga publishes; no worker round trip. The read model
(projection.py) shares one follower between a saga's clients and falls back to these past its cap
or after its follower failed."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionDescription, WorkflowExecutionStatus

from api.sagas.status import state_of
from api.sagas.temporal import describe, temporal_errors
from workflows.state import CLOSED_STATUSES, SagaState, SagaStatus

# Events after which the published status may differ: a memo upsert, a search attribute
# upsert, or the end of the run.
CHANGES = {
    EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
}
# The saga's status changes only with its SagaStatus search attribute (the engine upserts it on
# every change) or at the end of the run: a client waiting for the saga to settle need not read
# the memo after each step.
STATUS_CHANGES = CHANGES - {EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED}
SETTLED = {*CLOSED_STATUSES, SagaStatus.NEEDS_ATTENTION}


async def current(client: Client, saga_id: str) -> tuple[SagaState, int, str]:
    """The saga's state, how many history events it was read at, and the run it belongs to."""
    state, description, _ = await described(client, saga_id)
    return state, description.history_length, description.run_id


async def described(
    client: Client, saga_id: str
) -> tuple[SagaState, WorkflowExecutionDescription, dict[str, Any]]:
    """The saga's state, and the description and decoded memo it was read from."""
    description = await describe(client.get_workflow_handle(saga_id))
    with temporal_errors():
        memo = await description.memo()
    state = state_of(saga_id, description, memo)
    if description.status != WorkflowExecutionStatus.RUNNING:
        state.closed_at = state.closed_at or description.close_time
    return state, description, dict(memo)


async def changes(
    client: Client, saga_id: str, first: SagaState | None = None, kinds: set[Any] = CHANGES
) -> AsyncIterator[SagaState]:
    """The saga's state now, then again after every history event of `kinds` (by default every
    one that may change it), until the saga is closed."""
    state, seen, run_id = await current(client, saga_id)
    yield first or state
    if state.status in CLOSED_STATUSES:
        return
    handle = client.get_workflow_handle(saga_id, run_id=run_id)
    with temporal_errors():
        async for event in handle.fetch_history_events(wait_new_event=True):
            if event.event_id <= seen or event.event_type not in kinds:
                continue
            state, seen, _ = await current(client, saga_id)
            yield state
            if state.status in CLOSED_STATUSES:
                return


async def settled(client: Client, saga_id: str, seconds: float) -> SagaState:
    """Long poll: the state as soon as the saga is closed or needs attention, else after
    `seconds` the state then."""
    try:
        async with asyncio.timeout(seconds):
            async for state in changes(client, saga_id, kinds=STATUS_CHANGES):
                if state.status in SETTLED:
                    return state
    except TimeoutError:
        pass
    latest, _, _ = await current(client, saga_id)
    return latest


def signature(state: SagaState) -> tuple[Any, ...]:
    """What a change of status means for the event stream: the saga's or a step's status."""
    return (state.status, *(step.status for step in state.steps))
