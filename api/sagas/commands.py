"""Commands on a running saga: cancel (before its pivot) and an operator's resolution."""

from datetime import timedelta

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.converter import value_to_type
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.sagas.status import saga_state
from api.sagas.temporal import RPC_TIMEOUT, TemporalUnavailable, temporal_errors
from http_contract.errors import Conflict
from workflows.base import RESOLVE_UPDATE
from workflows.definition import StepKind
from workflows.state import CLOSED_STATUSES, Resolution, SagaState, SagaStatus, StepStatus

# A worker applies a resolution in milliseconds; without one the update would wait for ever.
RESOLVE_TIMEOUT = timedelta(seconds=5)


async def cancel_saga(client: Client, saga_id: str) -> SagaState:
    """Request cancellation; refused once the saga is closed or its pivot has started."""
    state = await saga_state(client, saga_id)
    if state.status in CLOSED_STATUSES:
        raise Conflict("saga_closed", f"saga {saga_id} is {state.status}")
    if state.status is not SagaStatus.RUNNING and not state.past_pivot:
        raise Conflict("saga_compensating", f"saga {saga_id} is {state.status} already")
    if pivot_started(state):
        raise Conflict("past_pivot", f"saga {saga_id} has passed its pivot and will finish")
    with temporal_errors():
        await client.get_workflow_handle(saga_id).cancel(rpc_timeout=RPC_TIMEOUT)
    return state


def pivot_started(state: SagaState) -> bool:
    """The steps are those of the saga's own definition version."""
    pivot = next((step for step in state.steps if step.kind == StepKind.PIVOT.value), None)
    if pivot is None:
        return False
    return state.past_pivot or pivot.status is not StepStatus.PENDING


async def resolve_saga(
    client: Client, saga_id: str, resolution: Resolution, timeout: timedelta = RESOLVE_TIMEOUT
) -> SagaState:
    """The workflow decides (its validator and handler both check): of two resolutions sent at
    once exactly one is accepted, the other answers 409."""
    state = await saga_state(client, saga_id)
    if state.status in CLOSED_STATUSES:
        raise Conflict("saga_closed", f"saga {saga_id} is {state.status}")
    handle = client.get_workflow_handle(saga_id)
    try:
        with temporal_errors():
            result = await handle.execute_update(
                RESOLVE_UPDATE, resolution, result_type=SagaState, rpc_timeout=timeout
            )
    except WorkflowUpdateRPCTimeoutOrCancelledError as error:
        raise TemporalUnavailable(
            "resolve_timeout",
            f"no worker applied the resolution within {timeout.total_seconds():g}s; it may "
            "still be applied when a worker runs the saga: read the saga's operator_actions",
        ) from error
    except RPCError as error:  # another resolution closed the saga before this one arrived
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        raise Conflict("saga_closed", f"saga {saga_id} closed: {error.message}") from error
    except WorkflowUpdateFailedError as error:
        cause = error.cause
        code = (
            cause.type if isinstance(cause, ApplicationError) and cause.type else "not_resolvable"
        )
        raise Conflict(code, str(getattr(cause, "message", cause))) from error
    return value_to_type(SagaState, result) if not isinstance(result, SagaState) else result
