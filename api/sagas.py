"""Saga operations on Temporal: start, describe, list, cancel, resolve."""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from temporalio.api.enums.v1 import WorkflowExecutionStatus as RawStatus
from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.converter import value_to_type
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from common.errors import Conflict, DomainError, NotFound
from workflows.base import RESOLVE_UPDATE, STATUS_QUERY
from workflows.engine import SAGA_STATUS, SAGA_TYPE
from workflows.registry import DEFINITIONS
from workflows.state import (
    CLOSED_STATUSES,
    ErrorInfo,
    Resolution,
    SagaState,
    SagaStatus,
    StepStatus,
)

REQUEST_HASH = "request_hash"


@dataclass
class Started:
    saga_id: str
    status: str
    duplicate: bool


def request_hash(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def start_saga(
    client: Client,
    workflow: str,
    saga_input: Any,
    saga_id: str,
    task_queue: str,
    fingerprint: str | None = None,
) -> Started:
    """Start a saga once per id. Starting it again with the same request is a no-op that
    answers the existing saga; with another request it is an error."""
    attributes = TypedSearchAttributes(
        [
            SearchAttributePair(SAGA_TYPE, workflow),
            SearchAttributePair(SAGA_STATUS, SagaStatus.RUNNING.value),
        ]
    )
    try:
        await client.start_workflow(
            workflow,
            saga_input,
            id=saga_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            memo={REQUEST_HASH: fingerprint} if fingerprint else None,
            search_attributes=attributes,
        )
    except WorkflowAlreadyStartedError:
        return await _existing(client, saga_id, fingerprint)
    return Started(saga_id, SagaStatus.RUNNING.value, duplicate=False)


async def _existing(client: Client, saga_id: str, fingerprint: str | None) -> Started:
    description = await client.get_workflow_handle(saga_id).describe()
    memo = await description.memo()
    if fingerprint is None or memo.get(REQUEST_HASH) != fingerprint:
        raise DomainError(
            "idempotency_key_reused", "this Idempotency-Key was used with another request body"
        )
    status = description.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING.value
    return Started(saga_id, status, duplicate=True)


async def saga_state(client: Client, saga_id: str) -> SagaState:
    """The saga's status: by query while it runs, from its result once it has closed."""
    handle = client.get_workflow_handle(saga_id, result_type=SagaState)
    description = await _describe(handle)
    if description.workflow_type not in DEFINITIONS:
        raise NotFound("saga_not_found", f"saga {saga_id} not found")
    if description.status == WorkflowExecutionStatus.COMPLETED:
        state: SagaState = await handle.result()
        return state
    if description.status == WorkflowExecutionStatus.RUNNING:
        state = await handle.query(STATUS_QUERY, result_type=SagaState)
        _live_attempts(state, description.raw_description.pending_activities)
        return state
    return await _failed_state(handle, description)


async def _failed_state(handle: WorkflowHandle[Any, Any], description: Any) -> SagaState:
    """Terminated, timed out or failed: the last known steps (by replay) and status FAILED."""
    try:
        state: SagaState = await handle.query(STATUS_QUERY, result_type=SagaState)
    except Exception:  # no worker could replay it: report what visibility knows
        state = SagaState(
            saga_id=handle.id,
            saga_type=description.workflow_type,
            status=SagaStatus.FAILED,
            steps=[],
            started_at=description.start_time,
        )
    state.status = SagaStatus.FAILED
    state.closed_at = description.close_time
    name = RawStatus.Name(description.raw_description.workflow_execution_info.status)
    state.error = state.error or _failure(name)
    return state


def _failure(name: str) -> ErrorInfo:
    return ErrorInfo("saga_failed", f"the saga workflow ended as {name}")


def _live_attempts(state: SagaState, pending: Any) -> None:
    """While a step's activity is retrying, report its current attempt."""
    running = [s for s in state.steps if s.status in (StepStatus.RUNNING, StepStatus.COMPENSATING)]
    for step, activity in zip(running, pending, strict=False):
        if step.status is StepStatus.RUNNING:
            step.attempts = max(step.attempts, activity.attempt)
        else:
            step.compensation_attempts = max(step.compensation_attempts, activity.attempt)


async def _describe(handle: WorkflowHandle[Any, Any]) -> Any:
    try:
        return await handle.describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise NotFound("saga_not_found", f"saga {handle.id} not found") from error
        raise


@dataclass
class SagaSummary:
    saga_id: str
    saga_type: str
    status: str
    started_at: datetime
    closed_at: datetime | None


async def list_sagas(
    client: Client,
    saga_type: str | None,
    status: str | None,
    page_size: int,
    page_token: str | None,
    signing_key: bytes,
) -> tuple[list[SagaSummary], str | None]:
    query = visibility_query(saga_type, status)
    token = read_page_token(page_token, query, signing_key)
    iterator = client.list_workflows(query, page_size=page_size, next_page_token=token)
    try:
        await iterator.fetch_next_page()
    except RPCError as error:
        # The server cannot read a token we did not issue (it answers UNKNOWN for that).
        if token and error.status in (RPCStatusCode.INVALID_ARGUMENT, RPCStatusCode.UNKNOWN):
            raise _invalid_token() from error
        raise
    sagas = [
        SagaSummary(
            saga_id=execution.id,
            saga_type=execution.workflow_type,
            status=_listed_status(execution),
            started_at=execution.start_time,
            closed_at=execution.close_time,
        )
        for execution in iterator.current_page or []
    ]
    following = iterator.next_page_token
    return sagas, issue_page_token(following, query, signing_key) if following else None


def visibility_query(saga_type: str | None, status: str | None) -> str:
    """Only values from our own vocabulary ever reach the query string."""
    types = [saga_type] if saga_type else sorted(DEFINITIONS)
    for value in types:
        if value not in DEFINITIONS:
            raise DomainError(
                "invalid_saga_type", f"saga_type must be one of {sorted(DEFINITIONS)}"
            )
    clauses = ["SagaType IN (" + ", ".join(f"'{value}'" for value in types) + ")"]
    if status:
        if status not in SagaStatus.__members__:
            raise DomainError(
                "invalid_status", f"status must be one of {[*SagaStatus.__members__]}"
            )
        clauses.append(_status_clause(SagaStatus(status)))
    return " AND ".join(clauses)


# A terminated or failed workflow never got to publish FAILED itself: its SagaStatus is the
# last one it published, so the execution status decides.
ENDED_ABNORMALLY = "ExecutionStatus IN ('Terminated', 'Failed', 'TimedOut', 'Canceled')"


def _status_clause(status: SagaStatus) -> str:
    if status is SagaStatus.FAILED:
        return f"(SagaStatus = 'FAILED' OR {ENDED_ABNORMALLY})"
    if status in CLOSED_STATUSES:
        return f"SagaStatus = '{status}'"
    return f"SagaStatus = '{status}' AND ExecutionStatus = 'Running'"


def _listed_status(execution: WorkflowExecution) -> str:
    if execution.status not in (WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED):
        return SagaStatus.FAILED.value
    return execution.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING.value


# Page tokens are signed and bound to the query they continue: a forged, damaged or re-used
# token with other filters is refused at once instead of reaching Temporal.
SIGNATURE_BYTES = 16


def _signature(token: bytes, query: str, key: bytes) -> bytes:
    return hmac.new(key, query.encode() + b"\0" + token, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def issue_page_token(token: bytes, query: str, key: bytes) -> str:
    return base64.urlsafe_b64encode(_signature(token, query, key) + token).decode()


def read_page_token(page_token: str | None, query: str, key: bytes) -> bytes | None:
    if not page_token:
        return None
    try:
        raw = base64.b64decode(page_token.encode(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise _invalid_token() from error
    signature, token = raw[:SIGNATURE_BYTES], raw[SIGNATURE_BYTES:]
    if not token or not hmac.compare_digest(signature, _signature(token, query, key)):
        raise _invalid_token()
    return token


def _invalid_token() -> DomainError:
    return DomainError("invalid_page_token", "page_token is not valid", status=400)


async def cancel_saga(client: Client, saga_id: str) -> SagaState:
    """Request cancellation; refused once the saga is closed or its pivot has started."""
    state = await saga_state(client, saga_id)
    if state.status in CLOSED_STATUSES:
        raise Conflict("saga_closed", f"saga {saga_id} is {state.status}")
    if state.status is not SagaStatus.RUNNING and not state.past_pivot:
        raise Conflict("saga_compensating", f"saga {saga_id} is {state.status} already")
    if pivot_started(state):
        raise Conflict("past_pivot", f"saga {saga_id} has passed its pivot and will finish")
    await client.get_workflow_handle(saga_id).cancel()
    return state


def pivot_started(state: SagaState) -> bool:
    definition = DEFINITIONS[state.saga_type]
    if definition.pivot_index is None:
        return False
    pivot = state.steps[definition.pivot_index]
    return state.past_pivot or pivot.status is not StepStatus.PENDING


async def resolve_saga(client: Client, saga_id: str, resolution: Resolution) -> SagaState:
    state = await saga_state(client, saga_id)
    if state.status in CLOSED_STATUSES:
        raise Conflict("saga_closed", f"saga {saga_id} is {state.status}")
    handle = client.get_workflow_handle(saga_id)
    try:
        result = await handle.execute_update(RESOLVE_UPDATE, resolution, result_type=SagaState)
    except WorkflowUpdateFailedError as error:
        cause = error.cause
        code = (
            cause.type if isinstance(cause, ApplicationError) and cause.type else "not_resolvable"
        )
        raise Conflict(code, str(getattr(cause, "message", cause))) from error
    return value_to_type(SagaState, result) if not isinstance(result, SagaState) else result
