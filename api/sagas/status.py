"""A saga's status from what the saga published in its memo, read with one describe call: no
workflow query, so it answers while no worker runs (docs/sagas.md)."""

from collections.abc import Mapping
from typing import Any

from temporalio.api.enums.v1 import WorkflowExecutionStatus as RawStatus
from temporalio.client import Client, WorkflowExecutionDescription, WorkflowExecutionStatus

from api.sagas.temporal import describe, temporal_errors
from http_contract.errors import NotFound
from workflows.definition import SagaDefinition
from workflows.publishing import SAGA_KEY, SAGA_STATUS, VERSION_KEY, state_from_memo
from workflows.registry import SAGAS
from workflows.state import ErrorInfo, SagaState, SagaStatus, StepStatus

LIVE = {StepStatus.RUNNING, StepStatus.COMPENSATING}


async def saga_state(client: Client, saga_id: str) -> SagaState:
    state, _ = await saga_with_definition(client, saga_id)
    return state


async def saga_with_definition(client: Client, saga_id: str) -> tuple[SagaState, SagaDefinition]:
    """The saga's state and the definition version it runs (published in its memo)."""
    description = await describe(client.get_workflow_handle(saga_id))
    with temporal_errors():
        memo = await description.memo()
    state = state_of(saga_id, description, memo)
    return state, definition_of(saga_id, description.workflow_type, memo)


def definition_of(saga_id: str, saga_type: str, memo: Mapping[str, Any]) -> SagaDefinition:
    """The version the saga published. None yet: a saga that published its status without it
    is from before versions (version 1); one that published nothing yet will run the newest."""
    if saga_type not in SAGAS.types:
        raise NotFound("saga_not_found", f"saga {saga_id} not found")
    newest = SAGAS.types[saga_type].newest
    version = memo.get(VERSION_KEY, 1 if SAGA_KEY in memo else newest.version)
    return SAGAS.definition(saga_type, int(version)) or newest


def state_of(
    saga_id: str,
    description: WorkflowExecutionDescription,
    memo: Mapping[str, Any],
    pending: Any = None,
) -> SagaState:
    """`pending`: the pending activities to report live attempts from (default: the
    description's)."""
    definition = definition_of(saga_id, description.workflow_type, memo)
    state = state_from_memo(saga_id, definition, description.start_time, memo)
    if SAGA_KEY not in memo:  # nothing published yet, or a saga from before the read model
        state.status = SagaStatus(
            description.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING
        )
        state.closed_at = description.close_time
    if description.status == WorkflowExecutionStatus.RUNNING:
        if pending is None:
            pending = description.raw_description.pending_activities
        _live_attempts(state, definition, pending)
    elif description.status != WorkflowExecutionStatus.COMPLETED:
        _ended_abnormally(state, description)
    return state


def _ended_abnormally(state: SagaState, description: WorkflowExecutionDescription) -> None:
    """Terminated, timed out or failed: the last published steps and status FAILED."""
    state.status = SagaStatus.FAILED
    state.closed_at = description.close_time
    name = RawStatus.Name(description.raw_description.workflow_execution_info.status)
    state.error = state.error or ErrorInfo("saga_failed", f"the saga workflow ended as {name}")


def _live_attempts(state: SagaState, definition: SagaDefinition, pending: Any) -> None:
    """While a step's activity is being retried, its current attempt and last failure: the memo
    counts the attempts of the step's finished activities only."""
    for activity in pending:
        name = activity.activity_type.name
        for step, status in zip(definition.steps, state.steps, strict=True):
            # The activity of the step's current role only: a cancelled action still pending
            # while its compensation runs is not the compensation's attempt.
            if status.status is StepStatus.RUNNING and name == step.action:
                status.attempts += activity.attempt
            elif status.status is StepStatus.COMPENSATING and name == step.compensation:
                status.compensation_attempts += activity.attempt
            else:
                continue
            if activity.HasField("last_failure"):
                status.error = _failure(activity.last_failure)


def _failure(failure: Any) -> ErrorInfo:
    code = failure.application_failure_info.type or "activity_failed"
    if failure.HasField("timeout_failure_info"):
        code = "timeout"
    return ErrorInfo(code, failure.message)
